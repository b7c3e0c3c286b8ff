/**
 * `GET /api/compliance/machines` and `GET /api/compliance/updates`: the compliance views
 * (app/updates/compliance), each answered with the KQL it ran so the workbench can open it
 * in log search. Filters in the query string: machines `os`, `compliance`, `readiness`;
 * updates `os`, `classification`. Bearer reader/operator/admin, like the query API.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { lineColumn } from '../language/syntax/diagnostics.js';
import { parseMachineFilters, parseUpdateFilters } from '../app/updates/compliance/queries.js';
import { machinesView, updatesView, type RunKql, type ViewOutcome } from '../app/updates/compliance/views.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { sendBusy } from './query-answers.js';
import { access } from './access-policy.js';

export async function complianceRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const run: RunKql = (text, now) => context.queries.run({ text, now });

  app.get('/api/compliance/machines', { config: { access: access.reading } }, async (request, reply) => {
    const parsed = parseMachineFilters(request.query as Record<string, string | undefined>);
    if (!parsed.ok) return sendError(reply, 400, 'InvalidFilter', parsed.message);
    return answer(reply, await machinesView(run, parsed.filters, context.now()), 'machines');
  });

  app.get('/api/compliance/updates', { config: { access: access.reading } }, async (request, reply) => {
    const parsed = parseUpdateFilters(request.query as Record<string, string | undefined>);
    if (!parsed.ok) return sendError(reply, 400, 'InvalidFilter', parsed.message);
    return answer(reply, await updatesView(run, parsed.filters, context.now()), 'updates');
  });
}

function answer<T>(reply: FastifyReply, outcome: ViewOutcome<T>, key: 'machines' | 'updates'): FastifyReply {
  if (outcome.ok) return reply.code(200).send({ query: outcome.query, [key]: outcome.rows, truncated: outcome.truncated });
  if ('busy' in outcome) return sendBusy(reply);
  // The view's own query failing is a server fault (e.g. a changed table), not the caller's.
  const details = outcome.diagnostics.map((d) => ({ ...lineColumn(outcome.query, d.range.start), code: d.code, message: d.message }));
  return sendError(reply, 500, 'ComplianceQueryFailed', `The ${key} view's query failed: ${outcome.diagnostics[0]?.message ?? 'unknown error'}`, { details });
}
