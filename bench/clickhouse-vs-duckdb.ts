/**
 * The same data and query shapes on DuckDB embedded, ClickHouse with 1 shard and ClickHouse
 * with 2 shards (local clusters on loopback, started and stopped here), in one run: medians and
 * ratios against DuckDB, with every answer checked equal across the three.
 * Full size: ≥ 20M Heartbeat rows (1,000 machines × 14 days of minutes) and 5M Update rows;
 * `--quick`: 100 machines × 2 days of heartbeats and 500k Update rows.
 * Usage: node bin/run-ts.mjs bench/clickhouse-vs-duckdb.ts [--quick] [--runs 3]
 * Note: every engine here shares the same 2 cores; ClickHouse's shards do not add hardware.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runQuery } from '../query/run-query.js';
import { recordTables } from '../language/schema/tables.js';
import type { ClickHouseNode } from '../records/clickhouse/client.js';
import { startCluster, stopCluster, type RunningCluster } from '../records/clickhouse/cluster.js';
import { copyTableToClickHouse } from '../records/clickhouse/copy-from-duckdb.js';
import { ensureClickHouseTables } from '../records/clickhouse/ddl.js';
import { ClickHouseEngine } from '../query/clickhouse/engine.js';
import { defaultQueryLimits } from '../query/limits.js';
import { QueryRunner } from '../query/query-runner.js';
import { createRecordTables } from '../records/store/duckdb-store.js';
import { generateSample } from '../samples/generate.js';
import { generateUpdateRows } from '../samples/update-rows.js';
import { shapes } from './query-shapes.js';

const now = new Date('2024-06-01T00:00:00Z');

const queries = [
  ...shapes.map((s) => ({ name: s.name, kql: s.kql })),
  { name: 'heartbeat bin by OS', kql: 'Heartbeat | summarize n = count() by bin(TimeGenerated, 1h), OSType' },
  { name: 'heartbeat last seen', kql: 'Heartbeat | summarize last_seen = max(TimeGenerated) by Computer | where last_seen < datetime(2024-05-31T23:00:00Z) | count' },
];

type Runner = (kql: string) => Promise<unknown[][]>;

async function median(run: Runner, kql: string, runs: number): Promise<{ ms: number; rows: unknown[][] }> {
  let rows = await run(kql); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = await run(kql);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, rows };
}

function canonical(rows: unknown[][]): string {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort().join('\n');
}

function clickhouseRunner(nodes: ClickHouseNode[]): Runner {
  const runner = new QueryRunner(new ClickHouseEngine(nodes), { ...defaultQueryLimits, timeoutMs: 0 });
  return async (kql) => {
    const outcome = await runner.run({ text: kql, now });
    if (!outcome.ok) throw new Error(`ClickHouse: ${'busy' in outcome ? 'busy' : outcome.diagnostics[0]?.message}`);
    return outcome.result.rows;
  };
}

export interface EngineFigures {
  name: string;
  /** Medians in ms; DuckDB is the in-run baseline. */
  duckdbMs: number;
  oneShardMs: number;
  twoShardsMs: number;
  sameAnswers: boolean;
}

export interface ClickHouseBenchOptions {
  quick?: boolean;
  runs?: number;
  log?: (line: string) => void;
}

/** Starts two private clusters (1 and 2 shards) in a temp directory, and stops them at the end. */
export async function benchClickHouse(options: ClickHouseBenchOptions = {}): Promise<EngineFigures[]> {
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => undefined);
  const size = options.quick ? { machines: 100, days: 2, updates: 500_000 } : { machines: 1000, days: 14, updates: 5_000_000 };
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-ch-bench-'));
  const clusters: RunningCluster[] = [];
  const instance = await DuckDBInstance.create(join(dir, 'bench.duckdb'));
  const conn = await instance.connect();
  try {
    let started = performance.now();
    await createRecordTables(conn);
    await generateSample(conn, { machines: size.machines, days: size.days, seed: 1, end: now });
    await generateUpdateRows(conn, size.updates, 1, { machines: 10_000, end: now });
    await conn.run('CHECKPOINT');
    const count = async (t: string) => Number((await conn.runAndReadAll(`SELECT count(*) FROM "${t}"`)).getRows()[0]![0]);
    log(`data: ${await count('Heartbeat')} Heartbeat, ${await count('Update')} Update rows, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [i, shards] of [1, 2].entries()) {
      started = performance.now();
      const cluster = await startCluster({ dir: join(dir, `ch${shards}`), shards, basePort: 24100 + i * 100 });
      clusters.push(cluster);
      const nodes = cluster.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort }));
      await ensureClickHouseTables(nodes);
      for (const table of recordTables) await copyTableToClickHouse(conn, nodes[0]!, table.name);
      for (const node of nodes) await fetch(`http://127.0.0.1:${node.port}/?database=upkeep`, { method: 'POST', body: 'OPTIMIZE TABLE "Update_local" FINAL' });
      log(`ClickHouse ${shards} shard(s): loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const duck: Runner = async (kql) => {
      const outcome = await runQuery(kql, { now, connection: conn, timeoutMs: 0 });
      if (!outcome.ok) throw new Error(`DuckDB: ${outcome.diagnostics[0]?.message}`);
      return outcome.result.rows;
    };
    const one = clickhouseRunner(clusters[0]!.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort })));
    const two = clickhouseRunner(clusters[1]!.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort })));
    const figures: EngineFigures[] = [];
    for (const q of queries) {
      const d = await median(duck, q.kql, runs);
      const c1 = await median(one, q.kql, runs);
      const c2 = await median(two, q.kql, runs);
      const sameAnswers = canonical(d.rows) === canonical(c1.rows) && canonical(d.rows) === canonical(c2.rows);
      figures.push({ name: q.name, duckdbMs: d.ms, oneShardMs: c1.ms, twoShardsMs: c2.ms, sameAnswers });
    }
    return figures;
  } finally {
    conn.closeSync();
    instance.closeSync();
    for (const c of clusters) await stopCluster(c);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
  const figures = await benchClickHouse({ quick: process.argv.includes('--quick'), runs, log: console.log });
  console.log(`\nmedian of ${runs} runs, ms (ratio = ClickHouse / DuckDB; below 1 means ClickHouse is faster)`);
  console.log(`${'shape'.padEnd(26)} ${'DuckDB'.padStart(9)} ${'CH 1sh'.padStart(9)} ${'ratio'.padStart(6)} ${'CH 2sh'.padStart(9)} ${'ratio'.padStart(6)}`);
  for (const f of figures) {
    console.log(`${f.name.padEnd(26)} ${f.duckdbMs.toFixed(1).padStart(9)} ${f.oneShardMs.toFixed(1).padStart(9)} ${(f.oneShardMs / f.duckdbMs).toFixed(2).padStart(6)} ${f.twoShardsMs.toFixed(1).padStart(9)} ${(f.twoShardsMs / f.duckdbMs).toFixed(2).padStart(6)}${f.sameAnswers ? '' : '  ANSWERS DIFFER'}`);
  }
}
