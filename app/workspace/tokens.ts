/**
 * Token and key changes as pure functions of the workspace, shared by the server's admin API
 * (server/tokens-route.ts) and the CLI (`upkeep token …`, `upkeep workspace rotate-key`),
 * which apply them to the workspace file under its lock.
 */
import { isRole, newSharedKey, newToken, type Role, type StoredToken } from './credentials.js';
import type { RegisteredAgent, Workspace } from './workspace-file.js';

/** A refused change; `status` is the HTTP status the admin API answers with. */
export class TokenChangeError extends Error {
  constructor(readonly status: 400 | 404 | 409, readonly code: string, message: string) {
    super(message);
  }
}

export interface TokenRequest {
  role: Role;
  label?: string;
  /** Agent tokens only: the machine (agent id, machine id or FQDN) the token may act for. */
  machine?: string;
}

/** What may be shown of a token: never its secret, salt or hash. */
export interface TokenSummary {
  id: string;
  role: Role;
  label?: string;
  createdAt: string;
  revokedAt?: string;
  /** Agent tokens bound to a machine. */
  agentId?: string;
  computer?: string;
}

export const MAX_LABEL_LENGTH = 200;
/** Rotation grace: agents keep working with the old key this long by default, at most a week. */
export const DEFAULT_KEY_GRACE_HOURS = 24;
export const MAX_KEY_GRACE_HOURS = 168;

export function summarize(token: StoredToken, agents: readonly RegisteredAgent[]): TokenSummary {
  const agent = token.agentId === undefined ? undefined : agents.find((a) => a.agentId === token.agentId);
  return {
    id: token.id,
    role: token.role,
    ...(token.label !== undefined ? { label: token.label } : {}),
    createdAt: token.createdAt,
    ...(token.revokedAt !== undefined ? { revokedAt: token.revokedAt } : {}),
    ...(token.agentId !== undefined ? { agentId: token.agentId } : {}),
    ...(agent ? { computer: agent.fqdn } : {}),
  };
}

export function tokenSummaries(workspace: Workspace): TokenSummary[] {
  return workspace.tokens.map((t) => summarize(t, workspace.agents));
}

/** Checks a request from outside (JSON body or CLI flags); the problem names the field and the fix. */
export function checkedTokenRequest(value: unknown): TokenRequest {
  const body = (value ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('Send a JSON object: {"role": "reader", "label": "…", "machine": "…"}.');
  const { role, label, machine } = body;
  if (typeof role !== 'string' || !isRole(role)) throw invalid(`role must be one of admin, operator, reader, agent, ingest (got ${JSON.stringify(role)}).`);
  if (label !== undefined && (typeof label !== 'string' || label.length > MAX_LABEL_LENGTH)) throw invalid(`label must be text of at most ${MAX_LABEL_LENGTH} characters.`);
  if (machine !== undefined && (typeof machine !== 'string' || machine.trim() === '')) throw invalid('machine must name a registered machine by its agent id, machine id or FQDN.');
  const unknown = Object.keys(body).filter((k) => !['role', 'label', 'machine'].includes(k));
  if (unknown.length > 0) throw invalid(`Unknown field ${unknown.join(', ')}: a token request has role, label and machine.`);
  return { role, ...(label !== undefined ? { label } : {}), ...(machine !== undefined ? { machine } : {}) };
}

export function addToken(workspace: Workspace, request: TokenRequest, now: Date): { workspace: Workspace; text: string; summary: TokenSummary } {
  if (request.machine !== undefined && request.role !== 'agent') throw invalid(`Only agent tokens are bound to a machine; leave out machine for a ${request.role} token.`);
  const agent = request.machine === undefined ? undefined : findAgent(workspace, request.machine);
  const token = newToken(request.role, now, agent?.agentId, request.label);
  const next = { ...workspace, tokens: [...workspace.tokens, token.stored] };
  return { workspace: next, text: token.text, summary: summarize(token.stored, workspace.agents) };
}

/** Revokes a token; the last working admin token cannot be revoked (nobody could manage tokens over the API). */
export function revokeToken(workspace: Workspace, id: string, now: Date): { workspace: Workspace; summary: TokenSummary } {
  const token = workspace.tokens.find((t) => t.id === id);
  if (!token) throw new TokenChangeError(404, 'UnknownToken', `There is no token ${id}; \`upkeep token list\` or GET /api/tokens lists them (the id is the part after upk_).`);
  if (token.revokedAt !== undefined) return { workspace, summary: summarize(token, workspace.agents) };
  const activeAdmins = workspace.tokens.filter((t) => t.role === 'admin' && t.revokedAt === undefined);
  if (token.role === 'admin' && activeAdmins.length === 1) {
    throw new TokenChangeError(409, 'LastAdminToken', `Token ${id} is the last admin token: create another first (upkeep token create --role admin), then revoke this one.`);
  }
  const revoked: StoredToken = { ...token, revokedAt: now.toISOString() };
  return { workspace: { ...workspace, tokens: workspace.tokens.map((t) => (t.id === id ? revoked : t)) }, summary: summarize(revoked, workspace.agents) };
}

/** A new primary key; the old one stays valid for `graceHours` (0 ends it at once). */
export function rotateKey(workspace: Workspace, graceHours: number, now: Date): Workspace {
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_KEY_GRACE_HOURS) {
    throw new TokenChangeError(400, 'InvalidKeyRotation', `graceHours must be a number from 0 to ${MAX_KEY_GRACE_HOURS} (hours the old key keeps working), got ${JSON.stringify(graceHours)}.`);
  }
  const validUntil = new Date(now.getTime() + graceHours * 3_600_000).toISOString();
  const { previousKey: _dropped, ...rest } = workspace;
  return { ...rest, primaryKey: newSharedKey(), ...(graceHours > 0 ? { previousKey: { key: workspace.primaryKey, validUntil } } : {}) };
}

/** The keys a signature may use at `now`: the primary, and the previous one during its grace period. */
export function signingKeys(workspace: Workspace, now: Date): string[] {
  const previous = workspace.previousKey;
  const stillValid = previous !== undefined && Date.parse(previous.validUntil) > now.getTime();
  return stillValid ? [workspace.primaryKey, previous.key] : [workspace.primaryKey];
}

export interface KeysView {
  workspaceId: string;
  primaryKey: string;
  /** When the key before the last rotation stops being accepted; null when none is. */
  previousKeyValidUntil: string | null;
}

export function keysView(workspace: Workspace, now: Date): KeysView {
  const previous = signingKeys(workspace, now).length > 1 ? workspace.previousKey!.validUntil : null;
  return { workspaceId: workspace.workspaceId, primaryKey: workspace.primaryKey, previousKeyValidUntil: previous };
}

function findAgent(workspace: Workspace, machine: string): RegisteredAgent {
  const wanted = machine.trim().toLowerCase();
  const agent = workspace.agents.find((a) => a.agentId.toLowerCase() === wanted || a.machineId.toLowerCase() === wanted || a.fqdn.toLowerCase() === wanted);
  if (!agent) throw new TokenChangeError(404, 'UnknownMachine', `No registered machine is called ${machine}: name it by agent id, machine id or FQDN of a machine that registered (POST /api/agents/register).`);
  return agent;
}

function invalid(message: string): TokenChangeError {
  return new TokenChangeError(400, 'InvalidTokenRequest', message);
}
