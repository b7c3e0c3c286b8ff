/**
 * Runs of update deployments and "assess now" (bearer: reader for GET, operator/admin for changes).
 *
 *   GET  /api/deployments/{id}/runs           → { runs: Run[] (newest first), missed: string[] }
 *   GET  /api/runs/{runId}                    → Run
 *   GET  /api/runs/{runId}/machines/{computer} → { updates: UpdateProgress[] }
 *   POST /api/runs/{runId}/cancel             → 202 Run | 409 RunEnded
 *   POST /api/machines/{computer}/assess      → 202 { jobId }
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RunEndedError } from '../app/updates/runs/run-engine.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';


export async function runsRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const runs = context.updateRuns;
  app.get('/api/deployments/:id/runs', { config: { access: access.reading } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await runs.deployments.get(id))) return unknownDeployment(reply, id);
    const stored = await runs.store.runsOf(id);
    const missed = (await runs.store.occurrences(id)).filter((o) => o.outcome === 'Missed').map((o) => o.scheduledAt.toISOString()).reverse();
    return { runs: await Promise.all(stored.map((run) => runs.engine.view(run))), missed };
  });

  app.get('/api/runs/:runId', { config: { access: access.reading } }, async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const run = await runs.store.getRun(runId);
    return run ? runs.engine.view(run) : unknownRun(reply, runId);
  });

  app.get('/api/runs/:runId/machines/:computer', { config: { access: access.reading } }, async (request, reply) => {
    const { runId, computer } = request.params as { runId: string; computer: string };
    const run = await runs.store.getRun(runId);
    if (!run) return unknownRun(reply, runId);
    const job = (await runs.store.jobsOfRun(runId)).find((j) => j.computer.toLowerCase() === computer.toLowerCase());
    if (!job) return sendError(reply, 404, 'UnknownMachine', `${computer} is not a machine of run ${runId}; GET /api/runs/${runId} lists its machines.`);
    return { updates: await runs.store.updatesOf(job.id) };
  });

  app.post('/api/runs/:runId/cancel', { config: { access: access.operating } }, async (request, reply) => {
    const { runId } = request.params as { runId: string };
    try {
      const run = await runs.engine.cancel(runId);
      return run ? reply.code(202).send(await runs.engine.view(run)) : unknownRun(reply, runId);
    } catch (error) {
      if (error instanceof RunEndedError) return sendError(reply, 409, 'RunEnded', error.message);
      throw error;
    }
  });

  app.post('/api/machines/:computer/assess', { config: { access: access.operating } }, async (request, reply) => {
    const { computer } = request.params as { computer: string };
    if (computer.trim() === '' || computer.length > 255) return sendError(reply, 400, 'InvalidComputer', 'Name the machine by its Computer (FQDN), at most 255 characters.');
    return reply.code(202).send({ jobId: await runs.jobs.queueAssess(computer) });
  });
}

function unknownRun(reply: FastifyReply, runId: string): FastifyReply {
  return sendError(reply, 404, 'UnknownRun', `There is no run ${runId}; GET /api/deployments/{id}/runs lists a deployment's runs.`);
}

function unknownDeployment(reply: FastifyReply, id: string): FastifyReply {
  return sendError(reply, 404, 'UnknownDeployment', `There is no deployment ${id}; GET /api/deployments lists them.`);
}
