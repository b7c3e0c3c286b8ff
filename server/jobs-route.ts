/**
 * The agent job protocol (contracts/updates.ts): agents long-poll for their next job and
 * report progress and completion, signed with the workspace's SharedKey like /api/logs (the signed
 * path is the request path without its query string), or with an agent/admin bearer token.
 *
 *   POST /api/agents/jobs/next               → 200 AgentJob | 204
 *   POST /api/agents/jobs/{jobId}/progress   → 200 { cancel }   (rows written to UpdateRunProgress first)
 *   POST /api/agents/jobs/{jobId}/complete   → 200 {}
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installationStatuses, type JobCompletion, type JobProgress, type NextJobRequest } from '../contracts/updates.js';
import { JobProtocolError } from '../app/updates/runs/job-service.js';
import { machineRefusal, type MachineTarget } from './auth.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';

export const nextJobPath = '/api/agents/jobs/next';

const nextSchema = {
  type: 'object',
  required: ['computer', 'agentId', 'waitSeconds'],
  properties: {
    computer: { type: 'string', minLength: 1, maxLength: 255 },
    agentId: { type: 'string', minLength: 1, maxLength: 200 },
    waitSeconds: { type: 'number', minimum: 0 },
  },
} as const;

const text = { type: 'string', maxLength: 4000 } as const;
const progressSchema = {
  type: 'object',
  required: ['updates'],
  properties: {
    updates: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        required: ['title', 'status'],
        properties: {
          updateId: text, kbId: text, product: text, productArch: text, version: text, title: text, classification: text,
          status: { type: 'string', enum: [...installationStatuses] },
          errorResult: text,
          startTime: { type: 'string', format: 'date-time' },
          endTime: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

const completeSchema = {
  type: 'object',
  required: ['status', 'rebooted'],
  properties: {
    status: { type: 'string', enum: ['Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled'] },
    rebooted: { type: 'boolean' },
    error: text,
  },
} as const;

const jobParams = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;

export async function jobsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const config = { access: access.agentProtocol };
  const jobs = context.updateRuns.jobs;
  // A machine-bound agent token handles its own machine's jobs only (access.agentProtocol's ownMachine).
  const refuseOtherMachine = (request: FastifyRequest, reply: FastifyReply, target: MachineTarget): FastifyReply | undefined => {
    const refusal = machineRefusal(context.workspace, request, target, 'jobs');
    return refusal === undefined ? undefined : sendError(reply, 403, 'OtherMachine', refusal);
  };
  const jobTarget = async (jobId: string): Promise<MachineTarget> => {
    const job = await context.updateRuns.store.getJob(jobId);
    return job ? { computer: job.computer, ...(job.agentId ? { agentId: job.agentId } : {}) } : {};
  };

  app.post(nextJobPath, { schema: { body: nextSchema }, config }, async (request, reply) => {
    const body = request.body as NextJobRequest;
    if (refuseOtherMachine(request, reply, { agentId: body.agentId, computer: body.computer })) return reply;
    const agent = context.workspace.current().agents.find((a) => a.agentId === body.agentId);
    const gone = new AbortController();
    reply.raw.on('close', () => gone.abort());
    const job = await jobs.next(body, { agentId: body.agentId, ...(agent ? { sourceComputerId: agent.sourceComputerId } : {}) }, gone.signal);
    if (!job) return reply.code(204).send();
    return reply.code(200).send(job);
  });

  app.post('/api/agents/jobs/:jobId/progress', { schema: { body: progressSchema, params: jobParams }, config }, async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    if (refuseOtherMachine(request, reply, await jobTarget(jobId))) return reply;
    return protocol(reply, () => jobs.progress(jobId, request.body as JobProgress));
  });

  app.post('/api/agents/jobs/:jobId/complete', { schema: { body: completeSchema, params: jobParams }, config }, async (request, reply) => {
    const { jobId } = request.params as { jobId: string };
    if (refuseOtherMachine(request, reply, await jobTarget(jobId))) return reply;
    return protocol(reply, async () => {
      await jobs.complete(jobId, request.body as JobCompletion);
      return {};
    });
  });
}

async function protocol(reply: FastifyReply, work: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    return reply.code(200).send(await work());
  } catch (error) {
    if (error instanceof JobProtocolError) return sendError(reply, error.status, error.code, error.message);
    throw error;
  }
}
