/**
 * Fleet end to end: 200 simulated machines (the real agent code: schedule, records, spool,
 * sender, signed transport, job poller, install jobs) register, assess and run update
 * deployments against the real server (`startServer` on 127.0.0.1 over a DuckDB file), whose
 * scheduler, runs and job long polls share the fleet's virtual clock. While runs are under way
 * virtual time moves in one-minute steps, each once every job call of the fleet was answered, so
 * the server answers every machine at the virtual instant it asked; between runs it moves five
 * minutes at a time.
 *
 * A recurring Windows deployment and a recurring Linux deployment, each with rings [10, 40, 50]:
 * Windows installs fail often (a bad patch month), so its first ring fails beyond the 30%
 * threshold and the next rings never start; Linux installs rarely fail and every ring runs. The
 * server is restarted in the middle of a run. Then the records must add up: every target has
 * one job per run and one outcome, the run API's per-update counts equal UpdateRunProgress
 * (latest status per update, by KQL), every job an agent ran was run once, and machines whose
 * installs succeeded miss only what the run excluded in the compliance view afterwards.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FleetRates } from '../../agent/simulate/patch-state.js';
import { runSimulation, type FleetDriver, type SimulationSummary } from '../../agent/simulate/simulation.js';
import { VirtualClock } from '../../agent/simulate/virtual-clock.js';
import type { Deployment, DeploymentInput, MachineCompliance, OsType } from '../../contracts/updates.js';
import type { RunView } from '../../app/updates/runs/run-engine.js';
import { FleetServer } from './fleet-server.js';
import { apiCountsByMachine, machineOutcomes, progressCountsByMachine, recordsPerRun, sumCounts, type Counts } from './run-records.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 3 March 2025, 00:00 UTC: the virtual clock's start (the server's time as well). */
const T0 = Date.UTC(2025, 2, 3, 0, 0);
const FIRST_RUN = T0 + HOUR;
const EVERY_HOURS = 4;
const OCCURRENCES = 3;
/** Below the interval, so runs of one deployment never overlap; the first Linux run takes 2–3 hours. */
const WINDOW_MINUTES = 230;
const RINGS = [10, 40, 50];
const THRESHOLD = { Windows: 30, Linux: 50 } as const;
const RATES: FleetRates = { installFailureRate: 0.01, assessmentFailureRate: 0, installFailureRateByOs: { Windows: 0.6, Linux: 0.01 } };
const MACHINES = 200;
const LINUX_EXCLUSIONS = ['lib*', 'openssh-*'];

interface Observed {
  targets: Record<OsType, string[]>;
  deployments: Record<OsType, Deployment>;
  missingBefore: Map<string, number>;
  missingAfterFirstRun: Map<string, MachineCompliance>;
  restartAtVirtualHour: number;
  restart: { runId: string; before: RunView; after: RunView };
}

const clock = new VirtualClock(T0);
const server = new FleetServer(clock, 5 * MIN);
afterAll(() => server.dispose());

