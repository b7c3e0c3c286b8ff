/**
 * Scheduled alert rules (app/alerts/): bearer reader/operator/admin to read, operator/admin to
 * change or to evaluate now. Routes and answers: contracts/alerts.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AlertOutcome } from '../app/alerts/alert-service.js';
import type { ServerContext } from './context.js';
import { access } from './access-policy.js';


interface IdParams {
  id: string;
}

export async function alertsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const alerts = context.alerts.service;
  app.get('/api/alert-rules', { config: { access: access.reading } }, async () => ({ alertRules: await alerts.list() }));
  app.post('/api/alert-rules', { config: { access: access.operating } }, async (request, reply) => answer(reply, await alerts.create(request.body), 201));
  app.get<{ Params: IdParams }>('/api/alert-rules/:id', { config: { access: access.reading } }, async (request, reply) => answer(reply, await alerts.get(request.params.id)));
  app.put<{ Params: IdParams }>('/api/alert-rules/:id', { config: { access: access.operating } }, async (request, reply) => answer(reply, await alerts.replace(request.params.id, request.body)));
  app.delete<{ Params: IdParams }>('/api/alert-rules/:id', { config: { access: access.operating } }, async (request, reply) => {
    const outcome = await alerts.delete(request.params.id);
    return outcome.ok ? reply.code(204).send() : refuse(reply, outcome);
  });
  app.get<{ Params: IdParams }>('/api/alert-rules/:id/instances', { config: { access: access.reading } }, async (request, reply) => {
    const outcome = await alerts.instances(request.params.id);
    return outcome.ok ? { instances: outcome.value } : refuse(reply, outcome);
  });
  app.post<{ Params: IdParams }>('/api/alert-rules/:id/evaluate', { config: { access: access.operating } }, async (request, reply) => answer(reply, await alerts.preview(request.params.id)));
}

function answer<T>(reply: FastifyReply, outcome: AlertOutcome<T>, status = 200): FastifyReply {
  return outcome.ok ? reply.code(status).send(outcome.value) : refuse(reply, outcome);
}

function refuse(reply: FastifyReply, outcome: Exclude<AlertOutcome<unknown>, { ok: true }>): FastifyReply {
  const { status, code, message } = outcome;
  const problems = 'problems' in outcome ? { problems: outcome.problems } : {};
  return reply.code(status).type('application/json').send({ error: { code, message, ...problems } });
}
