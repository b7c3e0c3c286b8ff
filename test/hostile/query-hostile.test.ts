/**
 * Hostile queries on a real server: giant texts, deep nesting, result bombs. Each is stopped by
 * a limit (text length, nesting, rows, time) with a clear error, and afterwards the server still
 * answers an ordinary query. Nothing a query does may write: the record count stays as seeded.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, startTestServer, type QueryAnswer, type TestServer } from '../../server/test-server.js';

let t: TestServer;
const MAX_ROWS = 10_000;
const TIMEOUT_MS = 3_000;

beforeAll(async () => {
  t = await startTestServer({ savedSearches: { addSamples: false }, dashboards: { addDefault: false }, queryLimits: { maxRows: MAX_ROWS, timeoutMs: TIMEOUT_MS } });
  expect((await t.postLogs('Heartbeat', [heartbeat('q-1'), heartbeat('q-2')])).status).toBe(200);
});
afterAll(async () => t?.close());

/** After every hostile query: the server answers a normal one, and the data is as seeded. */
async function expectHealthy(): Promise<void> {
  const { status, body } = await t.query('Heartbeat | summarize n = count()');
  expect([status, body.tables[0]!.rows]).toEqual([200, [[2]]]);
}

async function timed(text: string): Promise<{ status: number; body: QueryAnswer; ms: number }> {
  const started = performance.now();
  const answer = await t.query(text);
  return { ...answer, ms: performance.now() - started };
}

describe('giant and deeply nested query texts', () => {
  it('a query text over 256 KB is refused before it is parsed, with the size and the limit named', async () => {
    for (const length of [262_145, 1_000_001]) {
      const text = `print x = "${'a'.repeat(length - 12)}"`;
      expect(text.length).toBe(length);
      const { status, body, ms } = await timed(text);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'QueryTooLong', message: expect.stringMatching(new RegExp(`^The query text is ${length.toLocaleString('en-US')} characters; the limit is 262,144 \\(256 KB\\)\\. Shorten it`)) });
      expect(ms).toBeLessThan(2_000);
    }
    await expectHealthy();
  });

  it('a query just under 256 KB (an in-list of 14,000 names) runs, holding the event loop briefly', async () => {
    const names = Array.from({ length: 14_000 }, (_, i) => `"machine-${String(i).padStart(6, '0')}"`).join(',');
    const text = `Heartbeat | where Computer in (${names}, "q-1") | count`;
    expect(text.length).toBeGreaterThan(230_000);
    expect(text.length).toBeLessThanOrEqual(256 * 1024);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const { status, body, ms } = await timed(text);
    delay.disable();
    expect([status, body.tables?.[0]?.rows]).toEqual([200, [[1]]]);
    const longestStallMs = delay.max / 1e6;
    console.log(`query-hostile: 0.24 MB in-list query answered in ${Math.round(ms)} ms; longest event-loop stall ${Math.round(longestStallMs)} ms`);
    // Loose on a shared machine: the 0.85 MB text this limit replaced stalled it 1.1–2 s.
    expect(longestStallMs).toBeLessThan(1_000);
    await expectHealthy();
  }, 30_000);

  it('100,000 syntax errors stop at the first 50, quickly', async () => {
    const { status, body, ms } = await timed(`print x = strcat(${','.repeat(100_000)})`);
    expect(status).toBe(400);
    expect(body.error!.details).toHaveLength(51);
    expect(body.error!.details![50]).toMatchObject({ code: 'E101', message: 'More than 50 syntax errors: the rest of the query was not checked. Fix these first.' });
    // Recovering from each error took about 75 µs: 7.5 s of event loop before the cap.
    expect(ms).toBeLessThan(2_000);
    await expectHealthy();
  });

  it('10,000 nested parentheses are refused with a diagnostic, not a crash', async () => {
    const text = `print x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const { status, body } = await timed(text);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BadArgumentError', message: expect.stringMatching(/nest/i) });
    expect(body.error!.details![0]).toMatchObject({ line: 1 });
    await expectHealthy();
  });

  it('10,000 nested function calls are refused with the same diagnostic', async () => {
    const { status, body } = await timed(`print x = ${'abs('.repeat(10_000)}1${')'.repeat(10_000)}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BadArgumentError', message: "Brackets are nested more than 100 deep: simplify the query, for example with 'let' statements." });
    await expectHealthy();
  });

  it('a chain of 10,000 (and 2,000) binary operators is refused with a 400 naming the limit, at the place it is crossed', async () => {
    for (const terms of [10_000, 2_000]) {
      const { status, body } = await timed(`print x = ${Array.from({ length: terms }, () => '1').join(' + ')}`);
      expect([terms, status, body.error?.code]).toEqual([terms, 400, 'BadArgumentError']);
      expect(body.error!.message).toMatch(/^This expression is nested more than 100 levels deep .*Compute it in steps/);
      expect(body.error!.details![0]).toMatchObject({ line: 1, column: 11, code: 'E506' });
    }
    await expectHealthy();
  });

  it('long and/or chains, lets built on lets and long pipelines are refused the same way', async () => {
    const cases = [
      { text: `Heartbeat | where ${Array.from({ length: 5_000 }, (_, i) => `Computer == "m${i}"`).join(' or ')}`, message: /more than 1000 conditions/ },
      { text: `${Array.from({ length: 5_000 }, (_, i) => `let a${i + 1} = ${i === 0 ? '1' : `a${i} + 1`};`).join('\n')}\nprint x = a5000`, message: /levels deep \(counting operators, function calls and the lets it uses\)/ },
      { text: `Heartbeat${' | where Computer != ""'.repeat(5_000)} | count`, message: /more than 200 operators in sequence/ },
    ];
    for (const { text, message } of cases) {
      const { status, body } = await timed(text);
      expect([status, body.error?.code]).toEqual([400, 'BadArgumentError']);
      expect(body.error!.message).toMatch(message);
    }
    await expectHealthy();
  });

  it('expressions at the limits run', async () => {
    const deepest = `print x = ${Array.from({ length: 101 }, () => '1').join(' + ')}`;
    const longest = `Heartbeat${' | where Computer != ""'.repeat(199)} | count`;
    expect([(await t.query(deepest)).body.tables[0]!.rows, (await t.query(longest)).body.tables[0]!.rows]).toEqual([[[101]], [[2]]]);
  });
});