describe('fleet: 200 simulated machines, recurring deployments with rings and a failure threshold', () => {
  it('runs every occurrence once across a restart, and the run records add up', async () => {
    const realStart = Date.now();
    const cpuStart = process.cpuUsage();
    await server.start();
    const observed: Partial<Observed> = {};
    const summary = await runSimulation({
      endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.primaryKey, now: () => clock.now().getTime(), maxSockets: 8 },
      machines: MACHINES,
      speed: 1, // unused: `drive` moves the time
      durationMs: 24 * HOUR,
      seed: 2025,
      clock,
      rates: RATES,
      jobPollMs: 10 * MIN,
      // Readiness needs a heartbeat an hour; at one a minute they were most of the records and of the time.
      heartbeatMs: 5 * MIN,
      spoolDir: join(server.dir, 'agent-spool'),
      log: () => undefined,
      drive: (fleet) => scenario(fleet, observed),
    });
    const o = observed as Observed;
    const simulatedMs = clock.now().getTime() - T0;

    // The fleet: both kinds of machine, all registered, everything they sent delivered.
    expect(summary.machines.windows + summary.machines.linux).toBe(MACHINES);
    expect(o.targets.Windows.length).toBeGreaterThan(50);
    expect(o.targets.Linux.length).toBeGreaterThan(50);
    expect(summary.undelivered).toBe(0);
    expect(summary.stats.recordsAcked).toBe(summary.recordsProduced);

    const runs: Record<OsType, RunView[]> = { Windows: [], Linux: [] };
    for (const os of ['Windows', 'Linux'] as const) {
      const { runs: listed, missed } = await server.api<{ runs: RunView[]; missed: string[] }>('GET', `/api/deployments/${o.deployments[os].id}/runs`);
      runs[os] = listed.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
      // Every occurrence ran exactly once, the one across the restart too; none was missed.
      expect(missed).toEqual([]);
      expect(runs[os].map((r) => r.scheduledAt)).toEqual(Array.from({ length: OCCURRENCES }, (_, i) => new Date(FIRST_RUN + i * EVERY_HOURS * HOUR).toISOString()));
      for (const run of runs[os]) {
        // Per run, the machines are the targets, once each, and every one has an outcome.
        expect(run.machines.map((m) => m.computer).sort()).toEqual([...o.targets[os]].sort());
        expect(run.endedAt).toBeDefined();
        expect(run.machines.filter((m) => m.status === 'NotStarted' || m.status === 'InProgress')).toEqual([]);
      }
    }

    // Rings and the failure threshold: Windows stops after its first ring, every Linux ring runs.
    const ringSizes = (os: OsType) => [1, 2].map((ring) => runs[os][0]!.machines.filter((m) => m.ring === ring).length);
    expect(ringSizes('Windows').every((n) => n > 0)).toBe(true);
    for (const run of runs.Windows) {
      expect(failedPercent(run, 0)).toBeGreaterThan(THRESHOLD.Windows);
      expect(run.machines.filter((m) => m.ring > 0).every((m) => m.status === 'Canceled')).toBe(true);
      expect(run.status).toBe('Failed');
      expect(run.reason).toMatch(/ring 1 of 3: \d+ of \d+ machines failed, more than the failure threshold of 30%; the next rings were not started/);
    }
    for (const run of runs.Linux) {
      for (const ring of [0, 1, 2]) expect(failedPercent(run, ring)).toBeLessThanOrEqual(THRESHOLD.Linux);
      expect(run.machines.filter((m) => m.status === 'Canceled' || m.status === 'FailedToStart')).toEqual([]);
    }

    // Per machine and per run, the run API's update counts equal UpdateRunProgress (latest status of each update).
    const allRuns = [...runs.Windows, ...runs.Linux];
    const fromRecords = await progressCountsByMachine(server);
    const fromApi = apiCountsByMachine(allRuns);
    expect(fromRecords).toEqual(fromApi);
    for (const run of allRuns) {
      const recordTotals = sumCounts([...fromRecords].filter(([key]) => key.startsWith(`${run.id}|`)).map(([, c]) => c));
      expect(recordTotals).toEqual(sumCounts(run.machines.map((m) => m.counts)));
    }

    // One outcome row per machine and run, saying what the run API says; every job an agent
    // picked up ran once (the agents' own count), none lost across the restart.
    const outcomes = await machineOutcomes(server);
    for (const run of allRuns) {
      for (const m of run.machines) {
        const outcome = outcomes.get(`${run.id}|${m.computer}`);
        expect(outcome, `${run.name} ${run.scheduledAt} ${m.computer}`).toMatchObject({ rows: 1, status: m.status });
      }
    }
    expect(outcomes.size).toBe(allRuns.reduce((n, r) => n + r.machines.length, 0));
    const ranByAgents = [...outcomes.values()].filter((x) => x.pickedUp).length;
    const agentJobs = Object.values(summary.jobsCompleted).reduce((a, b) => a + b, 0);
    expect(agentJobs).toBe(ranByAgents);

    // The restart happened with machines of the run still working; the run carried on to its end.
    expect(o.restart.before.status).toBe('InProgress');
    expect(o.restart.before.machines.some((m) => m.status === 'InProgress')).toBe(true);
    expect(o.restart.after.machines.map((m) => [m.computer, m.status])).toEqual(o.restart.before.machines.map((m) => [m.computer, m.status]));
    const restarted = allRuns.find((r) => r.id === o.restart.runId)!;
    expect(restarted.machines.filter((m) => m.status === 'InProgress' || m.status === 'NotStarted')).toEqual([]);
    expect(server.starts).toBe(2);

    // After their first run, Linux machines whose installs all succeeded miss at most the critical
    // and security updates the run excluded (the agent rescanned after installing); before it they
    // missed at least those and what the run installed.
    const firstLinux = runs.Linux[0]!;
    const patched = firstLinux.machines.filter((m) => m.status === 'Succeeded' && (m.counts.Succeeded ?? 0) > 0);
    expect(patched.length).toBeGreaterThan(o.targets.Linux.length / 2);
    expect(patched.filter((m) => (m.counts.Excluded ?? 0) > 0).length).toBeGreaterThan(0);
    for (const m of patched) {
      const after = requiredMissing(o.missingAfterFirstRun.get(m.computer)!);
      expect(after, m.computer).toBeLessThanOrEqual(m.counts.Excluded ?? 0);
      expect(o.missingBefore.get(m.computer) ?? 0, m.computer).toBeGreaterThanOrEqual((m.counts.Succeeded ?? 0) + (m.counts.Excluded ?? 0));
    }
    const linuxMissing = (map: Map<string, number>) => o.targets.Linux.reduce((n, c) => n + (map.get(c) ?? 0), 0);
    const missingAfter = new Map([...o.missingAfterFirstRun].map(([c, m]) => [c, requiredMissing(m)]));
    expect(linuxMissing(missingAfter)).toBeLessThan(linuxMissing(o.missingBefore));

    const cpu = process.cpuUsage(cpuStart);
    report(allRuns, await recordsPerRun(server), summary, {
      simulatedMs, realMs: Date.now() - realStart, cpuMs: (cpu.user + cpu.system) / 1000,
      missingBefore: linuxMissing(o.missingBefore), missingAfter: linuxMissing(missingAfter), restartAtVirtualHour: o.restartAtVirtualHour,
    });
  }, 180_000);
});

