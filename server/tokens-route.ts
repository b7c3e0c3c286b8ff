/**
 * Admin API for credentials (admin only, see access-policy.ts):
 *
 *   GET    /api/tokens                 → { tokens: TokenSummary[] }   (never a secret; revoked ones carry revokedAt)
 *   POST   /api/tokens                 { role, label?, machine? } → 201 { token, ...TokenSummary }  (token shown once)
 *   DELETE /api/tokens/{id}            → 204; 404 UnknownToken; 409 LastAdminToken
 *   GET    /api/workspace/keys         → { workspaceId, primaryKey, previousKeyValidUntil }
 *   POST   /api/workspace/keys/rotate  { graceHours? } → 200 same shape
 *
 * Rotation makes a new primary key; the previous one keeps verifying SharedKey signatures for
 * `graceHours` (default 24, at most 168; 0 ends it at once), time to give agents the new key.
 * Changes go through the workspace file's lock, like the CLI's, so both can be used together.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { addToken, checkedTokenRequest, DEFAULT_KEY_GRACE_HOURS, keysView, revokeToken, rotateKey, TokenChangeError, tokenSummaries } from '../app/workspace/tokens.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';

export async function tokensRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const store = context.workspace;
  const config = { access: access.administering };

  app.get('/api/tokens', { config }, async () => ({ tokens: tokenSummaries(store.current()) }));

  app.post('/api/tokens', { config }, async (request, reply) =>
    changing(reply, 201, () => {
      const wanted = checkedTokenRequest(request.body);
      const issued = store.change((current) => {
        const added = addToken(current, wanted, store.now());
        return { workspace: added.workspace, result: { token: added.text, ...added.summary } };
      });
      return issued;
    }),
  );

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', { config }, async (request, reply) =>
    changing(reply, 204, () => {
      store.change((current) => ({ workspace: revokeToken(current, request.params.id, store.now()).workspace, result: undefined }));
      return undefined;
    }),
  );

  app.get('/api/workspace/keys', { config }, async () => keysView(store.current(), store.now()));

  app.post('/api/workspace/keys/rotate', { config }, async (request, reply) =>
    changing(reply, 200, () => {
      const graceHours = graceOf(request.body);
      return store.change((current) => {
        const rotated = rotateKey(current, graceHours, store.now());
        return { workspace: rotated, result: keysView(rotated, store.now()) };
      });
    }),
  );
}

function graceOf(body: unknown): number {
  if (body === undefined || body === null) return DEFAULT_KEY_GRACE_HOURS;
  const value = (body as { graceHours?: unknown }).graceHours;
  if (typeof body !== 'object' || Array.isArray(body)) throw new TokenChangeError(400, 'InvalidKeyRotation', 'Send {"graceHours": <hours the old key keeps working>} or no body.');
  if (value === undefined) return DEFAULT_KEY_GRACE_HOURS;
  if (typeof value !== 'number') throw new TokenChangeError(400, 'InvalidKeyRotation', `graceHours must be a number of hours (0 to 168) the old key keeps working, got ${JSON.stringify(value)}.`);
  return value;
}

function changing(reply: FastifyReply, status: number, work: () => unknown): FastifyReply {
  try {
    const result = work();
    return result === undefined ? reply.code(status).send() : reply.code(status).send(result);
  } catch (error) {
    if (error instanceof TokenChangeError) return sendError(reply, error.status, error.code, error.message);
    throw error;
  }
}
