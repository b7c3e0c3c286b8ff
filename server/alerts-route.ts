/**
 * Scheduled alert rules (app/alerts/): bearer reader/operator/admin to read, operator/admin to
 * change or to evaluate now. Routes and answers: contracts/alerts.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertOutcome } from '../app/alerts/alert-service.js';
import type { Role } from '../app/workspace/credentials.js';
import { checkBearer, guard } from './auth.js';
import type { ServerContext } from './context.js';

const readers: readonly Role[] = ['reader', 'operator', 'admin'];
const changers: readonly Role[] = ['operator', 'admin'];

interface IdParams {
  id: string;
}

export async function alertsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const alerts = context.alerts.service;
  const allow = (roles: readonly Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!guard(reply, checkBearer(context.workspace, request, roles))) return reply;
  };

  app.get('/api/alert-rules', { onRequest: allow(readers) }, async () => ({ alertRules: await alerts.list() }));
  app.post('/api/alert-rules', { onRequest: allow(changers) }, async (request, reply) => answer(reply, await alerts.create(request.body), 201));
  app.get<{ Params: IdParams }>('/api/alert-rules/:id', { onRequest: allow(readers) }, async (request, reply) => answer(reply, await alerts.get(request.params.id)));
  app.put<{ Params: IdParams }>('/api/alert-rules/:id', { onRequest: allow(changers) }, async (request, reply) => answer(reply, await alerts.replace(request.params.id, request.body)));
  app.delete<{ Params: IdParams }>('/api/alert-rules/:id', { onRequest: allow(changers) }, async (request, reply) => {
    const outcome = await alerts.delete(request.params.id);
    return outcome.ok ? reply.code(204).send() : refuse(reply, outcome);
  });
  app.get<{ Params: IdParams }>('/api/alert-rules/:id/instances', { onRequest: allow(readers) }, async (request, reply) => {
    const outcome = await alerts.instances(request.params.id);
    return outcome.ok ? { instances: outcome.value } : refuse(reply, outcome);
  });
  app.post<{ Params: IdParams }>('/api/alert-rules/:id/evaluate', { onRequest: allow(changers) }, async (request, reply) => answer(reply, await alerts.preview(request.params.id)));
}

function answer<T>(reply: FastifyReply, outcome: AlertOutcome<T>, status = 200): FastifyReply {
  return outcome.ok ? reply.code(status).send(outcome.value) : refuse(reply, outcome);
}

function refuse(reply: FastifyReply, outcome: Exclude<AlertOutcome<unknown>, { ok: true }>): FastifyReply {
  const { status, code, message } = outcome;
  const problems = 'problems' in outcome ? { problems: outcome.problems } : {};
  return reply.code(status).type('application/json').send({ error: { code, message, ...problems } });
}