describe('result bombs', () => {
  const cross = 'range x from 1 to 100000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k';

  it('a cross join of two 10^5 ranges (10^10 rows) stops at the row limit and says the result was truncated', async () => {
    const { status, body, ms } = await timed(`${cross} | project x, y`);
    expect(status).toBe(200);
    expect(body.truncated).toBe(true);
    expect(body.tables[0]!.rows).toHaveLength(MAX_ROWS);
    console.log(`query-hostile: cross join truncated at ${MAX_ROWS} rows in ${Math.round(ms)} ms`);
    await expectHealthy();
  }, 30_000);

  it('aggregating that cross join stops at the time limit with 504 and the limit named', async () => {
    const { status, body, ms } = await timed(`${cross} | summarize n = count()`);
    expect(status).toBe(504);
    expect(body.error).toMatchObject({ code: 'QueryTimeout', message: expect.stringMatching(/3(\.0)? s|3000 ms|3 seconds/) });
    expect(ms).toBeLessThan(TIMEOUT_MS + 5_000);
    console.log(`query-hostile: cross-join aggregate stopped after ${Math.round(ms)} ms (limit ${TIMEOUT_MS} ms)`);
    await expectHealthy();
  }, 30_000);

  // No memory limit of its own: DuckDB's instance-wide default (80% of RAM) applies, and on this
  // 23 GB machine the time limit stops a list of 10^9 values long before memory would.
  it('a memory bomb (one list of 10^9 values) is stopped by the time limit with a clear error', async () => {
    const { status, body, ms } = await timed('range x from 1 to 1000000000 step 1 | summarize l = make_list(x) | project n = array_length(l)');
    expect(status).toBe(504);
    expect(body.error).toMatchObject({ code: 'QueryTimeout', message: expect.stringMatching(/^The query ran longer than the 3 s limit/) });
    console.log(`query-hostile: make_list over 10^9 answered ${status} after ${Math.round(ms)} ms: ${body.error?.message}`);
    await expectHealthy();
  }, 30_000);

  it('many bombs at once: the excess waits or gets 429, and the server recovers', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => timed(`${cross} | summarize n = count()`)));
    expect(answers.map((a) => a.status).every((s) => s === 504 || s === 429)).toBe(true);
    await expectHealthy();
  }, 60_000);
});
