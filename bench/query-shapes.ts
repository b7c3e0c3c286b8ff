/**
 * KQL through Upkeep vs the best hand-written DuckDB SQL for the same answer, on a large Update
 * table, in one process (goal: every shape ≤ 1.10×, median ≤ 1.05×). Both sides run through
 * the same runSql, so result conversion costs the same; queries return small results so the
 * figures measure the engine. Usage: run-ts bench/query-shapes.ts [--rows 10000000] [--runs 5] [--db keep.duckdb]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compile } from '../language/compile.js';
import { runSql } from '../query/duckdb/run.js';
import { createRecordTables } from '../records/store/duckdb-store.js';
import { generateSample } from '../samples/generate.js';
import { generateUpdateRows } from '../samples/update-rows.js';

interface Shape {
  name: string;
  kql: string;
  sql: string;
}

const needed = `"UpdateState" = 'Needed' AND NOT "Optional"`;

export const shapes: Shape[] = [
  {
    name: 'filter + project',
    kql: 'Update | where UpdateState == "Needed" and Optional == false | project Computer, Title, KBID | count',
    sql: `SELECT count(*) AS "Count" FROM "Update" WHERE ${needed}`,
  },
  {
    name: 'summarize by computer',
    kql: 'Update | where UpdateState == "Needed" | summarize Missing = count() by Computer | count',
    sql: `SELECT count(*) AS "Count" FROM (SELECT "Computer", count(*) FROM "Update" WHERE "UpdateState" = 'Needed' GROUP BY "Computer")`,
  },
  {
    name: 'arg_max by machine',
    kql: 'Update | summarize arg_max(TimeGenerated, *) by Computer | summarize count(), max(TimeGenerated)',
    sql: `SELECT count(*) AS "count_", max("TimeGenerated") AS "max_TimeGenerated" FROM (SELECT * FROM "Update" QUALIFY row_number() OVER (PARTITION BY "Computer" ORDER BY "TimeGenerated" DESC) = 1)`,
  },
  {
    name: 'distinct',
    kql: 'Update | distinct Title',
    sql: `SELECT DISTINCT "Title" FROM "Update"`,
  },
  {
    name: 'in-subquery (semi-join)',
    kql: 'Update | where Computer in ((Event | where EventLevelName == "error" | distinct Computer)) | count',
    sql: `SELECT count(*) AS "Count" FROM "Update" SEMI JOIN (SELECT DISTINCT "Computer" FROM "Event" WHERE "EventLevelName" = 'error') e USING ("Computer")`,
  },
  {
    name: 'bin over time',
    kql: 'Update | summarize n = count() by bin(TimeGenerated, 1h)',
    // Integer hour buckets, turned back into datetimes once per group (data after 1970, so // is floor).
    sql: `SELECT make_timestamp_ns(b * 3600000000000) AS "TimeGenerated", n FROM (SELECT epoch_ns("TimeGenerated") // 3600000000000 AS b, count(*) AS n FROM "Update" GROUP BY b)`,
  },
  {
    name: 'has term search',
    kql: 'Update | where Title has "cumulative" | count',
    // The best hand-written form checks the cheap substring before the term regex, as Upkeep does.
    sql: `SELECT count(*) AS "Count" FROM "Update" WHERE CASE WHEN contains(lower("Title"), 'cumulative') THEN regexp_matches("Title", '(^|[^0-9A-Za-z])cumulative($|[^0-9A-Za-z])', 'i') ELSE false END`,
  },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function timeMs(conn: DuckDBConnection, sql: string, columns: Parameters<typeof runSql>[2], runs: number): Promise<{ ms: number; rows: unknown[][] }> {
  let rows: unknown[][] = [];
  await runSql(conn, sql, columns, { timeoutMs: 0 }); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = (await runSql(conn, sql, columns, { timeoutMs: 0 })).rows;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, rows };
}

/** Builds the data in a temporary file, or reuses `reuseDb` when it already holds it (`--db`). */
export async function benchShapes(rows: number, runs: number, reuseDb?: string): Promise<{ name: string; kqlMs: number; sqlMs: number; ratio: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-'));
  const instance = await DuckDBInstance.create(reuseDb ?? join(dir, 'bench.duckdb'));
  const conn = await instance.connect();
  try {
    await createRecordTables(conn);
    const started = performance.now();
    const existing = (await conn.runAndReadAll('SELECT count(*) FROM "Update"')).getRows()[0]![0];
    if (Number(existing) === 0) {
      await generateSample(conn, { machines: 1000, days: 1, seed: 1, end: new Date('2024-06-01T00:00:00Z') });
      await generateUpdateRows(conn, rows, 1, { machines: 10_000 });
      await conn.run('CHECKPOINT');
    }
    const count = (await conn.runAndReadAll('SELECT count(*) FROM "Update"')).getRows()[0]![0];
    console.log(`data: ${count} Update rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const results = [];
    for (const shape of shapes) {
      const compiled = compile(shape.kql);
      if (!compiled.ok) throw new Error(`${shape.name}: ${compiled.diagnostics[0]?.message}`);
      const ours = await timeMs(conn, compiled.sql, compiled.columns, runs);
      const best = await timeMs(conn, shape.sql, compiled.columns, runs);
      if (canonical(ours.rows) !== canonical(best.rows)) {
        throw new Error(`${shape.name}: answers differ: ${canonical(ours.rows).slice(0, 300)} vs ${canonical(best.rows).slice(0, 300)}`);
      }
      results.push({ name: shape.name, kqlMs: ours.ms, sqlMs: best.ms, ratio: ours.ms / best.ms });
    }
    return results;
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows as sorted JSON lines: these shapes define no row order. */
function canonical(rows: unknown[][]): string {
  const big = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
  return rows.map((r) => JSON.stringify(r, big)).sort().join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = arg('rows', 10_000_000);
  const runs = arg('runs', 5);
  const dbIndex = process.argv.indexOf('--db');
  const results = await benchShapes(rows, runs, dbIndex > 0 ? process.argv[dbIndex + 1] : undefined);
  console.log(`KQL vs hand-written SQL, median of ${runs} runs (ms)`);
  console.log(`${'shape'.padEnd(26)} ${'KQL'.padStart(9)} ${'SQL'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const r of results) console.log(`${r.name.padEnd(26)} ${r.kqlMs.toFixed(1).padStart(9)} ${r.sqlMs.toFixed(1).padStart(9)} ${r.ratio.toFixed(3).padStart(7)}`);
  const ratios = results.map((r) => r.ratio).sort((a, b) => a - b);
  console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)]!.toFixed(3)} (goal ≤ 1.05), worst ${ratios[ratios.length - 1]!.toFixed(3)} (goal ≤ 1.10)`);
}
