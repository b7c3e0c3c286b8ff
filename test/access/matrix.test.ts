/**
 * The whole endpoint × credential matrix on a real server: every route fastify registered, with
 * the access its registration declared (so a new route without a declaration, or without a case
 * here, fails), each role, no token, a wrong token and an embed token. Allowed calls carry
 * realistic requests and must reach the handler (the status each case expects); denied ones
 * answer 403, missing credentials 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { access, installAccessPolicy, registeredRoutes, type Access } from '../../server/access-policy.js';
import type { ServerContext } from '../../server/context.js';
import { signedLogHeaders, startTestServer, type TestServer } from '../../server/test-server.js';
import type { Role } from '../../app/workspace/credentials.js';
import { readWorkspace, workspaceFileOf, createToken } from '../../app/workspace/workspace-file.js';
import { routeCases, type Fixtures, type RouteCase } from './route-cases.js';

type Credential = Role | 'none' | 'wrong' | 'embed';
const credentials: readonly Credential[] = ['admin', 'operator', 'reader', 'agent', 'ingest', 'none', 'wrong', 'embed'];

let t: TestServer;
let fixtures: Fixtures;
const tokens = {} as Record<Role, string>;
let wrongToken: string;

beforeAll(async () => {
  t = await startTestServer({ savedSearches: { addSamples: false } });
  tokens.admin = t.adminToken;
  for (const role of ['operator', 'reader', 'ingest'] as const) tokens[role] = createToken(t.dbPath, role);
  fixtures = await prepareFixtures(t);
  tokens.agent = fixtures.agent.token;
  // A well-formed token naming a real token id with a wrong secret.
  wrongToken = `${t.adminToken.slice(0, 17)}${'A'.repeat(43)}`;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

function routeKey(method: string, url: string): string {
  return `${method} ${url}`;
}

interface DeclaredRoute {
  method: string;
  url: string;
  access: Access;
}

/** The server's routes as fastify registered them (HEAD follows its GET), each with its declared access. */
function declaredRoutes(): DeclaredRoute[] {
  const routes = registeredRoutes(t.server.app).filter((r) => r.method !== 'HEAD');
  const undeclared = routes.filter((r) => r.access === undefined).map((r) => routeKey(r.method, r.url));
  if (undeclared.length > 0) throw new Error(`routes that declare no access: ${undeclared.join(', ')}`);
  return routes as DeclaredRoute[];
}

