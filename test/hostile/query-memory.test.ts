/**
 * A query over the server's memory limit (DuckDB's memory_limit, `upkeep serve --query-memory`)
 * gets a 4xx naming the limit and what to change in the query, not a 500 with DuckDB's SET
 * advice; the memory is freed and ingestion and other queries go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, startTestServer, type TestServer } from '../../server/test-server.js';
import { defaultQueryMemoryBytes } from '../../query/limits.js';
import { totalmem } from 'node:os';

const MiB = 2 ** 20;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ savedSearches: { addSamples: false }, dashboards: { addDefault: false }, queryLimits: { memoryLimitBytes: 64 * MiB, timeoutMs: 20_000 } });
});
afterAll(async () => t?.close());

describe('query memory limit', () => {
  it('a list of 10^8 values over a 64 MiB limit: 400 QueryMemoryExceeded naming the limit and the fix', async () => {
    const { status, body } = await t.query('range x from 1 to 100000000 step 1 | summarize l = make_list(x) | project n = array_length(l)');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'QueryMemoryExceeded',
      message: expect.stringMatching(/^The query needs more memory than the server allows \(64\.0 MiB for all queries and ingestion together\): reduce the rows it keeps — filter earlier, summarize, or take fewer/),
    });
    expect(body.error!.message).not.toMatch(/SET |memory_limit|please report/i);
    expect(body.error!.details![0]).toMatchObject({ code: 'E507' });
  }, 30_000);

  it('afterwards ingestion and ordinary queries work under the same limit', async () => {
    expect((await t.postLogs('Heartbeat', [heartbeat('mem-1'), heartbeat('mem-2')])).status).toBe(200);
    const { status, body } = await t.query('Heartbeat | where Computer startswith "mem-" | count');
    expect([status, body.tables[0]!.rows]).toEqual([200, [[2]]]);
    // A smaller aggregate of the same range fits.
    const small = await t.query('range x from 1 to 1000000 step 1 | summarize n = count(), s = sum(x)');
    expect([small.status, small.body.tables[0]!.rows]).toEqual([200, [[1_000_000, 500_000_500_000]]]);
  }, 30_000);

  it('the default leaves half of the machine for the rest of the process', () => {
    expect(defaultQueryMemoryBytes()).toBeLessThanOrEqual(totalmem() / 2);
    expect(defaultQueryMemoryBytes()).toBeGreaterThan(256 * MiB);
  });
});
