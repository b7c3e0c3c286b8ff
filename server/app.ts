/** The fastify application: every route, one error shape, JSON-schema validation, structured logs. */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { agentsRoute } from './agents-route.js';
import { complianceRoutes } from './compliance-route.js';
import type { ServerContext } from './context.js';
import { handleClientError, handleError, sendError } from './errors.js';
import { ingestionRoute } from './ingestion-route.js';
import { jobsRoute } from './jobs-route.js';
import { logsRoute } from './logs-route.js';
import { queryRoutes } from './query-route.js';
import { explainRoute } from './explain-route.js';
import { workbenchRoute } from './workbench-route.js';
import { deploymentsRoute } from './deployments-route.js';
import { runsRoutes } from './runs-route.js';
import { savedSearchesRoute } from './saved-searches-route.js';
import { dashboardsRoute } from './dashboards-route.js';
import { alertsRoute } from './alerts-route.js';
import { installAccessPolicy } from './access-policy.js';
import { tokensRoute } from './tokens-route.js';

export interface AppOptions {
  /** fastify's logger option: false in tests, pino options (level) when serving. */
  logger?: FastifyServerOptions['logger'];
  https?: { cert: string | Buffer; key: string | Buffer };
}

export async function buildApp(context: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: context.bodyLimitBytes,
    // Validate as written: no coercion of types or filling of defaults behind the sender's back.
    ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false } },
    // Headers over node's limit and broken HTTP get the API's error shape too.
    clientErrorHandler: handleClientError,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.setErrorHandler((error, request, reply) => handleError(error as Parameters<typeof handleError>[0], request, reply, context.bodyLimitBytes));
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NotFound', `${request.method} ${request.url.split('?')[0]} is not an Upkeep API route.`));
  // Before any route: every route gets the access policy's check (server/access-policy.ts).
  installAccessPolicy(app, context);
  // Each plugin is its own encapsulation context, so raw-body parsers stay with their routes.
  await app.register(async (scope) => logsRoute(scope, context));
  await app.register(async (scope) => ingestionRoute(scope, context));
  await app.register(async (scope) => agentsRoute(scope, context));
  await app.register(async (scope) => queryRoutes(scope, context));
  await app.register(async (scope) => complianceRoutes(scope, context));
  await app.register(async (scope) => explainRoute(scope, context));
  // The web workbench at / (a wildcard GET: the API's own routes keep precedence).
  await app.register(async (scope) => workbenchRoute(scope));
  await app.register(async (scope) => jobsRoute(scope, context));
  await app.register(async (scope) => runsRoutes(scope, context));
  await app.register(async (scope) => deploymentsRoute(scope, context));
  await app.register(async (scope) => savedSearchesRoute(scope, context));
  await app.register(async (scope) => dashboardsRoute(scope, context));
  await app.register(async (scope) => alertsRoute(scope, context));
  await app.register(async (scope) => tokensRoute(scope, context));
  return app;
}
