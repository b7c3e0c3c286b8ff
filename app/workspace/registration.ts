/**
 * Agent registration as a pure change of the workspace. One server hosts one workspace, so a
 * machine "registered to a different account" is one whose request names another workspace:
 * the agent sends the workspace id it was set up with (its state directory remembers it), and
 * a machine id already on record under another workspace id is refused too. Re-registering the
 * same machine to the same workspace keeps its agent id and issues a fresh agent token (the old
 * one stops working), so an agent that lost its state can always re-register.
 */
import { createHash, randomUUID } from 'node:crypto';
import { newToken, type StoredToken } from './credentials.js';
import type { RegisteredAgent, Workspace } from './workspace-file.js';

export interface RegistrationRequest {
  machineId: string;
  fqdn: string;
  osType: 'Linux' | 'Windows';
  /** The workspace the machine believes it belongs to; defaults to the authenticated one. */
  workspaceId?: string;
}

export type RegistrationOutcome =
  | { kind: 'registered'; agent: RegisteredAgent; agentToken: string; created: boolean }
  | { kind: 'conflict'; registeredWorkspaceId: string };

export function applyRegistration(workspace: Workspace, request: RegistrationRequest, now: Date): { workspace: Workspace; outcome: RegistrationOutcome } {
  const wanted = request.workspaceId ?? workspace.workspaceId;
  const existing = workspace.agents.find((a) => a.machineId === request.machineId);
  if (wanted.toLowerCase() !== workspace.workspaceId.toLowerCase()) {
    return { workspace, outcome: { kind: 'conflict', registeredWorkspaceId: wanted } };
  }
  if (existing && existing.workspaceId !== workspace.workspaceId) {
    return { workspace, outcome: { kind: 'conflict', registeredWorkspaceId: existing.workspaceId } };
  }
  const at = now.toISOString();
  const agent: RegisteredAgent = existing
    ? { ...existing, fqdn: request.fqdn, osType: request.osType, lastSeenAt: at }
    : {
        agentId: randomUUID(),
        machineId: request.machineId,
        fqdn: request.fqdn,
        osType: request.osType,
        sourceComputerId: sourceComputerIdOf(request.machineId),
        workspaceId: workspace.workspaceId,
        registeredAt: at,
        lastSeenAt: at,
      };
  if (agent.osType === 'Windows' && agent.systemWorkerGroup === undefined) agent.systemWorkerGroup = `${agent.fqdn}_${randomUUID()}`;
  const token = newToken('agent', now, agent.agentId, `registration of ${agent.fqdn}`);
  const issued = { ...token.stored, origin: 'registration' as const };
  // Only the token the last registration handed out is replaced: tokens an admin bound to this machine stay.
  const replaced = (t: StoredToken) => t.agentId === agent.agentId && t.origin === 'registration';
  const next: Workspace = {
    ...workspace,
    agents: [...workspace.agents.filter((a) => a.machineId !== agent.machineId), agent],
    tokens: [...workspace.tokens.filter((t) => !replaced(t)), issued],
  };
  return { workspace: next, outcome: { kind: 'registered', agent, agentToken: token.text, created: !existing } };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The machine id when it is a GUID (agents send one), else a GUID derived from it, stable across registrations. */
export function sourceComputerIdOf(machineId: string): string {
  if (GUID.test(machineId)) return machineId.toLowerCase();
  const hex = createHash('sha256').update(machineId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
