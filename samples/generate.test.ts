import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordTables as allRecordTables } from '../language/schema/tables.js';
import { generateSample, validateOptions, type SampleOptions, type SampleSummary } from './generate.js';
import { count, emptyDatabase, rows } from './testing.js';

/** The tables the generator fills (AlertEvaluation is written by the alert evaluator only). */
const recordTables = allRecordTables.filter((t) => t.name !== 'AlertEvaluation');
const end = new Date('2024-06-01T12:34:00Z');
const small: SampleOptions = { machines: 24, days: 2, seed: 7, end };

/** Includes rowid: the physical row order is deterministic too, so `take` without a sort is repeatable. */
async function checksums(conn: DuckDBConnection): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const t of recordTables) {
    const [row] = await rows(conn, `SELECT count(*) || ':' || coalesce(sum(hash(t.rowid, t)), 0) AS c FROM "${t.name}" t`);
    result[t.name] = String(row?.c);
  }
  return result;
}

async function generated(options: SampleOptions): Promise<{ conn: DuckDBConnection; summary: SampleSummary }> {
  const conn = await emptyDatabase();
  const summary = await generateSample(conn, options);
  return { conn, summary };
}

describe('generateSample determinism', () => {
  it('writes identical rows for the same seed and end, and different rows for another seed', async () => {
    const a = await generated(small);
    const b = await generated(small);
    const c = await generated({ ...small, seed: 8 });
    const sumsA = await checksums(a.conn);
    expect(sumsA).toEqual(await checksums(b.conn));
    const sumsC = await checksums(c.conn);
    for (const t of recordTables) expect(sumsC[t.name], t.name).not.toEqual(sumsA[t.name]);
  });

  it('shifts with the end time', async () => {
    const a = await generated(small);
    const later = await generated({ ...small, end: new Date('2024-06-01T13:34:00Z') });
    expect(await checksums(later.conn)).not.toEqual(await checksums(a.conn));
  });
});

describe('generateSample counts', () => {
  let conn: DuckDBConnection;
  let summary: SampleSummary;
  beforeAll(async () => ({ conn, summary } = await generated(small)));

  it('reports the rows it wrote', async () => {
    for (const t of recordTables) {
      expect(summary.rows[t.name as keyof SampleSummary['rows']], t.name).toBe(await count(conn, `SELECT count(*) FROM "${t.name}"`));
    }
    expect(summary.machines).toBe(24);
  });

  it('sends a heartbeat every minute for connected machines and stops for disconnected ones', async () => {
    const minutes = small.days * 1440;
    const perMachine = await rows(conn, `SELECT Computer, count(*)::INTEGER AS n, count(DISTINCT date_trunc('minute', TimeGenerated))::INTEGER AS distinct_minutes,
        max(TimeGenerated)::VARCHAR AS last FROM Heartbeat GROUP BY Computer`);
    expect(perMachine).toHaveLength(24);
    for (const m of perMachine) expect(m.n).toBe(m.distinct_minutes);
    const connected = perMachine.filter((m) => m.n === minutes);
    const silent = perMachine.filter((m) => Number(m.n) < minutes);
    expect(silent.length).toBeGreaterThanOrEqual(1);
    expect(connected.length + silent.length).toBe(24);
    for (const m of connected) expect(String(m.last).startsWith('2024-06-01 12:34:')).toBe(true);
    const expected = perMachine.reduce((n, m) => n + Number(m.n), 0);
    expect(await count(conn, 'SELECT count(*) FROM Heartbeat')).toBe(expected);
  });

  it('keeps every timestamp inside the window', async () => {
    for (const t of recordTables) {
      const outside = await count(conn, `SELECT count(*) FROM "${t.name}" WHERE TimeGenerated < TIMESTAMP '2024-05-30 12:35:00' OR TimeGenerated >= TIMESTAMP '2024-06-01 12:35:00'`);
      expect(outside, t.name).toBe(0);
    }
  });
});

describe('validateOptions', () => {
  it.each([
    [{ ...small, machines: 0 }, /machines must be a whole number from 1/],
    [{ ...small, days: 1.5 }, /days must be a whole number/],
    [{ ...small, seed: -1 }, /seed must be a whole number from 0/],
    [{ ...small, end: new Date('nope') }, /end must be a valid date/],
  ])('rejects %o', (options, message) => {
    expect(() => validateOptions(options)).toThrow(message);
  });
});
