/**
 * How fast the `upkeep` command starts: the median wall time of `upkeep query 'print 1'` (a
 * query that reads no table: no database file, no server code) and `upkeep --version`, beside
 * `node -e 0` measured in the same run, interleaved so that a busy machine slows all three
 * alike. Builds the CLI first (build/cli.mjs, about a second) so the figures are of this code.
 * Run: `node bin/run-ts.mjs bench/cli-start.ts [--runs 15]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'bin/upkeep.mjs');

export interface StartFigures {
  runs: number;
  /** Median milliseconds of each command. */
  nodeMs: number;
  versionMs: number;
  queryMs: number;
  /** The fastest run of each: the least disturbed by other work on the machine. */
  nodeMinMs: number;
  versionMinMs: number;
  queryMinMs: number;
}

interface Probe {
  args: string[];
  /** What a correct run prints; a wrong answer fails the bench rather than timing an error. */
  expect: RegExp;
}

const probes = {
  node: { args: ['-e', '0'], expect: /^$/ },
  version: { args: [bin, '--version'], expect: /^\d+\.\d+\.\d+\n$/ },
  query: { args: [bin, 'query', 'print 1'], expect: /^print_0\n-+\n +1\n1 row\n$/ },
} satisfies Record<string, Probe>;

export function benchCliStart(runs = 15): StartFigures {
  buildCli();
  // A directory of its own: nothing there for the CLI to find or create.
  const cwd = mkdtempSync(join(tmpdir(), 'upkeep-cli-start-'));
  try {
    const times: Record<keyof typeof probes, number[]> = { node: [], version: [], query: [] };
    for (let i = 0; i < runs; i++) for (const name of Object.keys(probes) as (keyof typeof probes)[]) times[name].push(timeOnce(probes[name], cwd));
    return {
      runs,
      nodeMs: median(times.node),
      versionMs: median(times.version),
      queryMs: median(times.query),
      nodeMinMs: Math.min(...times.node),
      versionMinMs: Math.min(...times.version),
      queryMinMs: Math.min(...times.query),
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function buildCli(): void {
  const built = spawnSync(process.execPath, [join(root, 'build/cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the CLI build failed: ${`${built.stdout}\n${built.stderr}`.trim().slice(0, 2000)}`);
}

function timeOnce(probe: Probe, cwd: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, probe.args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - started;
  if (run.status !== 0 || !probe.expect.test(run.stdout)) {
    throw new Error(`node ${probe.args.join(' ')} exited ${run.status} and printed ${JSON.stringify(run.stdout.slice(0, 200))} ${run.stderr.slice(0, 500)}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } }, strict: true });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number above 0, got '${values.runs}'.`);
  const f = benchCliStart(runs);
  const line = (label: string, ms: number, min: number) => `${label.padEnd(28)}${ms.toFixed(0).padStart(6)} ms  (fastest ${min.toFixed(0)} ms, ${(ms / f.nodeMs).toFixed(2)}× node -e 0)`;
  console.log(`median of ${f.runs} runs each, interleaved (a shared machine: read the ratios)`);
  console.log(line('node -e 0', f.nodeMs, f.nodeMinMs));
  console.log(line('upkeep --version', f.versionMs, f.versionMinMs));
  console.log(line("upkeep query 'print 1'", f.queryMs, f.queryMinMs));
}
