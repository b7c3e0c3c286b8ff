/**
 * The whole endpoint × credential matrix on a real server: every route fastify registered (so a
 * new route without a row in access-policy.ts, or without a case here, fails), each role, no
 * token, a wrong token and an embed token. Allowed calls carry realistic requests and must reach
 * the handler (the status each case expects); denied ones answer 403, missing credentials 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { accessPolicy, accessRuleFor, installAccessPolicy, registeredRoutes, type AccessRule } from '../../server/access-policy.js';
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

describe('the access policy', () => {
  it('has exactly one row for every registered route and a case for each', () => {
    const routes = registeredRoutes(t.server.app).filter((r) => r.method !== 'HEAD');
    const missingRule = routes.filter((r) => accessRuleFor(r.method, r.url) === undefined).map((r) => routeKey(r.method, r.url));
    expect(missingRule, 'routes without a row in server/access-policy.ts').toEqual([]);
    const missingCase = routes.filter((r) => !routeCases.some((c) => c.method === r.method && c.url === r.url)).map((r) => routeKey(r.method, r.url));
    expect(missingCase, 'routes without a case in test/access/route-cases.ts').toEqual([]);
    const stale = accessPolicy.filter((rule) => !routes.some((r) => r.method === rule.method && r.url === rule.url)).map((r) => routeKey(r.method, r.url));
    expect(stale, 'policy rows naming no route').toEqual([]);
    const keys = accessPolicy.map((r) => routeKey(r.method, r.url));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('says what the roles mean (a second, independent statement of the intent)', () => {
    const reading = ['admin', 'operator', 'reader'];
    const intent = (rule: AccessRule): string[] => {
      if (rule.public) return [];
      if (/^\/api\/(tokens|workspace)(\/|$)/.test(rule.url)) return ['admin'];
      if (rule.url === '/api/logs' || rule.url.startsWith('/dataCollectionRules/')) return ['admin', 'agent', 'ingest'];
      if (rule.url.startsWith('/api/agents/')) return ['admin', 'agent'];
      if (rule.method === 'GET' || ['/api/query', '/api/query/explain', '/v1/workspaces/:workspaceId/query'].includes(rule.url)) return reading;
      return ['admin', 'operator'];
    };
    const differing = accessPolicy.filter((rule) => [...rule.roles].sort().join() !== intent(rule).join()).map((r) => `${routeKey(r.method, r.url)}: ${r.roles.join(',')}`);
    expect(differing).toEqual([]);
    const signed = accessPolicy.filter((r) => r.sharedKey).map((r) => r.url);
    expect(signed.sort()).toEqual(['/api/agents/jobs/:jobId/complete', '/api/agents/jobs/:jobId/progress', '/api/agents/jobs/next', '/api/agents/register', '/api/logs']);
    expect(accessPolicy.filter((r) => r.public).map((r) => r.url)).toEqual(['/', '/*']);
    expect(accessPolicy.filter((r) => r.embed).map((r) => r.url)).toEqual(['/api/embed/tiles/:tileId']);
  });

  it('refuses a route that has no row (fail closed)', async () => {
    const app = Fastify();
    installAccessPolicy(app, {} as ServerContext);
    app.get('/api/unlisted', async () => ({ secret: true }));
    const answer = await app.inject({ method: 'GET', url: '/api/unlisted' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({ error: { code: 'NoAccessPolicy' } });
    expect(answer.body).not.toContain('secret');
    await app.close();
  });

  it('answers every route × credential as the policy says', async () => {
    const routes = registeredRoutes(t.server.app).filter((r) => r.method !== 'HEAD');
    const failures: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const rule = accessRuleFor(route.method, route.url)!;
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

  it('accepts a SharedKey signature exactly where the policy says (the reference protocol)', async () => {
    const routes = registeredRoutes(t.server.app).filter((r) => r.method === 'POST');
    const key = readWorkspace(workspaceFileOf(t.dbPath)).primaryKey;
    const failures: string[] = [];
    for (const route of routes) {
      const rule = accessRuleFor(route.method, route.url)!;
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
function expectation(rule: AccessRule, routeCase: RouteCase, credential: Credential): number[] {
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
