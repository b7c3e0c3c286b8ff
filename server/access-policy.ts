/**
 * Who may do what: one row per HTTP route. This table is enforced for every route by a hook that
 * app.ts installs before any route is registered (the route files keep their own checks as a
 * second line); a route missing from it answers 500 NoAccessPolicy, and test/access/ walks every
 * registered route × every role against it, so a new route without a row fails the tests.
 *
 * Roles (app/workspace/credentials.ts):
 * - reader: queries, schema, compliance, views of deployments/runs/saved searches/dashboards/alerts.
 * - operator: reader + changes to deployments, saved searches, alert rules, dashboards and their
 *   embed tokens, run cancel, "assess now".
 * - admin: operator + tokens and workspace keys; may also act as any agent and ingest.
 * - agent: ingestion, registration and the job protocol; a token bound to a machine (issued at
 *   registration, or `upkeep token create --role agent --machine …`) fetches and reports that
 *   machine's jobs only (jobs-route.ts, agents-route.ts).
 * - ingest: ingestion only.
 *
 * SharedKey: agents of the reference sign with the workspace's shared key instead of a token.
 * A SharedKey signer is trusted like the reference trusts it: it may act for ANY machine of the
 * workspace (ingest, register, fetch and report any machine's jobs). Per-machine agent tokens
 * are the stricter option. Unsigned requests to those routes answer 403 InvalidAuthorization as
 * the reference's Data Collector API does (401 only when a Bearer token is refused).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Role } from '../app/workspace/credentials.js';
import { checkBearer, checkSharedKey, guard, header, isBearer, rememberCaller } from './auth.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AccessRule {
  method: Method;
  /** The route as registered with fastify (`:param`, `*`). */
  url: string;
  /** Bearer-token roles allowed; empty on public routes. */
  roles: readonly Role[];
  /** The workspace's SharedKey signature is accepted too (the reference's agent protocol). */
  sharedKey?: true;
  /** An embed token (upe_…) is accepted and checked by the route against its one tile. */
  embed?: true;
  /** No credentials: the workbench's static files (its API calls carry the token). */
  public?: true;
  /** Bound agent tokens act only for their own machine (checked by the route with the body). */
  ownMachine?: true;
}

const reading: readonly Role[] = ['reader', 'operator', 'admin'];
const operating: readonly Role[] = ['operator', 'admin'];
const administering: readonly Role[] = ['admin'];
const ingesting: readonly Role[] = ['ingest', 'agent', 'admin'];
const agents: readonly Role[] = ['agent', 'admin'];

const rule = (method: Method, url: string, roles: readonly Role[], extra: Omit<AccessRule, 'method' | 'url' | 'roles'> = {}): AccessRule => ({ method, url, roles, ...extra });

