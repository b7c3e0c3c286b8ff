/**
 * Request authentication. Senders of the Data Collector API sign with the workspace's shared
 * key (`Authorization: SharedKey <workspaceId>:<signature>`, over a canonical string that binds
 * the body length, content type, date and path); everyone else presents a bearer token whose
 * role must be one the route allows.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role, StoredToken } from '../app/workspace/credentials.js';
import type { WorkspaceStore } from '../app/workspace/workspace-store.js';
import { sendError } from './errors.js';

/** The reference refuses dates further than this from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export const arrowStreamType = 'application/vnd.apache.arrow.stream';

export type AuthResult = { ok: true; via: 'shared-key' | 'token'; role?: Role; token?: StoredToken } | { ok: false; status: 401 | 403 | 411; code: string; message: string };

/**
 * Who made a request, as the access policy (access-policy.ts) found it: a SharedKey signer, a
 * workspace token, an embed token (checked by its tile route), or nobody on a public route.
 */
export type Caller = { via: 'shared-key' } | { via: 'token'; token: StoredToken } | { via: 'embed' } | { via: 'public' };

const callers = new WeakMap<FastifyRequest, Caller>();

export function rememberCaller(request: FastifyRequest, caller: Caller): void {
  callers.set(request, caller);
}

/** The caller the access policy let through; undefined only on a route outside the policy. */
export function callerOf(request: FastifyRequest): Caller | undefined {
  return callers.get(request);
}

const SHARED_KEY = /^SharedKey ([^:\s]+):(\S+)$/;
const BEARER = /^Bearer (\S+)$/i;

/** Checks a SharedKey-signed request for `path`. */
export function checkSharedKey(store: WorkspaceStore, request: FastifyRequest, path: string, now: Date): AuthResult {
  const authorization = header(request, 'authorization');
  const match = SHARED_KEY.exec(authorization);
  if (!match) {
    return refuse(403, 'InvalidAuthorization', authorization === '' ? 'The Authorization header is missing: sign the request with "SharedKey <workspaceId>:<signature>".' : 'The Authorization header is not "SharedKey <workspaceId>:<base64 signature>".');
  }
  const date = header(request, 'x-ms-date');
  const dateMs = Date.parse(date);
  if (date === '' || Number.isNaN(dateMs)) {
    return refuse(403, 'InvalidDate', 'The x-ms-date header is missing or not an RFC 1123 date such as "Wed, 01 May 2024 12:00:00 GMT".');
  }
  if (Math.abs(now.getTime() - dateMs) > MAX_CLOCK_SKEW_MS) {
    return refuse(403, 'StaleDate', `x-ms-date (${date}) is more than 15 minutes from the server's time (${now.toUTCString()}): sign with the current time and check the sender's clock.`);
  }
  const length = header(request, 'content-length');
  if (!/^\d+$/.test(length)) return refuse(411, 'LengthRequired', 'Send a Content-Length header: the signature covers the body length.');
  const stringToSign = `POST\n${length}\n${signedContentType(request)}\nx-ms-date:${date}\n${path}`;
  if (!store.verifySignature(match[1]!, match[2]!, stringToSign)) {
    return refuse(403, 'InvalidSignature', `The signature does not match: sign "POST\\n<content-length>\\n${signedContentType(request)}\\nx-ms-date:<date>\\n${path}" with the workspace's primary key (upkeep workspace show), and check the workspace id.`);
  }
  return { ok: true, via: 'shared-key' };
}

/** Checks `Authorization: Bearer <token>` against the tokens whose role is in `allowed`. */
export function checkBearer(store: WorkspaceStore, request: FastifyRequest, allowed: readonly Role[]): AuthResult {
  const match = BEARER.exec(header(request, 'authorization'));
  if (!match) return refuse(401, 'AuthenticationRequired', 'Send "Authorization: Bearer <token>" with a token from `upkeep token create --role <role>`.');
  const { token, problem } = store.authorizeToken(match[1]!, allowed);
  if (!token) return refuse(401, 'InvalidToken', 'The bearer token is not one of this workspace\'s tokens (it may have been revoked); create one with `upkeep token create`.');
  if (problem === 'role') return refuse(403, 'Forbidden', forbiddenMessage(token.role, allowed));
  return { ok: true, via: 'token', role: token.role, token };
}

