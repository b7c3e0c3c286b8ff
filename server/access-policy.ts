/**
 * Who may do what. Every route declares its access where it is registered
 * (`{ config: { access: access.reading } }`, one of the named declarations below); a hook that
 * app.ts installs before any route is registered enforces it, a route without a declaration
 * answers 500 NoAccessPolicy, and test/access/ walks every registered route × every credential
 * against what the route declared, so a new route without a declaration or a case fails the tests.
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

/** Who may call one route. */
export interface Access {
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

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (server/access-policy.ts); a route without it answers 500 NoAccessPolicy. */
    access?: Access;
  }
}

const reading: readonly Role[] = ['reader', 'operator', 'admin'];
const ingesting: readonly Role[] = ['ingest', 'agent', 'admin'];

/** The declarations routes choose from: naming them keeps each role list in one place. */
export const access = {
  /** The workbench's static files. */
  public: { roles: [], public: true },
  /** Queries, schema, compliance, and views of deployments, runs, saved searches, dashboards, alerts. */
  reading: { roles: reading },
  /** Changes to deployments, saved searches, alert rules, dashboards and embed tokens; run cancel; assess now. */
  operating: { roles: ['operator', 'admin'] },
  /** Tokens and workspace keys. */
  administering: { roles: ['admin'] },
  /** The Logs Ingestion API (bearer only). */
  ingesting: { roles: ingesting },
  /** The Data Collector API: bearer or the workspace's SharedKey signature. */
  signedIngesting: { roles: ingesting, sharedKey: true },
  /** Registration and the job protocol: agent tokens for their own machine, or SharedKey for any. */
  agentProtocol: { roles: ['agent', 'admin'], sharedKey: true, ownMachine: true },
  /** A tile for embedding: its embed token, or a reader's bearer token. */
  embeddable: { roles: reading, embed: true },
} as const satisfies Record<string, Access>;

export interface RegisteredRoute {
  method: string;
  url: string;
  /** What the route declared; undefined when it declared nothing (it then answers 500 NoAccessPolicy). */
  access: Access | undefined;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` since installAccessPolicy (HEAD included) with its declared access, for the tests' walk. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** Puts the check of each route's declared access first on every route registered from now on. Call before registering routes. */
export function installAccessPolicy(app: FastifyInstance, context: ServerContext): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (options) => {
    const declared = options.config?.access;
    const methods = (Array.isArray(options.method) ? options.method : [options.method]) as HTTPMethods[];
    for (const method of methods) routes.push({ method, url: options.url, access: declared });
    const check = async (request: FastifyRequest, reply: FastifyReply) => enforce(context, request, reply, declared, options.url);
    const existing = options.onRequest === undefined ? [] : Array.isArray(options.onRequest) ? options.onRequest : [options.onRequest];
    options.onRequest = [check, ...existing];
  });
}

async function enforce(context: ServerContext, request: FastifyRequest, reply: FastifyReply, rule: Access | undefined, url: string): Promise<FastifyReply | undefined> {
  if (!rule) {
    // Fail closed: an endpoint nobody decided about is refused to everyone.
    return sendError(reply, 500, 'NoAccessPolicy', `${request.method} ${url} declares no access, so nobody may call it; add \`config: { access: access.… }\` (server/access-policy.ts) to its registration.`);
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
