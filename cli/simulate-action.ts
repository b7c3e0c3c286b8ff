/** What `upkeep simulate` does (its flags are in simulate-command.ts). */
import cliProgress from 'cli-progress';
import { runSimulation, type SimulationProgress, type SimulationSummary } from '../agent/simulate/simulation.js';

export interface SimulateFlags {
  server: string;
  workspace: string;
  key: string;
  machines: number;
  speed: number;
  duration: number;
  seed: number;
}

export async function simulate(flags: SimulateFlags): Promise<void> {
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
