/**
 * The scheduler and run engine on a real DuckDB file with a ManualClock: a simulated week of a
 * recurring deployment, restarts mid-schedule (exactly once), missed occurrences, the window,
 * FailedToStart, cancel, rings with a failure threshold, dynamic groups.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment, InstallJob } from '../../../contracts/updates.js';
import { ManualClock } from '../../../contracts/clock.js';
import type { UpdateRunProgressRow } from '../runs/progress-records.js';
import { MemoryDeployments, testDeployment } from '../runs/test-fixtures.js';
import { UpdateRuns, type UpdateRunsOptions } from '../runs/update-runs.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let dir: string;
let instance: DuckDBInstance | undefined;
let runs: UpdateRuns | undefined;
let rows: UpdateRunProgressRow[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-scheduler-'));
  rows = [];
});
afterEach(async () => {
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the runs service on the test's database file, as a server start does. */
async function startServer(clock: ManualClock, deployments: MemoryDeployments, extra: Partial<UpdateRunsOptions> = {}): Promise<UpdateRuns> {
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  runs = await UpdateRuns.open({ instance, deployments, clock, sink: async (r) => void rows.push(...r), ...extra });
  return runs;
}

async function stopServer(): Promise<void> {
  await runs?.close();
  instance?.closeSync();
  runs = undefined;
  instance = undefined;
}

/** Moves time on and ticks, as the server's timer would. */
async function tickAt(clock: ManualClock, at: string | Date): Promise<void> {
  clock.set(at);
  await runs!.scheduler.tick();
  await runs!.engine.settled();
}

/** What an agent does: takes its job if there is one and finishes it with `outcome`. */
async function agentWorks(computer: string, outcome: 'Succeeded' | 'Failed' | 'none' = 'Succeeded'): Promise<InstallJob | undefined> {
  const job = await runs!.jobs.next({ computer, agentId: `agent-${computer}`, waitSeconds: 0 }, { agentId: `agent-${computer}` });
  if (!job || job.kind !== 'install' || outcome === 'none') return job as InstallJob | undefined;
  const status = outcome === 'Succeeded' ? 'Succeeded' : 'InstallFailed';
  await runs!.jobs.progress(job.jobId, { updates: [{ product: 'openssl', title: 'openssl 3.0.13', status }] });
  await runs!.jobs.complete(job.jobId, { status: outcome, rebooted: false });
  await runs!.engine.settled();
  return job;
}

async function runViews(deploymentId: string) {
  return Promise.all((await runs!.store.runsOf(deploymentId)).map((r) => runs!.engine.view(r)));
}

function daily(overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({ schedule: { startTime: '2030-01-07T02:00', timeZone: 'UTC', recurrence: { frequency: 'Day', interval: 1 } }, windowMinutes: 120, ...overrides });
}

describe('scheduler over a simulated week', () => {
  it('runs a daily deployment once a day for a week, every machine every time', async () => {
    const clock = new ManualClock('2030-01-06T00:00:00Z');
    const deployment = daily();
    await startServer(clock, new MemoryDeployments(deployment));
    const started = Date.now();
    for (let t = clock.now().getTime(); t <= Date.parse('2030-01-14T00:00:00Z'); t += 15 * MIN) {
      await tickAt(clock, new Date(t));
      await agentWorks('web1.contoso.com');
      await agentWorks('web2.contoso.com');
    }
    const elapsed = Date.now() - started;
    const views = await runViews(deployment.id);
    expect(views.map((r) => r.scheduledAt).reverse()).toEqual(['07', '08', '09', '10', '11', '12', '13'].map((d) => `2030-01-${d}T02:00:00.000Z`));
    expect(views.every((r) => r.status === 'Succeeded' && r.machines.every((m) => m.status === 'Succeeded'))).toBe(true);
    expect(rows.filter((r) => r.Title === '' && r.InstallationStatus === 'Succeeded')).toHaveLength(14);
    console.log(`simulated week: ${8 * 96} ticks, 7 runs, ${rows.length} UpdateRunProgress rows in ${elapsed} ms`);
  });

  it('ticks by itself on the injected clock once started', async () => {
    const clock = new ManualClock('2030-01-07T01:59:00Z');
    const deployment = daily();
    await startServer(clock, new MemoryDeployments(deployment), { tickMs: 5_000 });
    runs!.start();
    for (let i = 0; i < 24 && (await runs!.store.runsOf(deployment.id)).length === 0; i++) {
      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await runs!.store.runsOf(deployment.id)).map((r) => r.scheduledAt.toISOString())).toEqual(['2030-01-07T02:00:00.000Z']);
  });
});

