/**
 * The long fuzzing run: `npm run fuzz -- --cases 1000000 [--seed N] [--sources grammar,mutation,random]
 * [--timeout-ms 2000] [--json report.json]`. Prints the count, cases per second and every
 * distinct failure with its shrunk query; exits 1 when any failure was found.
 */
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { runCampaign, sources, type CampaignReport, type SourceName } from './campaign.js';
import { openFleet } from './fleet.js';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return n;
}

function sourceList(value: string): SourceName[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(n in sources));
  if (unknown.length) throw new InvalidArgumentError(`unknown source ${unknown.join(', ')}; choose from ${Object.keys(sources).join(', ')}`);
  return names as SourceName[];
}

const program = new Command('fuzz')
  .description('Fuzz the query language: grammar-generated, mutated and random queries through the parser, compiler and DuckDB.')
  .option('--cases <n>', 'how many queries to try', positiveInteger, 10_000)
  .option('--seed <n>', 'seed of the run (the same seed draws the same queries)', positiveInteger, Date.now() % 1_000_000)
  .option('--sources <list>', 'comma-separated: grammar, mutation, random', sourceList)
  .option('--timeout-ms <n>', 'per-query DuckDB time limit', positiveInteger, 2000)
  .option('--json <file>', 'also write the report as JSON')
  .parse();

/** The part of a progress bar the run uses, printed as occasional lines. */
function lineProgress(total: number) {
  let nextLine = 0;
  return {
    start: (_total: number, _value: number, _payload: object) => undefined,
    update(done: number, payload: { speed: number; failures: number }) {
      if (done < nextLine && done < total) return;
      nextLine = done + Math.max(1, Math.floor(total / 10));
      console.error(`fuzz ${done}/${total} cases | ${payload.speed} cases/s | ${payload.failures} failures`);
    },
    stop: () => undefined,
  };
}

const opts = program.opts<{ cases: number; seed: number; sources?: SourceName[]; timeoutMs: number; json?: string }>();

const fleet = await openFleet();
// On a terminal a bar; in a pipe or log file a line every 10% so a long run still shows it is alive.
const bar = process.stderr.isTTY ? new cliProgress.SingleBar(
  { format: 'fuzz [{bar}] {percentage}% | {value}/{total} cases | {speed} cases/s | {failures} failures | ETA {eta_formatted}', hideCursor: true },
  cliProgress.Presets.shades_classic,
) : lineProgress(opts.cases);
const started = performance.now();
bar.start(opts.cases, 0, { speed: 0, failures: 0 });
let report: CampaignReport;
try {
  report = await runCampaign({
    cases: opts.cases,
    seed: opts.seed,
    env: { conn: fleet.conn, now: fleet.now, timeoutMs: opts.timeoutMs, slowCompileMs: 2000 },
    ...(opts.sources ? { sources: opts.sources } : {}),
    onProgress: (done, failures) => bar.update(done, { speed: Math.round(done / ((performance.now() - started) / 1000)), failures }),
  });
} finally {
  bar.stop();
  fleet.close();
}

const seconds = report.elapsedMs / 1000;
console.log(`\n${report.cases} cases in ${seconds.toFixed(1)} s (${Math.round(report.cases / seconds)} cases/s), seed ${opts.seed}`);
console.log(
  `outcomes: ${report.outcomes.ran} ran on DuckDB, ${report.outcomes.rejected} rejected by the compiler, ` +
    `${report.outcomes.refused} refused while running (overflow, bad regex), ${report.outcomes.timeout} stopped by the time limit`,
);
console.log(`${report.failures.length} distinct failures${report.failures.length ? ':' : ''}`);
for (const f of report.failures) {
  console.log(`\n● ${f.key} (${f.count}× from ${f.source})\n  minimal: ${JSON.stringify(f.minimal)}\n  ${f.detail.split('\n').join('\n  ')}`);
}
if (opts.json) writeFileSync(opts.json, JSON.stringify({ seed: opts.seed, ...report }, null, 2));
process.exitCode = report.failures.length ? 1 : 0;
