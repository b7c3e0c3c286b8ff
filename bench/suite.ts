/**
 * Every benchmark of `npm run bench` as rows of the one table: each entry runs one bench/ script's
 * exported function at the run's sizes and turns its figures into rows (figure, value, unit,
 * goal, in-run baseline, ratio). Goals are the issues' targets; figures without one are printed
 * for the record.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchCliStart } from './cli-start.js';
import { benchClickHouse } from './clickhouse-vs-duckdb.js';
import { benchCompile } from './compile-speed.js';
import { benchComplianceViews } from './compliance-views.js';
import { benchIngestHttp } from './ingest-http.js';
import { benchIngest, type PathFigures } from './ingest.js';
import { benchLoad, limitsText, type LoadOptions } from './load.js';
import { benchShapes } from './query-shapes.js';
import { benchResultsDecode } from './results-decode.js';
import { benchSavedSearchExpansion } from './saved-search-expansion.js';
import { figure, skippedRow, type BenchRow, type RowInput } from './table.js';
import { benchWorkbenchBundle } from './workbench-bundle.js';
import { clickhouseInstalled, defaultClusterDir, type RunningCluster } from '../records/clickhouse/cluster.js';

export interface SuiteOptions {
  quick: boolean;
  /** Run ClickHouse vs DuckDB even when no cluster is up (the bench starts its own). */
  clickhouse: boolean;
  load: LoadOptions;
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  run(options: SuiteOptions): Promise<BenchRow[]>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rowsOf = (benchmark: string) => (...inputs: RowInput[]) => inputs.map((input) => figure(benchmark, input));