describe('restarts', () => {
  it('runs every occurrence exactly once across restarts mid-schedule', async () => {
    const clock = new ManualClock('2030-01-06T00:00:00Z');
    const deployment = daily({ schedule: { startTime: '2030-01-07T02:00', timeZone: 'UTC', recurrence: { frequency: 'Hour', interval: 6 } } });
    const source = new MemoryDeployments(deployment);
    await startServer(clock, source);
    // Restart every 5 hours, ticking again at the moment of each restart, for three days.
    for (let t = clock.now().getTime(); t <= Date.parse('2030-01-10T00:00:00Z'); t += 30 * MIN) {
      await tickAt(clock, new Date(t));
      if (t % (5 * HOUR) === 0) {
        await stopServer();
        await startServer(clock, source);
        await tickAt(clock, new Date(t));
      }
      await agentWorks('web1.contoso.com');
      await agentWorks('web2.contoso.com');
    }
    const occurrences = await runs!.store.occurrences(deployment.id);
    expect(occurrences).toHaveLength(12);
    expect(new Set(occurrences.map((o) => o.scheduledAt.getTime())).size).toBe(12);
    expect(occurrences.every((o) => o.outcome === 'Run')).toBe(true);
    const views = await runViews(deployment.id);
    expect(views).toHaveLength(12);
    expect(views.every((r) => r.status === 'Succeeded')).toBe(true);
  });

  it('continues a run that was in progress when the server stopped', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily();
    const source = new MemoryDeployments(deployment);
    await startServer(clock, source);
    await tickAt(clock, '2030-01-07T02:01:00Z');
    const job = await agentWorks('web1.contoso.com', 'none');
    await stopServer();
    await startServer(clock, source);
    await tickAt(clock, '2030-01-07T02:10:00Z');
    await runs!.jobs.complete(job!.jobId, { status: 'Succeeded', rebooted: true });
    await agentWorks('web2.contoso.com');
    await tickAt(clock, '2030-01-07T02:15:00Z');
    const [run] = await runViews(deployment.id);
    expect(run).toMatchObject({ status: 'Succeeded' });
    expect(await runs!.store.runsOf(deployment.id)).toHaveLength(1);
  });
});

describe('missed occurrences', () => {
  it('runs one missed while down if its window is still open, records it as Missed otherwise', async () => {
    const clock = new ManualClock('2030-01-07T01:00:00Z');
    const deployment = daily();
    const source = new MemoryDeployments(deployment);
    await startServer(clock, source);
    await tickAt(clock, '2030-01-07T01:00:00Z');
    await stopServer();
    // Down over 02:00; back at 03:00: 40 minutes are left before the reboot reserve.
    clock.set('2030-01-07T03:00:00Z');
    await startServer(clock, source);
    await tickAt(clock, '2030-01-07T03:00:00Z');
    expect((await agentWorks('web1.contoso.com'))?.kind).toBe('install');
    await stopServer();
    // Down from 03:05 on the 7th to 06:00 on the 9th: the 8th and the 9th are past their windows.
    clock.set('2030-01-09T06:00:00Z');
    await startServer(clock, source);
    await tickAt(clock, '2030-01-09T06:00:00Z');
    const occurrences = await runs!.store.occurrences(deployment.id);
    expect(occurrences.map((o) => [o.scheduledAt.toISOString(), o.outcome])).toEqual([
      ['2030-01-07T02:00:00.000Z', 'Run'],
      ['2030-01-08T02:00:00.000Z', 'Missed'],
      ['2030-01-09T02:00:00.000Z', 'Missed'],
    ]);
    const views = await runViews(deployment.id);
    expect(views).toHaveLength(1);
    // web2 never came for its job: FailedToStart once the window had fewer than 20 minutes left.
    expect(views[0]!.machines.map((m) => [m.computer, m.status])).toEqual([['web1.contoso.com', 'Succeeded'], ['web2.contoso.com', 'FailedToStart']]);
    expect(views[0]!.status).toBe('Failed');
  });
});

