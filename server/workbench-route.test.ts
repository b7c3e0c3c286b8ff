import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';
import { workbenchRoute } from './workbench-route.js';

describe('workbench route (a built dist in a temp folder)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'upkeep-dist-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wb</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    app.get('/api/schema', async () => ({ tables: [] }));
    await app.register(async (scope) => workbenchRoute(scope, dist));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for client routes, revalidated', async () => {
    for (const url of ['/', '/search', '/search?q=Heartbeat', '/deployments/42']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>wb</title>');
    }
  });

  it('serves hashed assets with a year of caching, and 404s missing files and escapes', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/..%2f..%2fetc%2fpasswd.txt' })).statusCode).toBe(404);
  });

  it('leaves API paths to the API: real routes win, unknown ones answer the JSON 404', async () => {
    expect((await app.inject({ url: '/api/schema' })).json()).toEqual({ tables: [] });
    const res = await app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NotFound');
  });

  it('says how to build the workbench when dist is missing', async () => {
    const bare = Fastify();
    await bare.register(async (scope) => workbenchRoute(scope, join(dist, 'nope')));
    const res = await bare.inject({ url: '/search' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:workbench');
    await bare.close();
  });
});

describe('POST /api/query/explain on a real server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  const explain = (body: unknown, token = t.adminToken) =>
    fetch(`${t.url}/api/query/explain`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers the SQL and the output columns without running the query', async () => {
    const res = await explain({ query: 'Heartbeat | summarize n = count() by Computer' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sql: string; columns: { name: string; type: string }[]; tables: string[] };
    expect(body.sql).toMatch(/GROUP BY/i);
    expect(body.columns).toEqual([{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(body.tables).toEqual(['Heartbeat']);
  });

  it('answers query errors as the query route does, and refuses a bad token', async () => {
    const res = await explain({ query: 'Heartbeat | where Nope == 1' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { line: number; column: number; code: string }[] } };
    expect(body.error.code).toBe('BadArgumentError');
    expect(body.error.details[0]).toMatchObject({ line: 1, column: 19, code: 'E202' });
    expect((await explain({ query: 'Heartbeat' }, 'wrong')).status).toBe(401);
  });
});
