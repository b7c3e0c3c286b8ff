/**
 * The writer alone (no HTTP), Update-shaped records from the sample fleet, all in one run:
 * (a) the limit — DuckDB inserting the records itself from an NDJSON file with read_json;
 * (b) ingestJsonText / ingestJson with several concurrent callers, as records/s and as a ratio to (a);
 * (c) ingestArrow, the same way;
 * (d) ack latency and ack→queryable latency p50/p99 under load, the longest gap between acks and
 *     the longest event-loop stall.
 * Goals: JSON ≥ 0.7× the limit, ack→queryable p99 ≤ 1 s. Figures, not pass/fail.
 * The limit is measured before and after the paths; both figures are printed so the noise of a
 * shared machine shows, and ratios use their mean.
 * CPU: every figure also comes as process CPU-seconds per 100k records (process.cpuUsage counts
 * all threads: DuckDB's, the JSON workers', the event loop). On a loaded machine wall-clock ratios
 * swing with the neighbours; the capacity ratio — the limit's CPU per record over the path's — is
 * what the path would reach on an idle machine where both use every core.
 * Usage: run-ts bench/ingest.ts [--records 300000] [--batch 1000] [--callers 8] [--compare] [--busy-wal-mib 64] [--duckdb-threads 1]
 *   --compare also runs JSON text the earlier way: checkpoints between transactions at 64 MiB.
 *   --duckdb-threads N also runs JSON text with the instance's DuckDB threads set to N (an
 *     instance-wide setting, so queries would get N too: for weighing that trade, not a mode).
 *   --breakdown instead prints where the CPU of the JSON text path goes (benchCpuBreakdown).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableToIPC, tableFromJSON, vectorFromArray, Table, TimestampNanosecond, type Vector } from 'apache-arrow';
import { openQueryConnection } from '../query/duckdb/read-only.js';
import { createIngestor, ingestAllowedDirectories, type IngestorOptions, type JsonTextIngestor } from '../records/ingest/ingestor.js';
import { jsonInsertSql } from '../records/ingest/json-load-sql.js';
import { compileJsonValidator } from '../records/ingest/validate-json.js';
import { findTable } from '../language/schema/tables.js';
import { createRecordTables } from '../records/store/duckdb-store.js';
import { generateUpdateRows } from '../samples/update-rows.js';

export interface IngestBenchOptions {
  records?: number;
  batchSize?: number;
  callers?: number;
  /** Extra ingestor options (checkpoint policy, group size) to compare designs. */
  ingestor?: Partial<IngestorOptions>;
  /** Also measure JSON text the earlier way (checkpoints between transactions at 64 MiB), in the same run. */
  compare?: boolean;
  /** Also measure JSON text with DuckDB's `threads` set to this on the path's instance. */
  duckdbThreads?: number;
  log?: (line: string) => void;
}

export interface PathFigures {
  recordsPerSecond: number;
  ratioToLimit: number;
  ackP50Ms: number;
  ackP99Ms: number;
  longestAckGapMs: number;
  visibleP50Ms: number;
  visibleP99Ms: number;
  eventLoopMaxMs: number;
  /** CPU time over wall time (2 = both cores of the build machine). */
  cores: number;
  /** Share of the wall time the writer spent in transactions / in checkpoints. */
  writerBusy: number;
  writerMaintenance: number;
  checkpoints: number;
  /** Share of the wall time a checkpoint ran (concurrently with writes by default). */
  checkpointing: number;
  longestCheckpointMs: number;
  recordsPerTransaction: number;
  /** Process CPU-seconds (all threads) per 100,000 records stored. */
  cpuSecondsPer100k: number;
  /** The limit's CPU per record over this path's: the ratio to expect on an idle machine. */
  capacityRatio: number;
}