describe('the maintenance window', () => {
  it('makes a machine that never picks up its job FailedToStart and hands out nothing in the last 20 minutes', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ windowMinutes: 60 });
    await startServer(clock, new MemoryDeployments(deployment));
    await tickAt(clock, '2030-01-07T02:00:00Z');
    await agentWorks('web1.contoso.com');
    await tickAt(clock, '2030-01-07T02:40:00Z');
    expect(await agentWorks('web2.contoso.com')).toBeUndefined();
    const [run] = await runViews(deployment.id);
    expect(run!.machines[1]).toMatchObject({ computer: 'web2.contoso.com', status: 'FailedToStart' });
    expect(run!.status).toBe('Failed');
    const row = rows.find((r) => r.Computer === 'web2.contoso.com')!;
    expect(row).toMatchObject({ InstallationStatus: 'FailedToStart', CorrelationId: run!.id, UpdateRunName: deployment.name, Title: '' });
    expect(row.ErrorResult).toMatch(/did not pick up its job before fewer than 20 minutes/);
  });

  it('marks machines still running after the window, and their unfinished updates, MaintenanceWindowExceeded', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ windowMinutes: 60, targets: { machines: ['slow.contoso.com'], groups: [], dynamicGroups: [] } });
    await startServer(clock, new MemoryDeployments(deployment), { reportGraceMs: 5 * MIN });
    await tickAt(clock, '2030-01-07T02:00:00Z');
    const job = await agentWorks('slow.contoso.com', 'none');
    await runs!.jobs.progress(job!.jobId, { updates: [{ product: 'glibc', title: 'glibc 2.39', status: 'InProgress' }, { product: 'zlib', title: 'zlib 1.3', status: 'Succeeded' }] });
    await tickAt(clock, '2030-01-07T03:04:00Z');
    expect((await runViews(deployment.id))[0]!.status).toBe('InProgress');
    await tickAt(clock, '2030-01-07T03:05:00Z');
    const [run] = await runViews(deployment.id);
    expect(run).toMatchObject({ status: 'MaintenanceWindowExceeded', machines: [{ status: 'MaintenanceWindowExceeded', counts: { MaintenanceWindowExceeded: 1, Succeeded: 1 } }] });
    expect(rows.filter((r) => r.InstallationStatus === 'MaintenanceWindowExceeded').map((r) => r.Title)).toEqual(['glibc 2.39', '']);
    // The agent, reporting late, is told to stop.
    expect(await runs!.jobs.progress(job!.jobId, { updates: [] })).toEqual({ cancel: true });
  });

  it('marks rings that could not start before the reserve MaintenanceWindowExceeded', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ windowMinutes: 60, rollout: { ringPercents: [50, 50], failureThresholdPercent: 100 } });
    await startServer(clock, new MemoryDeployments(deployment));
    await tickAt(clock, '2030-01-07T02:00:00Z');
    await agentWorks('web1.contoso.com', 'none');
    await tickAt(clock, '2030-01-07T02:45:00Z');
    const [run] = await runViews(deployment.id);
    expect(run!.machines.map((m) => m.status)).toEqual(['InProgress', 'MaintenanceWindowExceeded']);
  });
});

describe('cancel', () => {
  it('cancels machines not started at once and tells running agents to stop', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ targets: { machines: ['a.contoso.com', 'b.contoso.com', 'c.contoso.com'], groups: [], dynamicGroups: [] } });
    await startServer(clock, new MemoryDeployments(deployment));
    await tickAt(clock, '2030-01-07T02:00:00Z');
    const job = await agentWorks('a.contoso.com', 'none');
    expect(await runs!.jobs.progress(job!.jobId, { updates: [{ product: 'vim', title: 'vim 9.1', status: 'InProgress' }] })).toEqual({ cancel: false });
    await runs!.engine.cancel(job!.runId);
    expect(await agentWorks('b.contoso.com')).toBeUndefined();
    expect(await runs!.jobs.progress(job!.jobId, { updates: [{ product: 'vim', title: 'vim 9.1', status: 'NotStarted' }] })).toEqual({ cancel: true });
    expect((await runViews(deployment.id))[0]!.status).toBe('InProgress');
    await runs!.jobs.complete(job!.jobId, { status: 'Canceled', rebooted: false });
    await runs!.engine.settled();
    const [run] = await runViews(deployment.id);
    expect(run).toMatchObject({ status: 'Canceled' });
    expect(run!.machines.map((m) => m.status)).toEqual(['Canceled', 'Canceled', 'Canceled']);
    expect(rows.filter((r) => r.InstallationStatus === 'Canceled').map((r) => r.Computer).sort()).toEqual(['a.contoso.com', 'b.contoso.com', 'c.contoso.com']);
    await expect(runs!.engine.cancel(job!.runId)).rejects.toThrow(/already ended/);
  });
});