describe('the access policy', () => {
  it('has a declaration on every registered route and a case for each', () => {
    const routes = registeredRoutes(t.server.app).filter((r) => r.method !== 'HEAD');
    expect(routes.filter((r) => r.access === undefined).map((r) => routeKey(r.method, r.url)), 'routes without config.access').toEqual([]);
    const missingCase = routes.filter((r) => !routeCases.some((c) => c.method === r.method && c.url === r.url)).map((r) => routeKey(r.method, r.url));
    expect(missingCase, 'routes without a case in test/access/route-cases.ts').toEqual([]);
    const stale = routeCases.filter((c) => !routes.some((r) => r.method === c.method && r.url === c.url)).map((c) => routeKey(c.method, c.url));
    expect(stale, 'cases naming no route').toEqual([]);
    const keys = routes.map((r) => routeKey(r.method, r.url));
    expect(new Set(keys).size).toBe(keys.length);
    // HEAD routes fastify adds for GETs carry the GET's declaration.
    const heads = registeredRoutes(t.server.app).filter((r) => r.method === 'HEAD');
    expect(heads.length).toBeGreaterThan(0);
    expect(heads.filter((h) => h.access !== routes.find((r) => r.method === 'GET' && r.url === h.url)?.access).map((h) => h.url)).toEqual([]);
  });

  it('says what the roles mean (a second, independent statement of the intent)', () => {
    const reading = ['admin', 'operator', 'reader'];
    const intent = (route: DeclaredRoute): string[] => {
      if (route.access.public) return [];
      if (/^\/api\/(tokens|workspace)(\/|$)/.test(route.url)) return ['admin'];
      if (route.url === '/api/logs' || route.url.startsWith('/dataCollectionRules/')) return ['admin', 'agent', 'ingest'];
      if (route.url.startsWith('/api/agents/')) return ['admin', 'agent'];
      if (route.method === 'GET' || ['/api/query', '/api/query/explain', '/v1/workspaces/:workspaceId/query'].includes(route.url)) return reading;
      return ['admin', 'operator'];
    };
    const routes = declaredRoutes();
    expect(routes.length).toBe(routeCases.length);
    const differing = routes.filter((r) => [...r.access.roles].sort().join() !== intent(r).join()).map((r) => `${routeKey(r.method, r.url)}: ${r.access.roles.join(',')}`);
    expect(differing).toEqual([]);
    const signed = routes.filter((r) => r.access.sharedKey).map((r) => r.url);
    expect(signed.sort()).toEqual(['/api/agents/jobs/:jobId/complete', '/api/agents/jobs/:jobId/progress', '/api/agents/jobs/next', '/api/agents/register', '/api/logs']);
    expect(routes.filter((r) => r.access.ownMachine).map((r) => r.url).sort()).toEqual(['/api/agents/jobs/:jobId/complete', '/api/agents/jobs/:jobId/progress', '/api/agents/jobs/next', '/api/agents/register']);
    expect(routes.filter((r) => r.access.public).map((r) => r.url)).toEqual(['/', '/*']);
    expect(routes.filter((r) => r.access.embed).map((r) => r.url)).toEqual(['/api/embed/tiles/:tileId']);
  });

  it('refuses a route that declares no access (fail closed), and serves one that does', async () => {
    const app = Fastify();
    installAccessPolicy(app, {} as ServerContext);
    app.get('/api/unlisted', async () => ({ secret: true }));
    app.get('/api/open', { config: { access: access.public } }, async () => ({ open: true }));
    const answer = await app.inject({ method: 'GET', url: '/api/unlisted' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({ error: { code: 'NoAccessPolicy', message: expect.stringMatching(/GET \/api\/unlisted declares no access.*config: \{ access/) } });
    expect(answer.body).not.toContain('secret');
    expect((await app.inject({ method: 'HEAD', url: '/api/unlisted' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/api/open' })).json()).toEqual({ open: true });
    await app.close();
  });

  it('answers every route × credential as the route declares', async () => {
    const routes = declaredRoutes();
    const failures: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const rule = route.access;
      const routeCase = routeCases.find((c) => c.method === route.method && c.url === route.url)!;
      for (const credential of credentials) {
        const wanted = expectation(rule, routeCase, credential);
        const request = await routeCase.request(fixtures);
        const headers: Record<string, string> = { ...request.headers };
        const token = tokenOf(credential);
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        let body: string | undefined;
        if (request.body !== undefined) {
          body = JSON.stringify(request.body);
          headers['content-type'] ??= 'application/json';
        }
        const response = await fetch(`${t.url}${request.path}`, { method: route.method, headers, ...(body !== undefined ? { body } : {}) });
        calls += 1;
        const text = await response.text();
        // Re-registering a machine hands it a new token and retires the old one.
        if (route.url === '/api/agents/register' && response.ok) tokens.agent = String((JSON.parse(text) as { agentToken: string }).agentToken);
        if (!wanted.includes(response.status)) failures.push(`${routeKey(route.method, route.url)} as ${credential}: ${response.status} (wanted ${wanted.join('|')}) ${text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // The matrix this walk covers, for the record.
    expect(calls).toBe(routes.length * credentials.length);
    process.stdout.write(`access matrix: ${routes.length} routes × ${credentials.length} credentials = ${calls} calls\n`);
  }, 60_000);

  it('accepts a SharedKey signature exactly where a route declares it (the reference protocol)', async () => {
    const routes = declaredRoutes().filter((r) => r.method === 'POST');
    const key = readWorkspace(workspaceFileOf(t.dbPath)).primaryKey;
    const failures: string[] = [];
    for (const route of routes) {
      const rule = route.access;
      const routeCase = routeCases.find((c) => c.method === route.method && c.url === route.url)!;
      const request = await routeCase.request(fixtures);
      const body = JSON.stringify(request.body ?? {});
      const path = request.path.split('?')[0]!;
      const headers = { ...request.headers, ...signedLogHeaders(t.workspaceId, key, Buffer.byteLength(body), 'application/json', path) };
      const response = await fetch(`${t.url}${request.path}`, { method: 'POST', headers, body });
      const accepted = ![401, 403].includes(response.status);
      if (accepted !== (rule.sharedKey === true || rule.public === true)) failures.push(`${routeKey(route.method, route.url)} signed: ${response.status}`);
    }
    expect(failures).toEqual([]);
  }, 30_000);
});

function tokenOf(credential: Credential): string | undefined {
  if (credential === 'none') return undefined;
  if (credential === 'wrong') return wrongToken;
  if (credential === 'embed') return fixtures.embedToken;
  return tokens[credential];
}

/** The statuses a credential may get on a route. */
function expectation(rule: Access, routeCase: RouteCase, credential: Credential): number[] {
  if (rule.public) return routeCase.allowed;
  if (credential === 'embed') return rule.embed ? routeCase.allowed : [401];
  if (credential === 'wrong') return [401];
  // The reference answers an unsigned Data Collector request 403 InvalidAuthorization.
  if (credential === 'none') return rule.sharedKey ? [403] : [401];
  return rule.roles.includes(credential) ? routeCase.allowed : [403];
}

/** What the cases need: resources to read and change, a registered machine with its token, an embed token. */
async function prepareFixtures(server: TestServer): Promise<Fixtures> {
  const admin = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
  const registered = await admin('POST', '/api/agents/register', { machineId: 'matrix-machine-0001', fqdn: 'matrix-1.example.com', osType: 'Linux' });
  return {
    workspaceId: server.workspaceId,
    admin,
    agent: { token: String(registered.agentToken), agentId: String(registered.agentId), machineId: 'matrix-machine-0001', computer: 'matrix-1.example.com' },
    ...(await (async () => {
      const search = await admin('POST', '/api/saved-searches', { name: 'MatrixMachines', category: 'Test', description: '', query: 'Heartbeat | summarize by Computer' });
      const dashboard = await admin('POST', '/api/dashboards', {
        name: 'Matrix',
        tiles: [{ title: 'Machines', savedSearchId: search.id, visualization: 'auto', timeRange: 'PT1H', refreshSeconds: 60, x: 0, y: 0, w: 6, h: 4 }],
      });
      const tileId = String((dashboard.tiles as { id: string }[])[0]!.id);
      const embed = await admin('POST', `/api/dashboards/${String(dashboard.id)}/tiles/${tileId}/embed-token`, {});
      return { savedSearchId: String(search.id), dashboardId: String(dashboard.id), tileId, embedToken: String(embed.token) };
    })()),
  };
}
