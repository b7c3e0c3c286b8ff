/**
 * One concurrency limit for every query the server runs on the DuckDB store: while the slot and
 * the line behind it are taken, the query API, dashboard tiles, compliance views, alert rule
 * previews and computer groups are all refused as the query API refuses (429 TooManyQueries
 * with Retry-After, or "busy" where the answer is not HTTP's), and the query in line runs once
 * the slot frees. The CLI's runner (one per command, on the database file) keeps the same limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateGroup } from '../app/updates/deployments/groups.js';
import { localRunner } from '../query/run-query.js';
import { startTestServer, type TestServer } from './test-server.js';

/** 10^11 rows to add up: minutes of work, stopped by the test's cancel long before. */
const slow = 'range i from 1 to 100000000000 step 1 | summarize s = sum(i)';

let t: TestServer;
let tilePath: string;
let ruleId: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: Record<string, any> }> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

beforeAll(async () => {
  t = await startTestServer({ queryLimits: { maxConcurrent: 1, maxWaiting: 1, timeoutMs: 60_000 }, savedSearches: { addSamples: false }, dashboards: { addDefault: false } });
  const search = await call('POST', '/api/saved-searches', { name: 'Beats', category: 'Test', description: '', query: 'Heartbeat | summarize n = count() by Computer' });
  expect(search.status).toBe(201);
  const board = await call('POST', '/api/dashboards', { name: 'Limits', tiles: [{ title: 'Beats', savedSearchId: search.json.id, visualization: 'auto', timeRange: 'PT1H', refreshSeconds: 60, x: 0, y: 0, w: 6, h: 4 }] });
  expect(board.status).toBe(201);
  tilePath = `/api/dashboards/${board.json.id}/tiles/${board.json.tiles[0].id}/result`;
  const rule = await call('POST', '/api/alert-rules', { name: 'beats', query: 'Heartbeat', frequency: 'PT5M', lookback: 'PT5M', measure: { kind: 'rowCount' }, operator: '>', threshold: 0, enabled: false });
  expect(rule.status).toBe(201);
  ruleId = rule.json.id;
}, 60_000);

afterAll(async () => t?.close());

describe('the server runs every query under one concurrency limit', () => {
  it('with the slot and the line taken, every path is refused; the query in line runs after', async () => {
    const queries = t.server.queries;
    const cancel = new AbortController();
    const holding = queries.run({ text: slow, signal: cancel.signal });
    expect(queries.load).toEqual({ running: 1, waiting: 0 });
    const inLine = t.query('print n = 1');
    await until(() => queries.load.waiting === 1);

    const api = await t.query('print n = 2');
    expect([api.status, api.body.error?.code]).toEqual([429, 'TooManyQueries']);
    const tile = await call('GET', tilePath);
    expect([tile.status, tile.json.error.code, tile.headers.get('retry-after')]).toEqual([429, 'TooManyQueries', '1']);
    const compliance = await call('GET', '/api/compliance/machines');
    expect([compliance.status, compliance.json.error.code]).toEqual([429, 'TooManyQueries']);
    const preview = await call('POST', `/api/alert-rules/${ruleId}/evaluate`);
    expect([preview.status, preview.json.error]).toEqual([200, 'the server is busy with other queries; try again in a moment']);
    const group = await evaluateGroup({ name: 'all', query: 'Heartbeat | distinct Computer' }, queries, { now: new Date() });
    expect(group).toEqual({ ok: false, problem: { field: 'targets.groups', message: 'Group "all" could not be evaluated: the server is busy with other queries; retry in a moment.' } });
    expect(queries.load).toEqual({ running: 1, waiting: 1 });

    cancel.abort();
    expect(await holding).toMatchObject({ ok: false, diagnostics: [{ code: 'E503' }] });
    const ran = await inLine;
    expect([ran.status, ran.body.tables[0]!.rows]).toEqual([200, [[1]]]);
    expect(queries.load).toEqual({ running: 0, waiting: 0 });
    // Free again: the tile runs.
    expect((await call('GET', tilePath)).status).toBe(200);
  }, 60_000);

  it('a query cancelled while in line leaves the line without running', async () => {
    const queries = t.server.queries;
    const first = new AbortController();
    const second = new AbortController();
    const holding = queries.run({ text: slow, signal: first.signal });
    const waiting = queries.run({ text: 'print n = 1', signal: second.signal });
    expect(queries.load).toEqual({ running: 1, waiting: 1 });
    second.abort();
    expect(await waiting).toMatchObject({ ok: false, diagnostics: [{ code: 'E503', message: 'The query was cancelled before it finished.' }] });
    expect(queries.load).toEqual({ running: 1, waiting: 0 });
    first.abort();
    await holding;
    expect(queries.load).toEqual({ running: 0, waiting: 0 });
  }, 60_000);
});

describe("the CLI's runner", () => {
  it('runs two queries at once and lines up the third, as the server does by default', async () => {
    const runner = localRunner({ db: t.dbPath });
    const cancel = new AbortController();
    const runs = [1, 2, 3].map(() => runner.run({ text: slow, signal: cancel.signal }));
    expect(runner.load).toEqual({ running: 2, waiting: 1 });
    cancel.abort();
    for (const outcome of await Promise.all(runs)) expect(outcome).toMatchObject({ ok: false, diagnostics: [{ code: 'E503' }] });
    expect(runner.load).toEqual({ running: 0, waiting: 0 });
  }, 60_000);
});