describe('rollout rings', () => {
  const machines = Array.from({ length: 10 }, (_, i) => `m${i}.contoso.com`);

  it('starts the next ring only when the current one is done', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ targets: { machines, groups: [], dynamicGroups: [] }, rollout: { ringPercents: [20, 30, 50], failureThresholdPercent: 10 } });
    await startServer(clock, new MemoryDeployments(deployment));
    await tickAt(clock, '2030-01-07T02:00:00Z');
    expect(await agentWorks('m2.contoso.com')).toBeUndefined();
    await agentWorks('m0.contoso.com');
    expect(await agentWorks('m2.contoso.com')).toBeUndefined();
    await agentWorks('m1.contoso.com');
    const ring2 = await Promise.all(machines.slice(2, 5).map((m) => agentWorks(m, 'none')));
    expect(await agentWorks('m5.contoso.com')).toBeUndefined();
    await tickAt(clock, '2030-01-07T02:10:00Z');
    expect(await agentWorks('m5.contoso.com')).toBeUndefined();
    for (const job of ring2) await runs!.jobs.complete(job!.jobId, { status: 'Succeeded', rebooted: false });
    await runs!.engine.settled();
    for (const m of machines.slice(5)) expect(await agentWorks(m)).toBeDefined();
    const [run] = await runViews(deployment.id);
    expect(run!.machines.map((m) => m.ring)).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(run!.status).toBe('Succeeded');
  });

  it('does not start the next ring when more than the threshold of a ring failed', async () => {
    const clock = new ManualClock('2030-01-07T02:00:00Z');
    const deployment = daily({ targets: { machines, groups: [], dynamicGroups: [] }, rollout: { ringPercents: [20, 80], failureThresholdPercent: 10 } });
    await startServer(clock, new MemoryDeployments(deployment));
    await tickAt(clock, '2030-01-07T02:00:00Z');
    await agentWorks('m0.contoso.com');
    await agentWorks('m1.contoso.com', 'Failed');
    await tickAt(clock, '2030-01-07T02:05:00Z');
    expect(await agentWorks('m2.contoso.com')).toBeUndefined();
    const [run] = await runViews(deployment.id);
    expect(run!.status).toBe('Failed');
    expect(run!.reason).toMatch(/ring 1 of 2: 1 of 2 machines failed, more than the failure threshold of 10%/);
    expect(run!.machines.slice(2).every((m) => m.status === 'Canceled' && /failure threshold/.test(m.reason ?? ''))).toBe(true);
    expect(rows.filter((r) => r.InstallationStatus === 'Canceled')).toHaveLength(8);
  });
});

describe('targets', () => {
  it('re-evaluates dynamic groups at every run and adds frozen groups', async () => {
    const clock = new ManualClock('2030-01-07T01:00:00Z');
    let members = ['db1.contoso.com'];
    const deployment = daily({
      targets: { machines: ['web1.contoso.com'], groups: [{ name: 'frozen', query: 'x' }], dynamicGroups: [{ name: 'databases', query: 'Heartbeat | where Computer startswith "db" | distinct Computer' }] },
      frozenGroups: { frozen: ['web1.contoso.com', 'app1.contoso.com'] },
    });
    await startServer(clock, new MemoryDeployments(deployment), { evaluateGroup: async () => members });
    await tickAt(clock, '2030-01-07T02:00:00Z');
    members = ['db1.contoso.com', 'db2.contoso.com'];
    await tickAt(clock, '2030-01-08T02:00:00Z');
    const [second, first] = await runViews(deployment.id);
    expect(first!.machines.map((m) => m.computer)).toEqual(['web1.contoso.com', 'app1.contoso.com', 'db1.contoso.com']);
    expect(second!.machines.map((m) => m.computer)).toEqual(['web1.contoso.com', 'app1.contoso.com', 'db1.contoso.com', 'db2.contoso.com']);
  });

  it('fails a run without machines with a reason', async () => {
    const clock = new ManualClock('2030-01-07T01:00:00Z');
    const deployment = daily({ targets: { machines: [], groups: [], dynamicGroups: [{ name: 'empty', query: 'x' }] } });
    await startServer(clock, new MemoryDeployments(deployment), { evaluateGroup: async () => [] });
    await tickAt(clock, '2030-01-07T02:00:00Z');
    const [run] = await runViews(deployment.id);
    expect(run).toMatchObject({ status: 'Failed', reason: expect.stringMatching(/no target machines/) });
  });
});