export interface IngestBenchResult {
  records: number;
  limitRecordsPerSecond: number;
  /** The limit measured before and after the paths (their spread shows the machine's noise). */
  limitRuns: number[];
  /** Process CPU-seconds per 100,000 records of the limit (mean of its two runs). */
  limitCpuSecondsPer100k: number;
  /** 1-minute load average at the start and the end of the run. */
  loadAverage: number[];
  jsonText: PathFigures;
  /** JSON text with checkpoints between transactions (with `compare`). */
  jsonTextCheckpointBetween?: PathFigures;
  /** JSON text with DuckDB's threads set to `duckdbThreads`. */
  jsonTextDuckdbThreads?: PathFigures;
  jsonObjects: PathFigures;
  arrow: PathFigures;
}

const updateSchema = findTable('Update')!;

export async function benchIngest(options: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const records = options.records ?? 300_000;
  const batchSize = options.batchSize ?? 1000;
  const callers = options.callers ?? 8;
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-ingest-'));
  try {
    log(`generating ${records.toLocaleString('en-US')} Update records…`);
    const ndjson = await updateRecordsNdjson(join(dir, 'records.ndjson'), records);
    const objects = ndjson.map((line) => JSON.parse(line) as Record<string, unknown>);
    const batches = chunk(objects, batchSize);
    markProbes(batches);
    const loadAtStart = loadavg()[0]!;
    log(`load average ${loadAtStart.toFixed(1)} on ${availableParallelism()} cores`);
    const before = await measureLimit(dir, 'limit-before');
    log(`(a) read_json limit: ${describeLimit(before)}`);
    const texts = batches.map((b) => Buffer.from(JSON.stringify(b)));
    const sendText: Send = (ing, i) => ing.ingestJsonText('Update', texts[i]!);
    const run = (name: string, send: Send, extra: Partial<IngestorOptions> = {}, duckdbThreads?: number) =>
      measurePath(dir, name, callers, { ...options.ingestor, ...extra }, batches.length, send, batches, duckdbThreads);
    const jsonText = await run('text', sendText);
    const jsonTextCheckpointBetween = options.compare ? await run('text-between', sendText, { checkpoints: { busyWalBytes: 64 << 20, concurrent: false } }) : undefined;
    const threads = options.duckdbThreads;
    const jsonTextDuckdbThreads = threads !== undefined ? await run('text-threads', sendText, {}, threads) : undefined;
    const jsonObjects = await run('objects', (ing, i) => ing.ingestJson('Update', batches[i]!));
    const streams = batches.map(arrowStream);
    const arrow = await run('arrow', (ing, i) => ing.ingestArrow('Update', streams[i]!));
    const after = await measureLimit(dir, 'limit-after');
    const limit = (before.recordsPerSecond + after.recordsPerSecond) / 2;
    const limitCpu = (before.cpuSecondsPer100k + after.cpuSecondsPer100k) / 2;
    log(`(a) read_json limit again: ${describeLimit(after)}; ratios below use the mean ${fmt(limit)} (runs differ by ${pct(Math.abs(before.recordsPerSecond - after.recordsPerSecond) / limit)}), capacity ratios the mean CPU ${limitCpu.toFixed(2)} s/100k`);
    for (const f of [jsonText, jsonTextCheckpointBetween, jsonTextDuckdbThreads, jsonObjects, arrow]) if (f) setRatios(f, limit, limitCpu);
    const loadAtEnd = loadavg()[0]!;
    log(`load average ${loadAtEnd.toFixed(1)} at the end`);
    log(`(b) ingestJsonText: ${describe(jsonText)}`);
    if (jsonTextCheckpointBetween) log(`(b) ingestJsonText, earlier policy (checkpoints between transactions, 64 MiB): ${describe(jsonTextCheckpointBetween)}`);
    if (jsonTextDuckdbThreads) log(`(b) ingestJsonText, DuckDB threads=${threads}: ${describe(jsonTextDuckdbThreads)}`);
    log(`(b) ingestJson:     ${describe(jsonObjects)}`);
    log(`(c) ingestArrow:    ${describe(arrow)}`);
    return {
      records,
      limitRecordsPerSecond: limit,
      limitRuns: [before.recordsPerSecond, after.recordsPerSecond],
      limitCpuSecondsPer100k: limitCpu,
      loadAverage: [loadAtStart, loadAtEnd],
      jsonText,
      jsonTextCheckpointBetween,
      jsonTextDuckdbThreads,
      jsonObjects,
      arrow,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Realistic rows from the sample generator, exported as the JSON objects a sender would post. */
export async function updateRecordsNdjson(file: string, count: number): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await createRecordTables(conn);
  await generateUpdateRows(conn, count, 1, { machines: Math.max(100, Math.round(count / 30)) });
  // Times as ISO text with a Z, as agents send them; server-owned columns left out.
  const columns = updateSchema.columns
    .filter((c) => c.name !== 'TenantId' && c.name !== 'Type')
    .map((c) => (c.type === 'datetime' ? `strftime("${c.name}", '%Y-%m-%dT%H:%M:%S.%fZ') AS "${c.name}"` : `"${c.name}"`));
  await conn.run(`COPY (SELECT ${columns.join(', ')} FROM "Update") TO '${file}' (FORMAT json)`);
  conn.closeSync();
  instance.closeSync();
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

/** Every 10th batch's first record gets a unique Computer, so a query can find it after the ack. */
export function markProbes(batches: Record<string, unknown>[][]): void {
  batches.forEach((b, i) => {
    if (i % 10 === 0) b[0]!.Computer = `probe-${i}`;
  });
}

export interface LimitFigures {
  recordsPerSecond: number;
  /** CPU time over wall time. */
  cores: number;
  cpuSecondsPer100k: number;
}

export async function measureLimit(dir: string, name: string): Promise<LimitFigures> {
  const { instance, conn } = await freshDatabase(join(dir, `${name}.duckdb`));
  const sql = jsonInsertSql(updateSchema, {
    files: [{ file: join(dir, 'records.ndjson'), receivedAt: new Date() }],
    tenantId: '',
    format: 'newline_delimited',
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await conn.run(sql);
  const seconds = (performance.now() - start) / 1000;
  const used = cpuSeconds(cpu);
  conn.closeSync();
  instance.closeSync();
  return { recordsPerSecond: result.rowsChanged / seconds, cores: used / seconds, cpuSecondsPer100k: (used * 100_000) / result.rowsChanged };
}

export function describeLimit(f: LimitFigures): string {
  return `${fmt(f.recordsPerSecond)} records/s, CPU ${f.cpuSecondsPer100k.toFixed(2)} s/100k records (${f.cores.toFixed(1)} cores)`;
}

/** Wall-clock ratio to the limit's records/s and capacity ratio to its CPU per record. */
export function setRatios(f: { recordsPerSecond: number; ratioToLimit: number; cpuSecondsPer100k: number; capacityRatio: number }, limit: number, limitCpuPer100k: number): void {
  f.ratioToLimit = f.recordsPerSecond / limit;
  f.capacityRatio = limitCpuPer100k / f.cpuSecondsPer100k;
}

async function freshDatabase(file: string): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await createRecordTables(conn);
  return { instance, conn };
}

type Send = (ingestor: JsonTextIngestor, batch: number) => Promise<unknown>;

async function measurePath(
  dir: string,
  name: string,
  callers: number,
  extra: Partial<IngestorOptions> | undefined,
  batchCount: number,
  send: Send,
  batches: Record<string, unknown>[][],
  duckdbThreads?: number,
): Promise<PathFigures> {
  const { instance, conn } = await freshDatabase(join(dir, `${name}.duckdb`));
  if (duckdbThreads !== undefined) await conn.run(`SET threads = ${Math.max(1, Math.floor(duckdbThreads))}`);
  conn.closeSync();
  const options: IngestorOptions = { spoolDir: join(dir, `${name}-spool`), maxQueuedRecords: 10_000_000, ...extra };
  const ingestor = await createIngestor(instance, options);
  const query = await openQueryConnection(instance, { allowedDirectories: ingestAllowedDirectories(options) });
  const acks: number[] = [];
  const ackTimes: number[] = [];
  const visible: Promise<number>[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const caller = async (): Promise<void> => {
    for (let i = next++; i < batchCount; i = next++) {
      const sent = performance.now();
      await send(ingestor, i);
      const acked = performance.now();
      acks.push(acked - sent);
      ackTimes.push(acked);
      if (i % 10 === 0) visible.push(timeUntilVisible(query, `probe-${i}`, acked));
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const seconds = (performance.now() - start) / 1000;
  const used = cpuSeconds(cpu);
  const cores = used / seconds;
  loop.disable();
  const visibleMs = await Promise.all(visible);
  const stats = { ...ingestor.stats };
  await ingestor.close();
  query.closeSync();
  instance.closeSync();
  const stored = batches.reduce((n, b) => n + b.length, 0);
  return {
    recordsPerSecond: stored / seconds,
    ratioToLimit: 0,
    ...latencyFigures(acks, ackTimes, visibleMs),
    eventLoopMaxMs: loop.max / 1e6,
    cores,
    writerBusy: stats.busyMs / 1000 / seconds,
    writerMaintenance: stats.maintenanceMs / 1000 / seconds,
    checkpoints: stats.checkpoints,
    checkpointing: stats.checkpointMs / 1000 / seconds,
    longestCheckpointMs: stats.longestCheckpointMs,
    recordsPerTransaction: stats.records / Math.max(1, stats.transactions),
    cpuSecondsPer100k: (used * 100_000) / stored,
    capacityRatio: 0,
  };
}

/** From the ack to a query connection seeing the record (it must be there at once: the ack follows the commit). */
async function timeUntilVisible(query: DuckDBConnection, computer: string, acked: number): Promise<number> {
  for (;;) {
    const reader = await query.runAndReadAll(`SELECT count(*) FROM "Update" WHERE Computer = '${computer}'`);
    if (Number(reader.getRows()[0]![0]) > 0) return performance.now() - acked;
  }
}

export function arrowStream(batch: Record<string, unknown>[]): Uint8Array {
  const table = tableFromJSON(batch);
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const column = updateSchema.columns.find((c) => c.name === field.name)!;
    columns[field.name] =
      column.type === 'datetime'
        ? vectorFromArray(batch.map((r) => (r[field.name] == null ? null : new Date(r[field.name] as string))), new TimestampNanosecond())
        : table.getChild(field.name)!;
  }
  return tableToIPC(new Table(columns), 'stream');
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function describe(f: PathFigures): string {
  return (
    `${fmt(f.recordsPerSecond)} records/s (${f.ratioToLimit.toFixed(2)}× limit); CPU ${f.cpuSecondsPer100k.toFixed(2)} s/100k records (capacity ${f.capacityRatio.toFixed(2)}× limit); ack p50 ${f.ackP50Ms.toFixed(0)} ms p99 ${f.ackP99Ms.toFixed(0)} ms; ` +
    `ack→queryable p50 ${f.visibleP50Ms.toFixed(1)} ms p99 ${f.visibleP99Ms.toFixed(1)} ms; longest ack gap ${f.longestAckGapMs.toFixed(0)} ms; event-loop max ${f.eventLoopMaxMs.toFixed(0)} ms; ` +
    `${f.cores.toFixed(1)} cores; writer busy ${pct(f.writerBusy)} + between transactions ${pct(f.writerMaintenance)}; ${f.checkpoints} checkpoints running ${pct(f.checkpointing)} of the time (longest ${f.longestCheckpointMs.toFixed(0)} ms); ${fmt(f.recordsPerTransaction)} records/transaction`
  );
}

export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function argument(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

/**
 * Where the CPU of the JSON text path goes, per 100k records, each part alone and in one run:
 * the limit; the writer's INSERT … read_json over the requests' spool files in transactions of
 * 1k / 8k / 50k records (DuckDB only, with the closing checkpoint), also with DuckDB threads = 1;
 * the JS parse + validation of the same bodies; and the cheapest exact unknown-field check DuckDB
 * can make (json_keys over records=false) — a lower bound for validating in DuckDB, since its
 * typed read_json silently ignores unknown keys and coerces wrong types (5 → '5', "true" → true,
 * 1.5 → 2, "7" → 7, "1.5" → 1.5).
 */
export async function benchCpuBreakdown(records = 100_000, batchSize = 1000, log: (line: string) => void = console.log): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-cpu-'));
  const figures: Record<string, number> = {};
  const note = (name: string, cpu: number) => {
    figures[name] = (cpu * 100_000) / records;
    log(`${name.padEnd(58)} ${figures[name]!.toFixed(2)} CPU-s/100k`);
  };
  try {
    log(`load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; ${fmt(records)} Update records in requests of ${fmt(batchSize)}`);
    const lines = await updateRecordsNdjson(join(dir, 'records.ndjson'), records);
    const files = chunk(lines, batchSize).map((b, i) => {
      const file = join(dir, `${i}.ingest.json`);
      writeFileSync(file, `[${b.join(',')}]`);
      return file;
    });
    const limit = await measureLimit(dir, 'limit');
    note('(a) read_json limit (one statement)', (limit.cpuSecondsPer100k * records) / 100_000);
    for (const [perTransaction, threads] of [[1, undefined], [8, undefined], [50, undefined], [8, 1]] as const) {
      const { instance, conn } = await freshDatabase(join(dir, `insert-${perTransaction}-${threads ?? 'default'}.duckdb`));
      if (threads !== undefined) await conn.run(`SET threads = ${threads}`);
      const receivedAt = new Date();
      const cpu = process.cpuUsage();
      for (const group of chunk(files, perTransaction)) {
        const sql = jsonInsertSql(updateSchema, { files: group.map((file) => ({ file, receivedAt })), tenantId: '' });
        await conn.run(`BEGIN TRANSACTION; ${sql}; COMMIT`);
      }
      await conn.run('CHECKPOINT');
      note(`DuckDB insert, ${fmt(perTransaction * batchSize)} records/transaction${threads ? `, threads=${threads}` : ''}`, cpuSeconds(cpu));
      conn.closeSync();
      instance.closeSync();
    }
    const validator = compileJsonValidator(updateSchema);
    const bodies = files.map((f) => readFileSync(f));
    const decoder = new TextDecoder();
    let cpu = process.cpuUsage();
    for (const body of bodies) validator.validate(JSON.parse(decoder.decode(body)));
    note('JS decode + JSON.parse + validate (the worker)', cpuSeconds(cpu));
    const { instance, conn } = await freshDatabase(join(dir, 'keys.duckdb'));
    const known = updateSchema.columns.map((c) => `'${c.name}'`).join(', ');
    cpu = process.cpuUsage();
    for (const group of chunk(files, 8)) {
      const list = group.map((f) => `'${f}'`).join(', ');
      await conn.run(`SELECT count(*) FROM read_json([${list}], format = 'array', records = false, auto_detect = false, columns = {json: 'JSON'}) WHERE NOT list_has_all([${known}], json_keys(json))`);
    }
    note('DuckDB unknown-field check alone (json_keys, records=false)', cpuSeconds(cpu));
    conn.closeSync();
    instance.closeSync();
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--breakdown')) {
  await benchCpuBreakdown(argument('--records'), argument('--batch'));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const busyMiB = argument('--busy-wal-mib');
  await benchIngest({
    records: argument('--records'),
    batchSize: argument('--batch'),
    callers: argument('--callers'),
    compare: process.argv.includes('--compare'),
    duckdbThreads: argument('--duckdb-threads'),
    ...(busyMiB !== undefined ? { ingestor: { checkpoints: { busyWalBytes: busyMiB * (1 << 20) } } } : {}),
    log: console.log,
  });
}

/** Ack latency, the longest gap between two acks, and ack→queryable latency, in ms. */
export function latencyFigures(acks: number[], ackTimes: number[], visibleMs: number[]): { ackP50Ms: number; ackP99Ms: number; longestAckGapMs: number; visibleP50Ms: number; visibleP99Ms: number } {
  const times = [...ackTimes].sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return {
    ackP50Ms: percentile(acks, 0.5),
    ackP99Ms: percentile(acks, 0.99),
    longestAckGapMs: Math.max(0, ...gaps),
    visibleP50Ms: percentile(visibleMs, 0.5),
    visibleP99Ms: percentile(visibleMs, 0.99),
  };
}
