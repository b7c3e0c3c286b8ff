/**
 * The short fuzzing run of the test suite: a few thousand queries from the grammar, mutated from
 * the corpus and from random text, each through tokenize, parse, compile and DuckDB (a small
 * generated fleet, query connection), checked by check.ts. Seeded, so a failure replays; set
 * FUZZ_SEED to explore other cases, and run `npm run fuzz -- --cases 1000000` for the long run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources, type SourceName } from './campaign.js';
import { checkQuery, type FuzzEnv } from './check.js';
import { openFleet, type Fleet } from './fleet.js';

const seed = Number(process.env.FUZZ_SEED ?? 20_260_601);
const runs: Record<SourceName, number> = { grammar: 1200, mutation: 1200, random: 600 };

let fleet: Fleet;
let env: FuzzEnv;
beforeAll(async () => {
  fleet = await openFleet();
  env = { conn: fleet.conn, now: fleet.now, timeoutMs: 2000, slowCompileMs: 3000 };
});
afterAll(() => fleet.close());

describe('fuzzing the query language', () => {
  it.each(Object.keys(runs) as SourceName[])('%s queries: no crash, no hang, valid diagnostics, no raw engine error', async (source) => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(sources[source], async (query) => {
        const result = await checkQuery(query, env);
        checked++;
        if (!result.ok) throw new Error(`${result.failure.key}\n${result.failure.detail}`);
      }),
      // the time limit keeps the file bounded on a busy machine; the count is what normally ends it
      { numRuns: runs[source], seed, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
    expect(checked).toBeGreaterThan(runs[source] / 10);
  }, 60_000);
});
