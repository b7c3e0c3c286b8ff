/**
 * Update deployment definitions (app/updates/deployments/): bearer reader/operator/admin to
 * read, operator/admin to change.
 *
 *   GET    /api/deployments                          → { deployments: Deployment[] }
 *   POST   /api/deployments  DeploymentInput         → 201 Deployment | 400 InvalidDeployment | 409 DeploymentNameTaken
 *   GET    /api/deployments/:id                      → Deployment | 404 DeploymentNotFound
 *   PUT    /api/deployments/:id  DeploymentInput     → Deployment | 400 | 404 | 409
 *   DELETE /api/deployments/:id                      → 204 | 404 | 409 DeploymentBusy (runs in progress)
 *   GET    /api/deployments/:id/occurrences?count=N  → { occurrences: string[] } (next UTC instants; N 1–1000, default 10)
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Outcome } from '../app/updates/deployments/deployment-service.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';

const DEFAULT_OCCURRENCES = 10;

interface IdParams {
  id: string;
}

export async function deploymentsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const service = context.deployments;
  app.get('/api/deployments', { config: { access: access.reading } }, async () => ({ deployments: await service.list() }));

  app.post('/api/deployments', { config: { access: access.operating } }, async (request, reply) => answer(reply, await service.create(request.body), 201));

  app.get<{ Params: IdParams }>('/api/deployments/:id', { config: { access: access.reading } }, async (request, reply) => answer(reply, await service.get(request.params.id)));

  app.put<{ Params: IdParams }>('/api/deployments/:id', { config: { access: access.operating } }, async (request, reply) =>
    answer(reply, await service.replace(request.params.id, request.body)),
  );

  app.delete<{ Params: IdParams }>('/api/deployments/:id', { config: { access: access.operating } }, async (request, reply) => {
    const outcome = await service.delete(request.params.id);
    return outcome.ok ? reply.code(204).send() : refuse(reply, outcome);
  });

  app.get<{ Params: IdParams; Querystring: { count?: string } }>('/api/deployments/:id/occurrences', { config: { access: access.reading } }, async (request, reply) => {
    const text = request.query.count ?? String(DEFAULT_OCCURRENCES);
    const count = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(count >= 1 && count <= 1000)) return sendError(reply, 400, 'InvalidRequest', `count must be a whole number from 1 to 1000 (got "${text}"), e.g. ?count=10.`);
    const outcome = await service.occurrences(request.params.id, count);
    return outcome.ok ? { occurrences: outcome.value } : refuse(reply, outcome);
  });
}

function answer<T>(reply: FastifyReply, outcome: Outcome<T>, status = 200): FastifyReply {
  return outcome.ok ? reply.code(status).send(outcome.value) : refuse(reply, outcome);
}

function refuse(reply: FastifyReply, outcome: Exclude<Outcome<unknown>, { ok: true }>): FastifyReply {
  const { status, code, message } = outcome;
  const problems = 'problems' in outcome ? { problems: outcome.problems } : {};
  return reply.code(status).type('application/json').send({ error: { code, message, ...problems } });
}
