/** /api/saved-searches on a real server: CRUD, roles, use inside queries, computer groups for deployments, refusals while used. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, startTestServer, type TestServer } from '../../server/test-server.js';
import type { Deployment } from '../../contracts/updates.js';
import { sampleDeploymentInput } from '../updates/deployments/sample-input.js';
import { createToken } from '../workspace/workspace-file.js';
import type { SavedSearch } from '../../contracts/saved.js';

let t: TestServer;
let operator: string;
let reader: string;

beforeAll(async () => {
  t = await startTestServer({ savedSearches: { addSamples: false } });
  operator = createToken(t.dbPath, 'operator');
  reader = createToken(t.dbPath, 'reader');
  const sent = await t.postLogs('Heartbeat', [heartbeat('web-01.contoso.com'), heartbeat('web-02.contoso.com'), heartbeat('db-01.contoso.com', { OSType: 'Windows' })]);
  expect(sent.status).toBe(200);
});

afterAll(async () => t?.close());

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; problems?: Record<string, unknown>[]; users?: Record<string, unknown>[] } };
}

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
}

const linuxWeb = { name: 'LinuxWeb', category: 'Computer groups', description: 'Linux web servers', query: 'Heartbeat | where OSType == "Linux" and Computer startswith "web" | distinct Computer' };

async function create(input: Record<string, unknown>): Promise<SavedSearch> {
  const answer = await call('POST', '/api/saved-searches', operator, input);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as unknown as SavedSearch;
}

describe('/api/saved-searches', () => {
  it('creates, reads by id or name, lists, replaces and deletes', async () => {
    const saved = await create({ name: 'Crud', category: 'Tests', description: 'd', query: 'Heartbeat | count' });
    expect(saved).toMatchObject({ name: 'Crud', category: 'Tests', description: 'd', query: 'Heartbeat | count', createdAt: saved.updatedAt });
    expect(await call('GET', `/api/saved-searches/${saved.id}`, reader)).toEqual({ status: 200, body: saved });
    expect((await call('GET', '/api/saved-searches/crud', reader)).body.id).toBe(saved.id);
    expect(((await call('GET', '/api/saved-searches', reader)).body.savedSearches as SavedSearch[]).map((s) => s.name)).toContain('Crud');
    const replaced = await call('PUT', `/api/saved-searches/${saved.id}`, operator, { ...saved, name: 'Crud2', query: 'Heartbeat | take 1' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: saved.id, name: 'Crud2', createdAt: saved.createdAt });
    expect((await call('DELETE', '/api/saved-searches/Crud2', operator)).status).toBe(204);
    expect((await call('GET', `/api/saved-searches/${saved.id}`, reader)).body.error?.code).toBe('SavedSearchNotFound');
  });

  it('checks roles: reader reads, operator changes, no token is 401', async () => {
    expect((await call('POST', '/api/saved-searches', reader, linuxWeb)).status).toBe(403);
    expect((await call('GET', '/api/saved-searches', undefined)).status).toBe(401);
    expect((await call('DELETE', '/api/saved-searches/nope', reader)).status).toBe(403);
  });

  it('answers 400 with the problems (query problems with line:col and code), 409 for a taken name', async () => {
    const bad = await call('POST', '/api/saved-searches', operator, { name: 'Web servers', query: 'Heartbeat\n| where Nope > 1' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('InvalidSavedSearch');
    expect(bad.body.error?.problems).toEqual([
      { field: 'name', message: expect.stringMatching(/"Web_servers"/) },
      { field: 'query', code: 'E202', line: 2, column: 9, message: expect.stringMatching(/^2:9: E202: Unknown column/) },
    ]);
    await create({ name: 'Taken', query: 'Heartbeat | count' });
    const taken = await call('POST', '/api/saved-searches', operator, { name: 'TAKEN', query: 'Heartbeat | count' });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('SavedSearchNameTaken');
    expect((await call('PUT', '/api/saved-searches/nope', operator, { name: 'X', query: 'Heartbeat' })).status).toBe(404);
  });

  it('is usable by name in queries and listed in /api/schema as a function', async () => {
    await create(linuxWeb);
    const asSource = await t.query('LinuxWeb | order by Computer asc');
    expect(asSource.body.tables[0]!.rows).toEqual([['web-01.contoso.com'], ['web-02.contoso.com']]);
    expect((await t.query('Heartbeat | where Computer in (LinuxWeb) | count')).body.tables[0]!.rows).toEqual([[2]]);
    expect((await t.query('Heartbeat | where Computer !in (LinuxWeb()) | distinct Computer')).body.tables[0]!.rows).toEqual([['db-01.contoso.com']]);
    // timespan still narrows the tables read inside the saved search
    expect((await t.query('LinuxWeb | count', { timespan: '2000-01-01/2000-01-02' })).body.tables[0]!.rows).toEqual([[0]]);
    const schema = await call('GET', '/api/schema', reader);
    expect(schema.body.functions).toContainEqual({ name: 'LinuxWeb', description: 'Linux web servers', category: 'Computer groups', columns: [{ name: 'Computer', type: 'string' }] });
    const explained = await call('POST', '/api/query/explain', reader, { query: 'LinuxWeb' });
    expect(explained.body.tables).toEqual(['Heartbeat']);
  });

  it('is a computer group a deployment targets; renaming or deleting it is refused while used', async () => {
    const group = await create({ ...linuxWeb, name: 'Group1' });
    const input = sampleDeploymentInput({ name: 'by saved search', targets: { machines: [], groups: [{ name: 'web', savedSearch: 'Group1' }], dynamicGroups: [{ name: 'dyn', query: 'Group1 | where Computer endswith "01.contoso.com"' }] } });
    const created = await call('POST', '/api/deployments', operator, input);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const deployment = created.body as unknown as Deployment;
    expect(deployment.frozenGroups).toEqual({ web: ['web-01.contoso.com', 'web-02.contoso.com'] });

    const refused = await call('DELETE', `/api/saved-searches/${group.id}`, operator);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('SavedSearchInUse');
    expect(refused.body.error?.users).toEqual([
      { kind: 'deployment', name: 'by saved search', id: deployment.id, field: 'targets.groups[0]' },
      { kind: 'deployment', name: 'by saved search', id: deployment.id, field: 'targets.dynamicGroups[0]' },
    ]);
    expect(refused.body.error?.message).toMatch(/cannot be deleted: it is used by deployment "by saved search"/);
    const renamed = await call('PUT', `/api/saved-searches/${group.id}`, operator, { ...linuxWeb, name: 'Group1Renamed' });
    expect(renamed.status).toBe(409);
    expect((await call('GET', `/api/saved-searches/${group.id}/users`, reader)).body.users).toHaveLength(2);
    // Changing its query (same name) is allowed.
    expect((await call('PUT', `/api/saved-searches/${group.id}`, operator, { ...linuxWeb, name: 'Group1', query: 'Heartbeat | distinct Computer' })).status).toBe(200);

    expect((await call('DELETE', `/api/deployments/${deployment.id}`, operator)).status).toBe(204);
    expect((await call('DELETE', `/api/saved-searches/${group.id}`, operator)).status).toBe(204);
    const gone = await call('POST', '/api/deployments', operator, { ...input, name: 'gone' });
    expect(gone.body.error?.problems?.[0]?.message).toMatch(/there is no saved search "Group1"/);
  });

  it('guards saved searches used by other saved searches, and plugs in other users', async () => {
    const base = await create({ name: 'Base', query: 'Heartbeat | distinct Computer, OSType' });
    const derived = await create({ name: 'Derived', query: 'Base | where OSType == "Linux"' });
    const refused = await call('DELETE', '/api/saved-searches/Base', operator);
    expect(refused.body.error?.users).toEqual([{ kind: 'saved search', name: 'Derived', id: derived.id }]);
    const breaking = await call('PUT', '/api/saved-searches/Base', operator, { name: 'Base', query: 'Heartbeat | distinct Computer' });
    expect(breaking.status).toBe(400);
    expect(breaking.body.error?.problems?.[0]?.message).toMatch(/"Derived" uses this one and would fail.*OSType/);
    const cycle = await call('PUT', '/api/saved-searches/Base', operator, { name: 'Base', query: 'Derived' });
    expect(cycle.body.error?.problems?.[0]?.message).toMatch(/cannot use themselves: Derived → Base → Derived/);

    t.server.savedSearches.registerUsageSource('alert rules', (search) => (search.name === 'Derived' ? [{ kind: 'alert rule', name: 'Linux down', id: 'r1' }] : []));
    const byRule = await call('DELETE', '/api/saved-searches/Derived', operator);
    expect(byRule.status).toBe(409);
    expect(byRule.body.error?.message).toMatch(/alert rule "Linux down" \(r1\)/);
    t.server.savedSearches.registerUsageSource('alert rules', () => []);
    expect((await call('DELETE', '/api/saved-searches/Derived', operator)).status).toBe(204);
    expect((await call('DELETE', `/api/saved-searches/${base.id}`, operator)).status).toBe(204);
  });
});
