/**
 * Dashboards (app/dashboards/, API in its contract.ts): bearer reader/operator/admin to read
 * and run tiles, operator/admin to change them and to issue or revoke embed tokens.
 *
 * `GET /api/embed/tiles/:tileId` answers an embedded tile: an embed token made for that tile
 * (`Authorization: Bearer upe_…` or `?token=upe_…`, as an iframe cannot send headers), or a
 * reader/operator/admin bearer token. An embed token opens nothing else: every other route
 * refuses it as an unknown token.
 *
 * A tile's result is the query API's JSON with the tile beside it (`{"tile":…,"tables":…}`), or
 * with `Accept: application/vnd.apache.arrow.stream` the Arrow stream, the tile in the
 * `x-upkeep-tile` header (URI-encoded JSON).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardOutcome, TileRun } from '../app/dashboards/dashboard-service.js';
import { arrowStreamType, checkBearer, guard, header } from './auth.js';
import { resultToArrow } from './arrow-result.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { failedQueryStatus, sendBusy } from './query-answers.js';
import { resultJson } from './query-route.js';
import { access } from './access-policy.js';

const BEARER = /^Bearer (\S+)$/i;

interface IdParams {
  id: string;
}
interface TileParams extends IdParams {
  tileId: string;
}

export async function dashboardsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const service = context.dashboards;
  app.get('/api/dashboards', { config: { access: access.reading } }, async () => ({ dashboards: service.list() }));
  app.post('/api/dashboards', { config: { access: access.operating } }, async (request, reply) => answer(reply, await service.create(request.body), 201));
  app.get<{ Params: IdParams }>('/api/dashboards/:id', { config: { access: access.reading } }, async (request, reply) => answer(reply, service.get(request.params.id)));
  app.put<{ Params: IdParams }>('/api/dashboards/:id', { config: { access: access.operating } }, async (request, reply) => answer(reply, await service.replace(request.params.id, request.body)));
  app.delete<{ Params: IdParams }>('/api/dashboards/:id', { config: { access: access.operating } }, async (request, reply) => {
    const outcome = await service.delete(request.params.id);
    return outcome.ok ? reply.code(204).send() : answer(reply, outcome);
  });

  app.get<{ Params: TileParams }>('/api/dashboards/:id/tiles/:tileId/result', { config: { access: access.reading } }, (request, reply) =>
    sendTile(request, reply, () => service.runTile(request.params.tileId, request.params.id, abortOnClose(reply))),
  );
  app.post<{ Params: TileParams }>('/api/dashboards/:id/tiles/:tileId/embed-token', { config: { access: access.operating } }, async (request, reply) =>
    answer(reply, await service.issueEmbedToken(request.params.id, request.params.tileId, request.body), 201),
  );
  app.get<{ Params: TileParams }>('/api/dashboards/:id/tiles/:tileId/embed-tokens', { config: { access: access.reading } }, async (request, reply) => {
    const outcome = service.embedTokens(request.params.id, request.params.tileId);
    return outcome.ok ? { embedTokens: outcome.value } : answer(reply, outcome);
  });
  app.delete<{ Params: TileParams & { tokenId: string } }>('/api/dashboards/:id/tiles/:tileId/embed-tokens/:tokenId', { config: { access: access.operating } }, async (request, reply) => {
    const outcome = await service.revokeEmbedToken(request.params.id, request.params.tileId, request.params.tokenId);
    return outcome.ok ? reply.code(204).send() : answer(reply, outcome);
  });

  app.get<{ Params: { tileId: string }; Querystring: { token?: string } }>('/api/embed/tiles/:tileId', { config: { access: access.embeddable } }, async (request, reply) => {
    const { tileId } = request.params;
    const bearer = BEARER.exec(header(request, 'authorization'))?.[1];
    const token = bearer ?? request.query.token;
    if (token === undefined || token === '') {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 401, 'AuthenticationRequired', 'This tile needs its embed token: open the embed link with ?token=upe_… (from POST /api/dashboards/{id}/tiles/{tileId}/embed-token), or send "Authorization: Bearer <token>".');
    }
    if (!token.startsWith('upe_')) {
      // A workspace token, only accepted in the header: tokens in URLs end up in logs and histories.
      if (bearer === undefined) return sendError(reply, 401, 'InvalidEmbedToken', 'Only an embed token (upe_…) may be passed as ?token=; send a workspace token as "Authorization: Bearer <token>".');
      if (!guard(reply, checkBearer(context.workspace, request, access.embeddable.roles))) return reply;
    } else {
      const check = service.checkEmbedToken(token, tileId);
      if (!check.ok) {
        if (check.status === 401) reply.header('www-authenticate', 'Bearer');
        return sendError(reply, check.status, check.code, check.message);
      }
    }
    // Embedded pages are read again and again by the same viewers: never from a shared cache.
    reply.header('cache-control', 'private, no-store');
    return sendTile(request, reply, () => service.runTile(tileId, undefined, abortOnClose(reply)));
  });
}

/** Aborts the tile's query when the client goes away, so DuckDB stops working for nobody. */
function abortOnClose(reply: FastifyReply): AbortSignal {
  const cancel = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) cancel.abort();
  };
  reply.raw.once('close', onClose);
  return cancel.signal;
}

async function sendTile(request: FastifyRequest, reply: FastifyReply, run: () => Promise<DashboardOutcome<TileRun>>): Promise<FastifyReply> {
  const ran = await run();
  if (!ran.ok) return answer(reply, ran);
  const { view, outcome } = ran.value;
  if ('busy' in outcome) return sendBusy(reply);
  if (!outcome.ok) {
    const first = outcome.diagnostics[0];
    const status = failedQueryStatus(first);
    return sendError(reply, status, status === 504 ? 'QueryTimeout' : status === 500 ? 'InternalError' : 'TileQueryFailed', `The tile "${view.title}" (saved search ${view.savedSearchName}) failed: ${first?.message ?? 'the query failed'}`);
  }
  if (header(request, 'accept').toLowerCase().includes(arrowStreamType)) {
    reply.header('x-upkeep-tile', encodeURIComponent(JSON.stringify(view)));
    return reply.code(200).type(arrowStreamType).send(Buffer.from(resultToArrow(outcome.result)));
  }
  const json = resultJson(outcome.result);
  return reply.code(200).type('application/json; charset=utf-8').send(`{"tile":${JSON.stringify(view)},${json.slice(1)}`);
}

function answer<T>(reply: FastifyReply, outcome: DashboardOutcome<T>, status = 200): FastifyReply {
  if (outcome.ok) return reply.code(status).send(outcome.value);
  const { ok: _ok, status: refusedWith, ...error } = outcome;
  return reply.code(refusedWith).type('application/json').send({ error });
}
