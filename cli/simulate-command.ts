/** `upkeep simulate`: a virtual fleet running the real agent code against a server, on accelerated time. */
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { runSimulation, type SimulationProgress, type SimulationSummary } from '../agent/simulate/simulation.js';

interface SimulateFlags {
  server: string;
  workspace: string;
  key: string;
  machines: number;
  speed: number;
  duration: number;
  seed: number;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Drive a virtual fleet (Windows and Linux agents, real agent code, simulated update sources) through the server API on accelerated time.')
    .requiredOption('--server <url>', 'the Upkeep server, e.g. http://127.0.0.1:8080')
    .requiredOption('--workspace <id>', 'workspace id (upkeep workspace show)')
    .requiredOption('--key <key>', 'the workspace primary key (base64)')
    .option('--machines <n>', 'virtual machines (1–100000)', bounded('--machines', 1, 100_000), 100)
    .option('--speed <x>', 'simulated seconds per real second (60: a day in 24 minutes)', bounded('--speed', 1, 1_000_000), 60)
    .option('--duration <d>', 'simulated time, e.g. 90m, 6h, 1d', duration, 86_400_000)
    .option('--seed <n>', 'random seed of the fleet', bounded('--seed', 0, 2 ** 31 - 1), 1)
    .action(async (flags: SimulateFlags) => {
      const bar = new cliProgress.SingleBar({
        format: 'simulated {sim} / {end} |{bar}| {records} records, {acked} acked, {retries} retries',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5000,
      }, cliProgress.Presets.shades_classic);
      bar.start(flags.duration, 0, payload({ simulatedMs: 0, durationMs: flags.duration, recordsProduced: 0, stats: { batchesSent: 0, recordsAcked: 0, batchesDropped: 0, recordsDropped: 0, retries: 0 } }));
      let summary: SimulationSummary;
      try {
        summary = await runSimulation({
          endpoint: { url: flags.server, workspaceId: flags.workspace, key: flags.key },
          machines: flags.machines,
          speed: flags.speed,
          durationMs: flags.duration,
          seed: flags.seed,
          onProgress: (p) => bar.update(p.simulatedMs, payload(p)),
          log: (message) => process.stderr.write(`\n${message}\n`),
        });
      } finally {
        bar.stop();
      }
      process.stdout.write(`${describe(summary, flags)}\n`);
      if (summary.undelivered > 0 || summary.stats.batchesDropped > 0) process.exitCode = 1;
    });
}

function payload(p: SimulationProgress): Record<string, string> {
  return {
    sim: hours(p.simulatedMs),
    end: hours(p.durationMs),
    records: p.recordsProduced.toLocaleString('en-US'),
    acked: p.stats.recordsAcked.toLocaleString('en-US'),
    retries: String(p.stats.retries),
  };
}

function describe(s: SimulationSummary, flags: SimulateFlags): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const tables = Object.entries(s.recordsByTable).map(([table, count]) => `${table} ${n(count)}`).join(', ');
  return [
    `${n(flags.machines)} machines (${n(s.machines.windows)} Windows, ${n(s.machines.linux)} Linux), ${hours(flags.duration)} simulated in ${(s.realMs / 1000).toFixed(1)} s`,
    `${n(s.heartbeats)} heartbeats, ${n(s.assessments)} assessments (${n(s.failedAssessments)} failed by simulation, ${n(s.installTimeRescans)} Windows rescans after new installs)`,
    `jobs: ${Object.entries(s.jobsCompleted).map(([status, count]) => `${status} ${n(count)}`).join(', ') || 'none'}; ${n(s.reboots)} reboots`,
    `records: ${tables}; ${n(s.stats.recordsAcked)} acknowledged in ${n(s.stats.batchesSent)} requests, ${n(s.stats.retries)} retries, ${n(s.stats.recordsDropped)} rejected, ${n(s.undelivered)} batches undelivered`,
  ].join('\n');
}

function hours(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function bounded(flag: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got "${value}".`);
    return parsed;
  };
}

function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`--duration takes a number and a unit (m, h or d), e.g. 90m, 6h, 1d; got "${value}".`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}