export const accessPolicy: readonly AccessRule[] = [
  // Workbench (static files; every API call it makes is checked below).
  rule('GET', '/', [], { public: true }),
  rule('GET', '/*', [], { public: true }),

  // Ingestion and the agent protocol.
  rule('POST', '/api/logs', ingesting, { sharedKey: true }),
  rule('POST', '/dataCollectionRules/:ruleId/streams/:stream', ingesting),
  rule('POST', '/api/agents/register', agents, { sharedKey: true, ownMachine: true }),
  rule('POST', '/api/agents/jobs/next', agents, { sharedKey: true, ownMachine: true }),
  rule('POST', '/api/agents/jobs/:jobId/progress', agents, { sharedKey: true, ownMachine: true }),
  rule('POST', '/api/agents/jobs/:jobId/complete', agents, { sharedKey: true, ownMachine: true }),

  // Queries and the catalogue.
  rule('POST', '/api/query', reading),
  rule('POST', '/v1/workspaces/:workspaceId/query', reading),
  rule('POST', '/api/query/explain', reading),
  rule('GET', '/api/schema', reading),
  rule('GET', '/api/compliance/machines', reading),
  rule('GET', '/api/compliance/updates', reading),

  // Deployments and runs.
  rule('GET', '/api/deployments', reading),
  rule('POST', '/api/deployments', operating),
  rule('GET', '/api/deployments/:id', reading),
  rule('PUT', '/api/deployments/:id', operating),
  rule('DELETE', '/api/deployments/:id', operating),
  rule('GET', '/api/deployments/:id/occurrences', reading),
  rule('GET', '/api/deployments/:id/runs', reading),
  rule('GET', '/api/runs/:runId', reading),
  rule('GET', '/api/runs/:runId/machines/:computer', reading),
  rule('POST', '/api/runs/:runId/cancel', operating),
  rule('POST', '/api/machines/:computer/assess', operating),

  // Saved searches (also computer groups and stored functions).
  rule('GET', '/api/saved-searches', reading),
  rule('POST', '/api/saved-searches', operating),
  rule('GET', '/api/saved-searches/:id', reading),
  rule('PUT', '/api/saved-searches/:id', operating),
  rule('DELETE', '/api/saved-searches/:id', operating),
  rule('GET', '/api/saved-searches/:id/users', reading),

  // Dashboards, tiles and embed tokens.
  rule('GET', '/api/dashboards', reading),
  rule('POST', '/api/dashboards', operating),
  rule('GET', '/api/dashboards/:id', reading),
  rule('PUT', '/api/dashboards/:id', operating),
  rule('DELETE', '/api/dashboards/:id', operating),
  rule('GET', '/api/dashboards/:id/tiles/:tileId/result', reading),
  rule('POST', '/api/dashboards/:id/tiles/:tileId/embed-token', operating),
  rule('GET', '/api/dashboards/:id/tiles/:tileId/embed-tokens', reading),
  rule('DELETE', '/api/dashboards/:id/tiles/:tileId/embed-tokens/:tokenId', operating),
  rule('GET', '/api/embed/tiles/:tileId', reading, { embed: true }),

  // Alert rules.
  rule('GET', '/api/alert-rules', reading),
  rule('POST', '/api/alert-rules', operating),
  rule('GET', '/api/alert-rules/:id', reading),
  rule('PUT', '/api/alert-rules/:id', operating),
  rule('DELETE', '/api/alert-rules/:id', operating),
  rule('GET', '/api/alert-rules/:id/instances', reading),
  rule('POST', '/api/alert-rules/:id/evaluate', operating),

  // Tokens and workspace keys.
  rule('GET', '/api/tokens', administering),
  rule('POST', '/api/tokens', administering),
  rule('DELETE', '/api/tokens/:id', administering),
  rule('GET', '/api/workspace/keys', administering),
  rule('POST', '/api/workspace/keys/rotate', administering),
];

/** The rule of a route; HEAD routes (fastify adds one per GET) follow their GET. */
export function accessRuleFor(method: string, url: string): AccessRule | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return accessPolicy.find((r) => r.method === wanted && r.url === url);
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` since installAccessPolicy (HEAD included), for the tests' walk. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** Puts the policy's check first on every route registered from now on. Call before registering routes. */
export function installAccessPolicy(app: FastifyInstance, context: ServerContext): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (options) => {
    const methods = (Array.isArray(options.method) ? options.method : [options.method]) as HTTPMethods[];
    for (const method of methods) routes.push({ method, url: options.url });
    const check = async (request: FastifyRequest, reply: FastifyReply) => enforce(context, request, reply, accessRuleFor(request.method, options.url), options.url);
    const existing = options.onRequest === undefined ? [] : Array.isArray(options.onRequest) ? options.onRequest : [options.onRequest];
    options.onRequest = [check, ...existing];
  });
}

async function enforce(context: ServerContext, request: FastifyRequest, reply: FastifyReply, rule: AccessRule | undefined, url: string): Promise<FastifyReply | undefined> {
  if (!rule) {
    // Fail closed: an endpoint nobody decided about is refused to everyone.
    return sendError(reply, 500, 'NoAccessPolicy', `${request.method} ${url} has no row in server/access-policy.ts, so nobody may call it; add one.`);
  }
  if (rule.public) {
    rememberCaller(request, { via: 'public' });
    return undefined;
  }
  if (rule.embed && leftToTileRoute(request)) {
    rememberCaller(request, { via: 'embed' });
    return undefined;
  }
  if (rule.sharedKey && !isBearer(request)) {
    const signed = checkSharedKey(context.workspace, request, request.url.split('?')[0]!, context.now());
    if (!guard(reply, signed)) return reply;
    rememberCaller(request, { via: 'shared-key' });
    return undefined;
  }
  const result = checkBearer(context.workspace, request, rule.roles);
  if (!guard(reply, result)) return reply;
  if (result.ok && result.token) rememberCaller(request, { via: 'token', token: result.token });
  return undefined;
}

/**
 * An embed token in the header or, for iframes, in ?token=, or no token at all: the tile route
 * checks the embed token against its one tile and explains what a tile link needs.
 */
function leftToTileRoute(request: FastifyRequest): boolean {
  const bearer = /^Bearer (\S+)$/i.exec(header(request, 'authorization'))?.[1];
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  const token = bearer ?? (typeof query === 'string' ? query : undefined);
  return token === undefined || token.startsWith('upe_');
}
