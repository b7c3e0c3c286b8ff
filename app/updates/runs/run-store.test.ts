/**
 * Handing jobs to polling agents on a real DuckDB file: polls of machines without a queued job
 * are answered from memory (the fleet test's 200 agents poll all day), so every way a job becomes
 * Queued — a ring opening, "assess now", a restart with jobs already queued — must still reach
 * the machine, once, whatever the case of its name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestStart } from './run-engine.js';
import { RunStore, type StoredRun } from './run-store.js';
import { testDeployment } from './test-fixtures.js';
import { IllegalTransition } from './transitions.js';

const NOW = new Date('2030-01-07T02:00:00Z');
const agent = { agentId: 'agent-1' };
let dir: string;
let instance: DuckDBInstance;
let store: RunStore;

async function open(): Promise<void> {
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  store = await RunStore.open(instance);
}

async function close(): Promise<void> {
  await store.close();
  instance.closeSync();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-run-store-'));
  await open();
});
afterEach(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

/** A run of two machines, web1 in ring 0 and web2 in ring 1, claimed with its occurrence; its jobs are Pending. */
async function claimRun(windowMinutes = 120): Promise<StoredRun> {
  const deployment = testDeployment({ windowMinutes });
  const run: StoredRun = {
    id: `run-${deployment.id}`, deploymentId: deployment.id, name: deployment.name, os: 'Linux', scheduledAt: NOW,
    windowEndsAt: new Date(NOW.getTime() + windowMinutes * 60_000), status: 'NotStarted', phase: 'rings', currentRing: 0, ringCount: 2,
    cancelRequested: false, deployment,
  };
  const jobs = [{ id: `${run.id}-a`, computer: 'Web1.Contoso.com', ring: 0, status: 'Pending' as const }, { id: `${run.id}-b`, computer: 'web2.contoso.com', ring: 1, status: 'Pending' as const }];
  expect(await store.claimOccurrence({ deploymentId: deployment.id, scheduledAt: NOW, outcome: 'Run', runId: run.id }, NOW, { run, jobs })).toBe(true);
  return run;
}

describe('RunStore.takeNextJob', () => {
  it('hands a job out once its ring opens, to the machine whatever the case of its name, once under concurrent polls', async () => {
    const run = await claimRun();
    expect(await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart)).toBeUndefined(); // Pending: not yet
    await store.moveJobs({ runId: run.id, ring: 0 }, ['Pending'], 'Queued', NOW);
    const polls = await Promise.all(Array.from({ length: 10 }, () => store.takeNextJob('WEB1.contoso.com', agent, NOW, latestStart)));
    expect(polls.filter((job) => job !== undefined).map((job) => job!.id)).toEqual([`${run.id}-a`]);
    expect((await store.getJob(`${run.id}-a`))?.status).toBe('Running');
    expect(await store.takeNextJob('web2.contoso.com', agent, NOW, latestStart)).toBeUndefined();
  });

  it('hands out "assess now" jobs, before install jobs', async () => {
    const run = await claimRun();
    await store.moveJobs({ runId: run.id, ring: 0 }, ['Pending'], 'Queued', NOW);
    await store.queueAssess('assess-1', 'web1.contoso.com', NOW);
    expect((await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart))?.id).toBe('assess-1');
    expect((await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart))?.id).toBe(`${run.id}-a`);
    expect(await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart)).toBeUndefined();
    // A machine polled empty is found again when a job is queued for it later.
    await store.queueAssess('assess-2', 'web1.contoso.com', NOW);
    expect((await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart))?.id).toBe('assess-2');
  });

  it('still hands out jobs queued before a restart', async () => {
    const run = await claimRun();
    await store.moveJobs({ runId: run.id }, ['Pending'], 'Queued', NOW);
    await store.queueAssess('assess-1', 'other.contoso.com', NOW);
    await close();
    await open();
    expect((await store.takeNextJob('web2.contoso.com', agent, NOW, latestStart))?.id).toBe(`${run.id}-b`);
    expect((await store.takeNextJob('Other.Contoso.com', agent, NOW, latestStart))?.id).toBe('assess-1');
    expect((await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart))?.id).toBe(`${run.id}-a`);
  });

  it('keeps an install job past its latest start queued (the window check makes it FailedToStart), and hands out what comes after', async () => {
    const run = await claimRun(30);
    await store.moveJobs({ runId: run.id, ring: 0 }, ['Pending'], 'Queued', NOW);
    const late = new Date(NOW.getTime() + 11 * 60_000); // 30-minute window: nothing starts in its last 20
    expect(await store.takeNextJob('web1.contoso.com', agent, late, latestStart)).toBeUndefined();
    expect((await store.getJob(`${run.id}-a`))?.status).toBe('Queued');
    await store.queueAssess('assess-1', 'web1.contoso.com', late);
    expect((await store.takeNextJob('web1.contoso.com', agent, late, latestStart))?.id).toBe('assess-1');
  });
});

describe('RunStore keeps recorded outcomes', () => {
  it('refuses an agent outcome for a job the server gave an outcome meanwhile, and keeps that outcome', async () => {
    const run = await claimRun();
    await store.moveJobs({ runId: run.id, ring: 0 }, ['Pending'], 'Queued', NOW);
    const job = (await store.takeNextJob('web1.contoso.com', agent, NOW, latestStart))!;
    await store.moveJobs({ runId: run.id }, ['Running'], 'MaintenanceWindowExceeded', NOW, 'window over');
    const late = store.finishJob(job.id, 'Succeeded', NOW);
    await expect(late).rejects.toBeInstanceOf(IllegalTransition);
    await expect(late).rejects.toThrow(`Job ${job.id} (job) cannot go from MaintenanceWindowExceeded to Succeeded: MaintenanceWindowExceeded is final.`);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'MaintenanceWindowExceeded', reason: 'window over' });
  });

  it('refuses a job move the lifecycle does not allow before writing anything', async () => {
    const run = await claimRun();
    await expect(store.moveJobs({ runId: run.id }, ['Pending', 'Canceled'], 'Queued', NOW)).rejects.toThrow('A job cannot go from Canceled to Queued: Canceled is final.');
    expect((await store.jobsOfRun(run.id)).map((j) => j.status)).toEqual(['Pending', 'Pending']);
  });

  it('refuses to change the status or phase of an ended run', async () => {
    const run = await claimRun();
    await store.updateRun(run.id, { status: 'Canceled', phase: 'post' });
    await store.updateRun(run.id, { phase: 'done' });
    await expect(store.updateRun(run.id, { status: 'Succeeded' })).rejects.toThrow(`Run ${run.id} (run status) cannot go from Canceled to Succeeded: Canceled is final.`);
    await expect(store.updateRun(run.id, { phase: 'rings' })).rejects.toThrow(`Run ${run.id} (run phase) cannot go from done to rings: done is final.`);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'Canceled', phase: 'done' });
  });
});