/** What happens on the virtual clock, in order: deployments, first runs, a restart mid-run, the rest. */
async function scenario(fleet: FleetDriver, observed: Partial<Observed>): Promise<void> {
  /** Moves virtual time to `atMs` in steps, each once the fleet's job calls were answered. */
  const stepTo = async (atMs: number, stepMs = MIN) => {
    while (clock.now().getTime() < atMs) {
      await clock.advanceTo(Math.min(atMs, clock.now().getTime() + stepMs));
      await fleet.idle();
    }
  };
  /** Between runs: nothing but heartbeats, assessments and empty polls. */
  const quietTo = (atMs: number) => stepTo(atMs, 5 * MIN);
  const occurrence = (i: number) => FIRST_RUN + i * EVERY_HOURS * HOUR;
  const targets = {
    Windows: fleet.machines.filter((m) => m.osType === 'Windows').map((m) => m.computer),
    Linux: fleet.machines.filter((m) => m.osType === 'Linux').map((m) => m.computer),
  };
  observed.targets = targets;
  const deployments = {
    Windows: await server.api<Deployment>('POST', '/api/deployments', deploymentInput('Windows', targets.Windows)),
    Linux: await server.api<Deployment>('POST', '/api/deployments', deploymentInput('Linux', targets.Linux)),
  };
  observed.deployments = deployments;
  /** One-minute steps until both runs of occurrence `i` have ended. */
  const untilEnded = async (i: number) => {
    while (!(await bothEnded(deployments, occurrence(i)))) {
      if (clock.now().getTime() > occurrence(i) + (WINDOW_MINUTES + 30) * MIN) throw new Error(`the runs of ${new Date(occurrence(i)).toISOString()} were still unfinished 30 minutes after their window`);
      await stepTo(clock.now().getTime() + 10 * MIN);
    }
  };

  // Every machine assessed (within 15 minutes of its start) before the first run.
  await quietTo(FIRST_RUN - 10 * MIN);
  observed.missingBefore = new Map([...(await linuxCompliance(fleet))].map(([c, m]) => [c, requiredMissing(m)]));
  await stepTo(FIRST_RUN);
  await untilEnded(0);
  observed.missingAfterFirstRun = await linuxCompliance(fleet);

  // Second occurrence: restart the server once the Linux run has finished machines and working ones.
  await quietTo(occurrence(1));
  for (;;) {
    await stepTo(clock.now().getTime() + 5 * MIN);
    const run = await runAt(deployments.Linux, occurrence(1));
    const finished = run?.machines.filter((m) => !['NotStarted', 'InProgress'].includes(m.status)).length ?? 0;
    if (run && finished > 0 && run.machines.some((m) => m.status === 'InProgress')) {
      const before = await server.api<RunView>('GET', `/api/runs/${run.id}`);
      await server.restart();
      const after = await server.api<RunView>('GET', `/api/runs/${run.id}`);
      observed.restart = { runId: run.id, before, after };
      observed.restartAtVirtualHour = (clock.now().getTime() - T0) / HOUR;
      break;
    }
    if (clock.now().getTime() > occurrence(1) + WINDOW_MINUTES * MIN) throw new Error('the second Linux run never had finished and working machines at once');
  }
  await untilEnded(1);

  for (let i = 2; i < OCCURRENCES; i++) {
    await quietTo(occurrence(i));
    await untilEnded(i);
  }
}