export const benchmarks: Benchmark[] = [
  {
    name: 'parse+compile',
    async run({ quick }) {
      const results = benchCompile(quick ? 300 : 2000);
      const rows = rowsOf('parse+compile');
      return rows(
        { figure: 'median over sample queries', value: median(results.map((r) => r.compileUs)), unit: 'µs', goal: { on: 'value', max: 50 }, baseline: median(results.map((r) => r.parseUs)), baselineLabel: 'parse alone' },
        ...results.map((r) => ({ figure: r.query.replace(/\.kql$/, ''), value: r.compileUs, unit: 'µs', baseline: r.parseUs, baselineLabel: 'parse alone' })),
      );
    },
  },
  {
    name: 'KQL vs SQL',
    async run({ quick, log }) {
      const count = quick ? 1_000_000 : 10_000_000;
      log(`building ${count.toLocaleString('en-US')} Update rows…`);
      const shapes = await benchShapes(count, quick ? 3 : 5);
      const rows = rowsOf(`KQL vs SQL (${quick ? '1M' : '10M'} rows)`);
      return rows(
        { figure: 'median ratio over shapes', value: median(shapes.map((s) => s.ratio)), unit: '×', goal: { on: 'value', max: 1.05 } },
        ...shapes.map((s) => ({ figure: s.name, value: s.kqlMs, unit: 'ms', baseline: s.sqlMs, baselineLabel: 'hand SQL', goal: { on: 'ratio' as const, max: 1.1 } })),
      );
    },
  },
  {
    name: 'upkeep start',
    async run({ quick }) {
      const f = benchCliStart(quick ? 7 : 15);
      const rows = rowsOf(`upkeep start (median of ${f.runs})`);
      const vsNode = { baseline: f.nodeMs, baselineLabel: 'node -e 0' };
      return rows(
        { figure: "upkeep query 'print 1'", value: f.queryMs, unit: 'ms', goal: { on: 'value', max: 300 }, ...vsNode },
        { figure: 'upkeep --version', value: f.versionMs, unit: 'ms', ...vsNode },
        { figure: 'node -e 0 (baseline)', value: f.nodeMs, unit: 'ms' },
      );
    },
  },
  {
    name: 'ingest (writer)',
    async run({ quick, log }) {
      const f = await benchIngest({ records: quick ? 60_000 : 300_000, log });
      const rows = rowsOf('ingest (writer)');
      const path = (label: string, p: PathFigures, goal?: number): RowInput[] => [
        { figure: `${label} records/s`, value: p.recordsPerSecond, unit: 'rec/s', baseline: f.limitRecordsPerSecond, baselineLabel: 'read_json', ...(goal ? { goal: { on: 'ratio' as const, min: goal } } : {}) },
        { figure: `${label} ack p99`, value: p.ackP99Ms, unit: 'ms' },
        { figure: `${label} ack→queryable p99`, value: p.visibleP99Ms, unit: 'ms', goal: { on: 'value', max: 1000 } },
      ];
      return rows(
        { figure: 'read_json limit (baseline)', value: f.limitRecordsPerSecond, unit: 'rec/s' },
        ...path('JSON text', f.jsonText, 0.7),
        ...path('JSON objects', f.jsonObjects),
        ...path('Arrow (appender)', f.arrow),
      );
    },
  },
  {
    name: 'ingest (HTTP)',
    async run({ quick, log }) {
      const f = await benchIngestHttp({ quick, log });
      const rows = rowsOf('ingest (HTTP)');
      return rows(
        { figure: 'read_json limit (baseline)', value: f.limitRecordsPerSecond, unit: 'rec/s' },
        ...([['JSON', f.json], ['Arrow', f.arrow]] as const).flatMap(([label, p]): RowInput[] => [
          { figure: `${label} records/s`, value: p.recordsPerSecond, unit: 'rec/s', baseline: f.limitRecordsPerSecond, baselineLabel: 'read_json', ...(label === 'JSON' ? { goal: { on: 'ratio' as const, min: 0.7 } } : {}) },
          { figure: `${label} ack p99`, value: p.ackP99Ms, unit: 'ms' },
          { figure: `${label} ack→queryable p99`, value: p.visibleP99Ms, unit: 'ms', goal: { on: 'value', max: 1000 } },
          { figure: `${label} 429 retries`, value: p.retries, unit: 'count' },
        ]),
      );
    },
  },
  {
    name: 'compliance views',
    async run({ quick }) {
      const machines = quick ? 1_000 : 10_000;
      const views = await benchComplianceViews(machines, quick ? 3 : 7);
      const rows = rowsOf(`compliance (${machines.toLocaleString('en-US')} machines)`);
      return rows(...views.map((v) => ({ figure: `${v.view} view`, value: v.viewMs, unit: 'ms', goal: { on: 'value' as const, max: 150 }, baseline: v.handSqlMs, baselineLabel: 'hand SQL' })));
    },
  },
  {
    name: 'workbench bundle',
    async run() {
      const f = benchWorkbenchBundle();
      const rows = rowsOf('workbench bundle');
      const kb = (name: string) => f.groups.find((g) => g.name === name)!;
      return rows(
        { figure: 'main bundle, gzip', value: f.mainGzip / 1024, unit: 'KB' },
        { figure: 'Monaco chunks, gzip (lazy)', value: f.monacoGzip / 1024, unit: 'KB', baseline: f.mainGzip / 1024, baselineLabel: 'main bundle' },
        { figure: 'web workers, gzip', value: kb('web workers (language + editor)').gzip / 1024, unit: 'KB' },
        { figure: 'total, gzip', value: kb('total').gzip / 1024, unit: 'KB' },
        { figure: 'total, raw', value: kb('total').raw / 1024, unit: 'KB' },
        { figure: 'vite build time', value: f.buildMs / 1000, unit: 's' },
      );
    },
  },
  {
    name: 'results decode',
    async run({ quick }) {
      const f = await benchResultsDecode(quick ? 50_000 : 100_000, quick ? 3 : 7);
      const rows = rowsOf(`results decode (${f.rows.toLocaleString('en-US')} rows)`);
      const vsParse = (label: string, ms: number): RowInput => ({ figure: label, value: ms, unit: 'ms', baseline: f.jsonParseMs, baselineLabel: 'JSON.parse' });
      return rows(
        { figure: 'Arrow IPC size', value: f.arrowBytes / 1e6, unit: 'MB', baseline: f.jsonBytes / 1e6, baselineLabel: 'JSON' },
        vsParse('decodeArrowResult', f.decodeMs),
        vsParse('decode + first screen', f.firstScreenMs),
        vsParse('text of every cell', f.readAllMs),
        vsParse('CSV export', f.csvMs),
        vsParse('sort by string column', f.sortStringMs),
        vsParse('sort by datetime column', f.sortDatetimeMs),
      );
    },
  },
  {
    name: 'saved searches',
    async run({ quick }) {
      const f = benchSavedSearchExpansion(quick ? 300 : 2000);
      const rows = rowsOf('saved searches');
      return rows(
        { figure: `compile, ${f.depth} nested by name`, value: f.byNameMs * 1000, unit: 'µs', baseline: f.inlineMs * 1000, baselineLabel: 'written inline' },
        { figure: 'schema: 200 searches, first', value: f.schemaFirstMs, unit: 'ms' },
        { figure: 'schema: 200 searches, again', value: f.schemaAgainMs, unit: 'ms', baseline: f.schemaFirstMs, baselineLabel: 'first' },
      );
    },
  },
  {
    name: 'ClickHouse vs DuckDB',
    async run({ quick, clickhouse, log }) {
      const up = clusterUp();
      if (!clickhouse && !up) return [skippedRow('ClickHouse vs DuckDB', 'no ClickHouse cluster is up (npm run cluster:start), and --clickhouse was not given')];
      if (!clickhouseInstalled()) return [skippedRow('ClickHouse vs DuckDB', 'clickhouse-server is not installed')];
      log(up ? `a cluster is up (${up}); the bench starts its own 1- and 2-shard clusters beside it` : 'starting 1- and 2-shard clusters (--clickhouse)');
      const figures = await benchClickHouse({ quick, runs: 3, log });
      const rows = rowsOf('ClickHouse vs DuckDB');
      return figures.flatMap((f) => {
        const wrong = f.sameAnswers ? {} : { error: 'answers differ between the engines' };
        return rows(
          { figure: `${f.name}, 1 shard`, value: f.oneShardMs, unit: 'ms', baseline: f.duckdbMs, baselineLabel: 'DuckDB', ...wrong },
          { figure: `${f.name}, 2 shards`, value: f.twoShardsMs, unit: 'ms', baseline: f.duckdbMs, baselineLabel: 'DuckDB', ...wrong },
        );
      });
    },
  },
  {
    name: 'load',
    async run({ load, log }) {
      const f = await benchLoad({ ...load, log });
      const rows = rowsOf(`load (${f.agents} agents, ${f.analysts} analysts, ${f.seconds} s)`);
      return rows(
        { figure: 'ingestion records/s', value: f.recordsPerSecond, unit: 'rec/s' },
        { figure: 'ingestion requests/s', value: f.requestsPerSecond, unit: 'req/s' },
        { figure: 'ingestion ack p50', value: f.ackP50Ms, unit: 'ms' },
        { figure: 'ingestion ack p99', value: f.ackP99Ms, unit: 'ms' },
        { figure: `429 answers (limits: ${limitsText(f)})`, value: f.ingest.shed, unit: 'count' },
        { figure: '429 without Retry-After', value: f.ingest.shedWithoutRetryAfter, unit: 'count', goal: { on: 'value', max: 0 } },
        { figure: 'ingestion errors (not 429)', value: f.ingest.errors, unit: 'count', goal: { on: 'value', max: 0 }, ...(f.ingest.errorSamples[0] ? { error: f.ingest.errorSamples[0] } : {}) },
        { figure: 'queries answered', value: f.queries.ok, unit: 'count' },
        { figure: 'query p50', value: f.queryP50Ms, unit: 'ms' },
        { figure: 'query p99', value: f.queryP99Ms, unit: 'ms' },
        { figure: 'queries shed (429)', value: f.queries.shed, unit: 'count' },
        { figure: 'query errors (not 429)', value: f.queries.errors, unit: 'count', goal: { on: 'value', max: 0 }, ...(f.queries.errorSamples[0] ? { error: f.queries.errorSamples[0] } : {}) },
        { figure: 'server RSS peak', value: f.peakRssBytes / 1_048_576, unit: 'MB', baseline: f.startRssBytes / 1_048_576, baselineLabel: 'at start' },
        { figure: 'server event-loop delay p99', value: f.eventLoopP99Ms, unit: 'ms' },
        { figure: 'server event-loop delay max', value: f.eventLoopMaxMs, unit: 'ms' },
        { figure: 'acknowledged records stored', value: f.ingest.recordsAcked - f.missing, unit: 'records', baseline: f.ingest.recordsAcked, baselineLabel: 'acknowledged', goal: { on: 'ratio', min: 1, max: 1 } },
        { figure: 'stored beyond acknowledged', value: f.beyondAcknowledged, unit: 'records', goal: { on: 'value', max: f.ingest.unsettled > 0 ? Infinity : 0 } },
      );
    },
  },
];

/** A cluster `npm run cluster:start` left running: its cluster.json, and every shard's process alive. */
function clusterUp(): string | undefined {
  const file = join(resolve(defaultClusterDir), 'cluster.json');
  if (!existsSync(file)) return undefined;
  const cluster = JSON.parse(readFileSync(file, 'utf8')) as RunningCluster;
  const alive = cluster.shards.every((s) => {
    try {
      process.kill(s.pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  return alive ? cluster.url : undefined;
}