/** Staff roles from least to most; a refusal names the least one that would do (the workbench shows it as is). */
const staffRoles: readonly Role[] = ['reader', 'operator', 'admin'];

export function forbiddenMessage(role: Role, allowed: readonly Role[]): string {
  const least = staffRoles.find((r) => allowed.includes(r));
  const others = allowed.filter((r) => !staffRoles.includes(r));
  if (least !== undefined && others.length === 0) {
    const also = least === 'admin' ? '' : ` (allowed: ${allowed.join(', ')})`;
    return `${capitalized(article(role))} ${role} token cannot do this: it needs the ${least} role${also}. Ask an admin for ${article(least)} ${least} token (upkeep token create --role ${least}).`;
  }
  return `${capitalized(article(role))} ${role} token cannot do this: it needs one of the roles ${allowed.join(', ')}.`;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function article(role: Role): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}

/** A preHandler-style guard: answers the refusal and returns false, or returns true. */
export function guard(reply: FastifyReply, result: AuthResult): boolean {
  if (result.ok) return true;
  if (result.status === 401) reply.header('www-authenticate', 'Bearer');
  sendError(reply, result.status, result.code, result.message);
  return false;
}

export function isBearer(request: FastifyRequest): boolean {
  return BEARER.test(header(request, 'authorization'));
}

/** The content type the signature covers: the reference signs "application/json"; Arrow senders sign the Arrow type. */
function signedContentType(request: FastifyRequest): string {
  return mediaType(request) === arrowStreamType ? arrowStreamType : 'application/json';
}

export function mediaType(request: FastifyRequest): string {
  return header(request, 'content-type').split(';')[0]!.trim().toLowerCase();
}

export function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function refuse(status: 401 | 403 | 411, code: string, message: string): AuthResult {
  return { ok: false, status, code, message };
}

/** What an agent-protocol request acts on: a job's or the body's agent id, machine id and Computer. */
export interface MachineTarget {
  agentId?: string;
  machineId?: string;
  computer?: string;
}

/**
 * Why the caller may not act for `target`, or undefined when it may. SharedKey signers and admin
 * tokens act for any machine (as in the reference); an agent token bound to a machine acts for
 * that machine only; an unbound agent token may register machines and ingest, not handle jobs.
 */
export function machineRefusal(store: WorkspaceStore, request: FastifyRequest, target: MachineTarget, purpose: 'jobs' | 'register'): string | undefined {
  const caller = callerOf(request);
  if (caller?.via !== 'token' || caller.token.role !== 'agent') return undefined;
  const { token } = caller;
  if (token.agentId === undefined) {
    return purpose === 'register' ? undefined : `Agent token ${token.id} is not bound to a machine, so it cannot fetch or report jobs: use the token the machine got when it registered, or one made with \`upkeep token create --role agent --machine <fqdn>\`.`;
  }
  const agent = store.current().agents.find((a) => a.agentId === token.agentId);
  if (!agent) return `Agent token ${token.id} belongs to a machine that is no longer registered; register the machine again for a new token.`;
  const same = (a: string | undefined, b: string) => a === undefined || a.toLowerCase() === b.toLowerCase();
  if (same(target.agentId, agent.agentId) && same(target.machineId, agent.machineId) && same(target.computer, agent.fqdn)) return undefined;
  const named = target.computer ?? target.machineId ?? target.agentId ?? 'another machine';
  return `Agent token ${token.id} acts only for ${agent.fqdn} (agent ${agent.agentId}), not for ${named}: each machine uses its own token.`;
}