/** Non-optional critical and security updates a machine misses (what the deployments install). */
function requiredMissing(m: MachineCompliance): number {
  return m.missing.critical + m.missing.security;
}

function deploymentInput(os: OsType, machines: string[]): DeploymentInput {
  const start = new Date(FIRST_RUN).toISOString().slice(0, 16);
  return {
    name: `${os} patch night`,
    os,
    classifications: ['Critical Updates', 'Security Updates'],
    // Linux: wildcards keep the libraries and ssh for another night (they stay missing, reported Excluded).
    excludedUpdates: os === 'Linux' ? LINUX_EXCLUSIONS : [],
    includedUpdates: [],
    targets: { machines, groups: [], dynamicGroups: [] },
    schedule: { startTime: start, timeZone: 'UTC', recurrence: { frequency: 'Hour', interval: EVERY_HOURS } },
    windowMinutes: WINDOW_MINUTES,
    reboot: 'IfRequired',
    rollout: { ringPercents: RINGS, failureThresholdPercent: THRESHOLD[os] },
    enabled: true,
  };
}

/** The compliance view of the Linux machines, once everything the fleet produced reached the server. */
async function linuxCompliance(fleet: FleetDriver): Promise<Map<string, MachineCompliance>> {
  expect(await fleet.deliver(30_000)).toBe(true);
  const { machines } = await server.api<{ machines: MachineCompliance[] }>('GET', '/api/compliance/machines?os=Linux');
  return new Map(machines.map((m) => [m.computer, m]));
}

async function runAt(deployment: Deployment, scheduledAtMs: number): Promise<RunView | undefined> {
  const { runs } = await server.api<{ runs: RunView[] }>('GET', `/api/deployments/${deployment.id}/runs`);
  return runs.find((r) => Date.parse(r.scheduledAt) === scheduledAtMs);
}

async function bothEnded(deployments: Record<OsType, Deployment>, scheduledAtMs: number): Promise<boolean> {
  for (const deployment of Object.values(deployments)) {
    const run = await runAt(deployment, scheduledAtMs);
    if (!run || run.endedAt === undefined) return false;
  }
  return true;
}

function failedPercent(run: RunView, ring: number): number {
  const machines = run.machines.filter((m) => m.ring === ring);
  return (100 * machines.filter((m) => m.status === 'Failed' || m.status === 'FailedToStart').length) / Math.max(1, machines.length);
}

/** The figures, for the test log: per run, its outcome and how many records it wrote. */
interface Figures {
  simulatedMs: number;
  realMs: number;
  cpuMs: number;
  missingBefore: number;
  missingAfter: number;
  restartAtVirtualHour: number;
}

function report(runs: RunView[], records: Map<string, number>, summary: SimulationSummary, times: Figures): void {
  const lines = runs.map((run) => {
    const statuses = Object.entries(countBy(run.machines.map((m) => m.status))).map(([s, n]) => `${s} ${n}`).join(', ');
    const updates: Counts = sumCounts(run.machines.map((m) => m.counts));
    const minutes = run.endedAt && run.startedAt ? Math.round((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / MIN) : NaN;
    return `${run.name} ${run.scheduledAt.slice(0, 16)} ${run.status} in ${minutes} min: ${run.machines.length} machines (${statuses}); updates ${JSON.stringify(updates)}; ${records.get(run.id) ?? 0} UpdateRunProgress rows`;
  });
  lines.push(`fleet: ${summary.machines.windows} Windows + ${summary.machines.linux} Linux, ${summary.heartbeats} heartbeats, ${summary.assessments} assessments, jobs ${JSON.stringify(summary.jobsCompleted)}, ${summary.reboots} reboots, records ${JSON.stringify(summary.recordsByTable)} in ${summary.stats.batchesSent} requests`);
  lines.push(`Linux critical and security updates missing before the first run ${times.missingBefore}, after it ${times.missingAfter}`);
  lines.push(`server restarted at virtual hour ${times.restartAtVirtualHour.toFixed(2)}`);
  lines.push(`${(times.simulatedMs / HOUR).toFixed(1)} virtual hours in ${(times.realMs / 1000).toFixed(1)} s (${(times.cpuMs / 1000).toFixed(1)} s of CPU in this process)`);
  console.log(lines.join('\n'));
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
