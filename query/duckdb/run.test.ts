import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codes, QueryError } from '../../language/syntax/diagnostics.js';
import type { Column } from '../../language/schema/types.js';
import { DEFAULT_MAX_ROWS, runSql } from './run.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

const x: Column[] = [{ name: 'x', type: 'long' }];
// Ten billion joined rows: minutes of work unless interrupted.
const slowAggregate = 'SELECT sum(a.range * b.range) AS x FROM range(100000) a, range(100000) b';
const slowSparseStream = 'SELECT a.range * b.range AS x FROM range(100000) a, range(100000) b WHERE (a.range * b.range) % 1000003 = 7';
const endlessDenseStream = 'SELECT a.range + b.range AS x FROM range(100000) a, range(100000) b';

async function connectionStillAnswers(): Promise<void> {
  const { rows } = await runSql(conn, 'SELECT 41 + 1 AS x', x, { maxRows: 10 });
  expect(rows).toEqual([[42]]);
}

function codeOf(error: unknown): string | undefined {
  return error instanceof QueryError ? error.diagnostic.code : undefined;
}

describe('row limit', () => {
  it('keeps maxRows rows and says the result was truncated', async () => {
    const result = await runSql(conn, 'SELECT range AS x FROM range(10000) ORDER BY x', x, { maxRows: 2500 });
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(2500);
    expect(result.rows.at(-1)).toEqual([2499]);
  });

  it('exactly maxRows rows is not truncated', async () => {
    const result = await runSql(conn, 'SELECT range AS x FROM range(4096)', x, { maxRows: 4096 });
    expect(result.truncated).toBe(false);
    expect(result.rows).toHaveLength(4096);
  });

  it('stops reading an unbounded stream at the limit', async () => {
    const started = performance.now();
    const result = await runSql(conn, endlessDenseStream, x, { maxRows: 3000 });
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(3000);
    expect(performance.now() - started).toBeLessThan(2000);
    await connectionStillAnswers();
  });

  it('maxRows 0 returns no rows, truncated when there were some', async () => {
    expect(await runSql(conn, 'SELECT 1::BIGINT AS x', x, { maxRows: 0 })).toMatchObject({ rows: [], truncated: true });
    expect(await runSql(conn, 'SELECT 1::BIGINT AS x WHERE false', x, { maxRows: 0 })).toMatchObject({ rows: [], truncated: false });
  });

  it('defaults to 500,000 rows and rejects a nonsensical limit', async () => {
    expect(DEFAULT_MAX_ROWS).toBe(500_000);
    await expect(runSql(conn, 'SELECT 1 AS x', x, { maxRows: -1 })).rejects.toThrow(/maxRows must be a whole number/);
  });

  it('reports the duration', async () => {
    const result = await runSql(conn, 'SELECT 1 AS x', x, { maxRows: 1 });
    expect(result.durationMs).toBeGreaterThan(0);
  });
});

describe('timeout interrupts DuckDB', () => {
  it.each([
    ['an aggregate still computing', slowAggregate],
    ['a stream waiting for its first chunk', slowSparseStream],
    ['a stream being read chunk by chunk', endlessDenseStream],
  ])('stops %s within about a second and leaves the connection usable', async (_, sql) => {
    const started = performance.now();
    const error = await runSql(conn, sql, x, { maxRows: 100_000_000, timeoutMs: 200 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(codeOf(error)).toBe(Codes.timeout);
    expect((error as QueryError).message).toBe(
      'The query ran longer than the 0.2 s limit. Narrow the time range or add filters; raise the limit with --timeout.',
    );
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    await connectionStillAnswers();
  });

  it('a query that finishes in time is not affected by its timer', async () => {
    const result = await runSql(conn, 'SELECT 7 AS x', x, { maxRows: 1, timeoutMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(result.rows).toEqual([[7]]);
    await connectionStillAnswers();
  });
});

describe('cancellation interrupts DuckDB', () => {
  it('an abort while running stops the query', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const error = await runSql(conn, slowAggregate, x, { maxRows: 10, signal: controller.signal }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe(Codes.cancelled);
    expect(performance.now() - started).toBeLessThan(2000);
    await connectionStillAnswers();
  });

  it('an already aborted signal never starts the query', async () => {
    const error = await runSql(conn, slowAggregate, x, { maxRows: 10, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe(Codes.cancelled);
  });
});

describe('engine errors', () => {
  it('a DuckDB error becomes an internal error at the given range, keeping the engine message', async () => {
    const error = await runSql(conn, "SELECT 'x'::INTEGER AS x", x, { maxRows: 1, range: { start: 3, end: 9 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueryError);
    const { diagnostic } = error as QueryError;
    expect(diagnostic).toMatchObject({ code: Codes.internal, severity: 'error', range: { start: 3, end: 9 } });
    expect(diagnostic.message).toMatch(/^Internal error: .*Conversion Error/s);
    await connectionStillAnswers();
  });

  it('only a SELECT runs: COPY, ATTACH, SET and several statements are refused', async () => {
    for (const sql of ["COPY (SELECT 1) TO '/tmp/upkeep-run-test.csv'", "ATTACH ':memory:' AS other", 'SET threads = 1', 'SELECT 1; SELECT 2']) {
      const error = await runSql(conn, sql, x, { maxRows: 1 }).catch((e: unknown) => e);
      expect(codeOf(error), sql).toBe(Codes.internal);
    }
  });

  // Found by the language fuzzer (test/fuzz): data can overflow a long or push a datetime past
  // 2262, which is the query's problem (E505 with advice), not an internal error.
  it.each([
    ['long multiplication', 'SELECT CAST(9223372036854775807 AS BIGINT) * CAST(7 AS INTEGER) AS x'],
    ['datetime past 2262', 'SELECT epoch_ns(make_timestamp_ns(epoch_ns(make_timestamp_ns(1717156800000000000::BIGINT)) + 9223286400000000000::BIGINT)) AS x'],
    ['datetime before 1677', "SELECT strftime(make_timestamp_ns(-9223372036854775806::BIGINT), '%Y') AS x"],
  ])('a value out of range (%s) is E505, not an internal error', async (_name, sql) => {
    const error = await runSql(conn, sql, x, { maxRows: 1, range: { start: 0, end: 4 } }).catch((e: unknown) => e);
    expect((error as QueryError).diagnostic).toMatchObject({ code: Codes.valueOutOfRange, range: { start: 0, end: 4 } });
    expect((error as QueryError).diagnostic.message).toMatch(/went out of range .*todouble/);
    await connectionStillAnswers();
  });

  it('a column count that disagrees with the schema is an internal error', async () => {
    const error = await runSql(conn, 'SELECT 1 AS x, 2 AS y', x, { maxRows: 1 }).catch((e: unknown) => e);
    expect((error as QueryError).diagnostic.message).toContain('returns 2 columns');
  });
});
