/**
 * `POST /api/agents/register`: signed with the workspace's shared key (as agents sign their
 * records, over the path `/api/agents/register`) or with an admin or agent token. See
 * app/workspace/registration.ts for when a machine counts as registered elsewhere (409).
 */
import type { FastifyInstance } from 'fastify';
import type { RegistrationRequest } from '../app/workspace/registration.js';
import { machineRefusal } from './auth.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';

export const registerPath = '/api/agents/register';

const bodySchema = {
  type: 'object',
  required: ['machineId', 'fqdn', 'osType'],
  properties: {
    machineId: { type: 'string', minLength: 1, maxLength: 200 },
    fqdn: { type: 'string', minLength: 1, maxLength: 255 },
    osType: { type: 'string', enum: ['Linux', 'Windows'] },
    workspaceId: { type: 'string', minLength: 1, maxLength: 100 },
  },
} as const;

export async function agentsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  app.post(registerPath, {
    schema: { body: bodySchema },
    config: { access: access.agentProtocol },
    handler: async (request, reply) => {
      // A machine's own agent token may re-register that machine only (access.agentProtocol's ownMachine).
      const refusal = machineRefusal(context.workspace, request, { machineId: (request.body as RegistrationRequest).machineId }, 'register');
      if (refusal !== undefined) return sendError(reply, 403, 'OtherMachine', refusal);
      const outcome = await context.workspace.register(request.body as RegistrationRequest);
      if (outcome.kind === 'conflict') {
        return sendError(reply, 409, 'AlreadyRegistered', 'Machine is already registered to a different account.');
      }
      const { agent, agentToken, created } = outcome;
      return reply.code(created ? 201 : 200).send({
        agentId: agent.agentId,
        workspaceId: agent.workspaceId,
        sourceComputerId: agent.sourceComputerId,
        ...(agent.systemWorkerGroup ? { systemWorkerGroup: agent.systemWorkerGroup } : {}),
        agentToken,
        registeredAt: agent.registeredAt,
      });
    },
  });
}
