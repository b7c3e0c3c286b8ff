/**
 * The ClickHouse store runs its queries through the server's QueryRunner like DuckDB does, so
 * the concurrency limit holds there too (it used to be bypassed): while a query holds the only
 * slot on the cluster, another gets the query API's 429 TooManyQueries with Retry-After, and
 * runs once the slot is free. The time limit reaches the cluster as max_execution_time.
 * The cluster comes from global-setup.ts (two shards on loopback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test-server.js';
import { nodesOf, testCluster } from './harness.js';

const cluster = testCluster();
/** 2·10^10 numbers to add up: far longer than the 3 s limit, on any machine. */
const slow = 'range i from 1 to 20000000000 step 1 | summarize s = sum(i)';

describe.skipIf(!cluster)('the ClickHouse store honours the query limits', () => {
  let t: TestServer;

  beforeAll(async () => {
    const store = `clickhouse://${nodesOf(cluster!).map((n) => `${n.host}:${n.port}`).join(',')}`;
    t = await startTestServer({ store, queryLimits: { maxConcurrent: 1, maxWaiting: 0, timeoutMs: 3_000 }, savedSearches: { addSamples: false }, dashboards: { addDefault: false } });
  }, 60_000);

  afterAll(async () => t?.close());

  it('a second query while one runs on the cluster: 429 TooManyQueries, then it runs', async () => {
    const holding = t.server.queries.run({ text: slow });
    expect(t.server.queries.load).toEqual({ running: 1, waiting: 0 });
    const started = performance.now();
    const refused = await fetch(`${t.url}/api/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'range i from 1 to 3 step 1 | count' }),
    });
    expect([refused.status, refused.headers.get('retry-after'), ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([429, '1', 'TooManyQueries']);

    // The slot was held by a query really running on the cluster: it ends at ClickHouse's time limit.
    const outcome = await holding;
    expect(outcome).toMatchObject({ ok: false, diagnostics: [{ code: 'E502' }] });
    expect(performance.now() - started).toBeGreaterThan(2_000);
    expect(t.server.queries.load).toEqual({ running: 0, waiting: 0 });

    const after = await t.query('range i from 1 to 3 step 1 | count');
    expect([after.status, after.body.tables[0]!.rows]).toEqual([200, [[3]]]);
  }, 60_000);
});
