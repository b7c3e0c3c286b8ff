/**
 * The compliance views (app/updates/compliance) at fleet scale: by default 10,000 machines,
 * a day of minute heartbeats (≈14M rows) and ≈5M Update rows (a day of sample assessments plus
 * older history from generateUpdateRows). Each view is timed end to end (compile, run, shape the
 * rows; median of several runs; goal ≤ 150 ms) beside the best hand-written DuckDB SQL for the
 * same answer, run in the same process through the same value conversion as the in-run baseline
 * (the machine is shared: read the ratios).
 *
 * Usage: run-ts bench/compliance-views.ts [--machines 10000] [--runs 7] [--quick]
 *          [--ingestion-order] [--db keep.duckdb]
 *   --quick            1,000 machines, 3 runs
 *   --ingestion-order  store Heartbeat and Update in TimeGenerated order, as a server receiving
 *                      live agents does (the sample generator writes machine by machine, which
 *                      compresses and groups far better; both are worth knowing)
 *   --db FILE          build the data in FILE, or reuse it when it already holds records
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import cliProgress from 'cli-progress';
import { compile } from '../language/compile.js';
import { runSql } from '../query/duckdb/run.js';
import { runQuery } from '../query/run-query.js';
import { createRecordTables } from '../records/store/duckdb-store.js';
import { machinesQuery, updatesQuery } from '../app/updates/compliance/queries.js';
import { machinesView, updatesView, type RunKql } from '../app/updates/compliance/views.js';
import { generateSample } from '../samples/generate.js';
import { generateUpdateRows } from '../samples/update-rows.js';

const end = new Date('2024-06-01T12:00:00Z');
/** The views run a minute after the last heartbeat. */
const now = new Date(end.getTime() + 60_000);
const updateRowsPerMachine = 500;

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number above 0, got '${process.argv[i + 1]}'.`);
  return value;
}

function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number((await conn.runAndReadAll(sql)).getRows()[0]?.[0]);
}

/** Steps with a progress bar on a terminal (generation at 10,000 machines takes a few minutes). */
async function buildData(conn: DuckDBConnection, machines: number, ingestionOrder: boolean): Promise<void> {
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: 'data {step} [{bar}] {percentage}%', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  const steps = ingestionOrder ? 3 : 2;
  bar?.start(steps * 100, 0, { step: 'sample fleet'.padEnd(16) });
  const progress = (step: number, label: string) => (done: number, total: number) => bar?.update(step * 100 + Math.round((100 * done) / Math.max(1, total)), { step: label.padEnd(16) });
  try {
    const summary = await generateSample(conn, { machines, days: 1, seed: 1, end }, progress(0, 'sample fleet'));
    // Older assessments, before the sample's window: history the views must skip.
    const history = Math.max(1, machines * updateRowsPerMachine - summary.rows.Update);
    const before = new Date(summary.windowStart.getTime() - 3 * 3_600_000);
    await generateUpdateRows(conn, history, 1, { machines, end: before, onProgress: progress(1, 'update history') });
    if (ingestionOrder) {
      for (const [i, table] of ['Heartbeat', 'Update'].entries()) {
        progress(2, `reorder ${table}`)(i, 2);
        await conn.run(`CREATE TABLE _ordered AS SELECT * FROM "${table}" ORDER BY TimeGenerated`);
        await conn.run(`DROP TABLE "${table}"`);
        await conn.run(`ALTER TABLE _ordered RENAME TO "${table}"`);
      }
    }
    await conn.run('CHECKPOINT');
  } finally {
    bar?.stop();
  }
}

/** The best SQL we could write by hand for each view's answer (same rules, no KQL in between). */
export function handSql(): { machines: string; updates: string } {
  const at = (offsetMs: number) => `TIMESTAMP '${new Date(now.getTime() - offsetMs).toISOString().replace('T', ' ').replace('Z', '')}'`;
  const latest = `SELECT Computer, max(TimeGenerated) AS t, arg_max(RestartPending, TimeGenerated) AS restart, arg_max(OsVersion, TimeGenerated) AS os_version FROM UpdateSummary GROUP BY Computer`;
  const needed = `u.UpdateState = 'Needed' AND u.Optional IS NOT TRUE`;
  const machines = `WITH a AS (${latest}),
    h AS (SELECT Computer, max(TimeGenerated) AS hb, any_value(OSType) AS os, any_value(OSName) AS os_name FROM Heartbeat WHERE TimeGenerated > ${at(6 * 3_600_000)} GROUP BY Computer),
    m AS (SELECT u.Computer, count(*) FILTER (WHERE u.Classification = 'Critical Updates') AS c, count(*) FILTER (WHERE u.Classification = 'Security Updates') AS s,
            count(*) FILTER (WHERE u.Classification NOT IN ('Critical Updates', 'Security Updates')) AS o, any_value(u.OSType) AS os, any_value(u.OSName) AS os_name
          FROM "Update" u JOIN a ON u.Computer = a.Computer AND u.TimeGenerated = a.t WHERE ${needed} GROUP BY u.Computer)
    SELECT Computer, coalesce(h.os, m.os, '') AS os, coalesce(h.os_name, m.os_name, a.os_version, '') AS os_name,
      a.t IS NOT NULL AND coalesce(m.c, 0) + coalesce(m.s, 0) = 0 AS compliant,
      CASE WHEN a.t IS NULL THEN 'notAssessed' WHEN m.c > 0 THEN 'critical' WHEN m.s > 0 THEN 'security' WHEN m.o > 0 THEN 'other' ELSE 'upToDate' END AS worst,
      CASE WHEN h.hb >= ${at(3_600_000)} THEN 'Ready' WHEN h.hb IS NULL AND a.t > ${at(6 * 3_600_000)} THEN 'NotConfigured' ELSE 'Disconnected' END AS readiness,
      h.hb, a.t, coalesce(m.c, 0), coalesce(m.s, 0), coalesce(m.o, 0), coalesce(a.restart, false)
    FROM h FULL JOIN a USING (Computer) LEFT JOIN m USING (Computer)
    ORDER BY 9 DESC, 10 DESC, 11 DESC, Computer`;
  const updates = `WITH a AS (SELECT Computer, max(TimeGenerated) AS t FROM UpdateSummary GROUP BY Computer)
    SELECT CASE WHEN u.OSType = 'Windows' THEN u.UpdateID ELSE u.Product || '|' || u.ProductArch END AS key, u.OSType,
      count(DISTINCT u.Computer) AS machines, max(u.Title), max(u.KBID), max(u.Product), max(u.ProductArch), max(u.ProductVersion),
      max(u.Classification), max(CASE WHEN u.OSType = 'Windows' THEN u.MSRCSeverity ELSE u.PackageSeverity END), max(u.CVENumbers), max(u.PublishedDate)
    FROM "Update" u JOIN a ON u.Computer = a.Computer AND u.TimeGenerated = a.t WHERE ${needed}
    GROUP BY ALL ORDER BY machines DESC, 4, key`;
  return { machines, updates };
}

/**
 * Median (and best) of `runs` timings of each side, the two sides alternating run by run so that
 * the shared machine's load changes hit both alike.
 */
async function interleaved(runs: number, ours: () => Promise<number>, theirs: () => Promise<number>): Promise<{ ours: Timing; theirs: Timing }> {
  const rows = [await ours(), await theirs()]; // warm the caches once
  const samples: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [side, work] of [ours, theirs].entries()) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      rows[side] = await work();
      const used = process.cpuUsage(startCpu);
      samples[side]!.push(performance.now() - start);
      cpu[side]!.push((used.user + used.system) / 1000);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const timing = (side: 0 | 1): Timing => ({ ms: median(samples[side]), bestMs: Math.min(...samples[side]), cpuMs: median(cpu[side]), rows: rows[side]! });
  return { ours: timing(0), theirs: timing(1) };
}

interface Timing {
  ms: number;
  bestMs: number;
  /** CPU time of the whole process (DuckDB's threads included): steadier than wall time on a busy machine. */
  cpuMs: number;
  rows: number;
}

export interface ViewFigures {
  view: string;
  viewMs: number;
  viewBestMs: number;
  viewCpuMs: number;
  handSqlMs: number;
  handSqlBestMs: number;
  rows: number;
}

export async function benchComplianceViews(machines: number, runs: number, options: { ingestionOrder?: boolean; db?: string } = {}): Promise<ViewFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-'));
  const instance = await DuckDBInstance.create(options.db ?? join(dir, 'bench.duckdb'));
  const conn = await instance.connect();
  try {
    await createRecordTables(conn);
    const started = performance.now();
    if ((await scalar(conn, 'SELECT count(*) FROM UpdateSummary')) === 0) await buildData(conn, machines, options.ingestionOrder ?? false);
    const size = await Promise.all(['Heartbeat', 'Update', 'UpdateSummary'].map(async (t) => `${t} ${(await scalar(conn, `SELECT count(*) FROM "${t}"`)).toLocaleString('en-US')}`));
    const fleet = await scalar(conn, 'SELECT count(DISTINCT Computer) FROM UpdateSummary');
    console.log(`data: ${fleet.toLocaleString('en-US')} assessed machines; ${size.join(', ')} rows${options.ingestionOrder ? ' (ingestion order)' : ''} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

    const run: RunKql = (text, at) => runQuery(text, { connection: conn, now: at, maxRows: 1_000_000 });
    const rowsOf = async (outcome: Promise<{ ok: boolean; rows?: unknown[] }>) => {
      const o = await outcome;
      if (!o.ok || !o.rows) throw new Error(`the view failed: ${JSON.stringify(o).slice(0, 500)}`);
      return o.rows.length;
    };
    const hand = handSql();
    // Through the same runSql with the view's output columns, so converting the values costs both sides the same.
    const columnsOf = (text: string) => {
      const compiled = compile(text, { now });
      if (!compiled.ok) throw new Error(`the view does not compile: ${compiled.diagnostics[0]?.message}`);
      return compiled.columns;
    };
    const handRows = (sql: string, text: string) => {
      const columns = columnsOf(text);
      return async () => (await runSql(conn, sql, columns, { maxRows: 1_000_000 })).rows.length;
    };
    const figures: ViewFigures[] = [];
    for (const [view, work, sql] of [
      ['machines', () => rowsOf(machinesView(run, {}, now)), handRows(hand.machines, machinesQuery())],
      ['missing updates', () => rowsOf(updatesView(run, {}, now)), handRows(hand.updates, updatesQuery())],
    ] as const) {
      const { ours, theirs } = await interleaved(runs, work, sql);
      if (ours.rows !== theirs.rows) throw new Error(`${view}: the view has ${ours.rows} rows, the hand-written SQL ${theirs.rows}`);
      figures.push({ view, viewMs: ours.ms, viewBestMs: ours.bestMs, viewCpuMs: ours.cpuMs, handSqlMs: theirs.ms, handSqlBestMs: theirs.bestMs, rows: ours.rows });
    }
    return figures;
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const machines = numberArg('machines', quick ? 1_000 : 10_000);
  const runs = numberArg('runs', quick ? 3 : 7);
  const db = stringArg('db');
  const figures = await benchComplianceViews(machines, runs, { ingestionOrder: process.argv.includes('--ingestion-order'), ...(db ? { db } : {}) });
  console.log(`compliance views, median (best) of ${runs} runs in ms, view and hand SQL alternating; goal ≤ 150 ms per view`);
  console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; CPU = the process's CPU time per view run (all threads)`);
  console.log(`${'view'.padEnd(16)} ${'rows'.padStart(7)} ${'view'.padStart(16)} ${'CPU'.padStart(7)} ${'hand SQL'.padStart(16)} ${'ratio'.padStart(6)}  goal`);
  const cell = (median: number, best: number) => `${median.toFixed(1)} (${best.toFixed(1)})`.padStart(16);
  for (const f of figures) {
    const verdict = f.viewMs <= 150 ? 'met' : 'missed';
    console.log(`${f.view.padEnd(16)} ${String(f.rows).padStart(7)} ${cell(f.viewMs, f.viewBestMs)} ${f.viewCpuMs.toFixed(0).padStart(7)} ${cell(f.handSqlMs, f.handSqlBestMs)} ${(f.viewMs / f.handSqlMs).toFixed(2).padStart(6)}  ${verdict}`);
  }
}
