/**
 * `npm run bench`: every benchmark in bench/ (bench/suite.ts), then ONE table — figure, value,
 * unit, goal, in-run baseline, ratio, pass/fail against the goal where there is one. A benchmark
 * that fails prints its error in its row; the others still run. Progress goes to stderr, the
 * table to stdout. The machine may be shared: read the ratios beside the absolute figures.
 *
 *   npm run bench -- [--quick] [--json FILE] [--clickhouse] [--only name,name] [--seconds N]
 *   --quick       small sizes (1M Update rows, 1,000 machines, a 15 s load test): a few minutes
 *   --json FILE   also writes the rows (and the options) as JSON
 *   --clickhouse  run ClickHouse vs DuckDB even when no cluster is up (it starts its own)
 *   --only        benchmarks whose name contains one of the words (e.g. --only load,compile)
 *   --seconds, --agents, --analysts, --speed, --sockets, --max-queued, --max-requests   the load test's (bench/load.ts)
 * Default sizes are the issues': 10M Update rows, 10,000 machines, a 60 s load test.
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadOptionsFromArgs } from './load.js';
import { benchmarks } from './suite.js';
import { failedRow, formatTable, summaryLine, writeJson, type BenchRow } from './table.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    clickhouse: { type: 'boolean', default: false },
    only: { type: 'string' },
    seconds: { type: 'string' },
    agents: { type: 'string' },
    analysts: { type: 'string' },
    speed: { type: 'string' },
    sockets: { type: 'string' },
    'max-queued': { type: 'string' },
    'max-requests': { type: 'string' },
  },
  strict: true,
});

const quick = values.quick ?? false;
const only = values.only?.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
const chosen = only ? benchmarks.filter((b) => only.some((w) => b.name.toLowerCase().includes(w))) : benchmarks;
if (chosen.length === 0) {
  console.error(`--only ${values.only} matches no benchmark; the names are: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const progress = (line: string) => process.stderr.write(`${line}\n`);
const options = { quick, clickhouse: values.clickhouse ?? false, load: loadOptionsFromArgs(quick), log: (line: string) => progress(`  ${line}`) };
const loadStart = loadavg()[0]!;
const rows: BenchRow[] = [];
const started = performance.now();
for (const [i, bench] of chosen.entries()) {
  progress(`[${i + 1}/${chosen.length}] ${bench.name}…`);
  const benchStarted = performance.now();
  try {
    rows.push(...(await bench.run(options)));
  } catch (error) {
    rows.push(failedRow(bench.name, error));
    progress(`  failed: ${(error as Error).stack ?? String(error)}`);
  }
  progress(`  done in ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
}
const minutes = (performance.now() - started) / 60_000;
console.log(`\nnpm run bench${quick ? ' --quick' : ''}: ${minutes.toFixed(1)} min; load average ${loadStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (a shared machine: read the ratios)\n`);
console.log(formatTable(rows));
console.log(`\n${summaryLine(rows)}`);
if (values.json) {
  writeJson(values.json, rows, { quick, startedAt: new Date(Date.now() - minutes * 60_000).toISOString(), minutes, loadAverage: [loadStart, loadavg()[0]], cores: availableParallelism() });
  console.log(`rows written to ${values.json}`);
}
