/**
 * Carries a run from its occurrence to its end: resolves the target machines, calls the
 * pre-webhook, opens the rollout rings one after the other (stopping when a ring failed beyond the
 * threshold), enforces the maintenance window, ends the run with a status derived from the
 * machines, and calls the post-webhook. Every server-side machine outcome is also written to
 * UpdateRunProgress. All state lives in the RunStore, so a restarted server continues where it was.
 */
import { randomUUID } from 'node:crypto';
import { REBOOT_RESERVE_MINUTES, type Deployment, type GroupTarget, type MachineRunSummary, type Run, type UpdateProgress } from '../../../contracts/updates.js';
import type { Clock } from '../../../contracts/clock.js';
import type { JobWaiters } from './job-waiters.js';
import { machineRow, updateRows, type ProgressSink, type RunMachine, type UpdateRunProgressRow } from './progress-records.js';
import { assignRings, ringCountOf, ringStopsRollout } from './rings.js';
import { finishedJobStatuses, type JobStatus, type NewJob, type RunStore, type StoredJob, type StoredRun } from './run-store.js';
import { machineStatusOf, runStatusOf } from './run-status.js';
import { callWebhook, defaultWebhookOptions, type WebhookOptions } from './webhooks.js';

/** Machines of a dynamic group, evaluated when a run starts. */
export type GroupEvaluator = (group: GroupTarget) => Promise<string[]>;

export interface RunEngineOptions {
  store: RunStore;
  clock: Clock;
  sink: ProgressSink;
  waiters: JobWaiters;
  evaluateGroup?: GroupEvaluator;
  webhooks?: WebhookOptions;
  /** How long after the window's end a running machine may still report before it counts as MaintenanceWindowExceeded. */
  reportGraceMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The API's Run, with why it failed or stopped early and the post-webhook's outcome. */
export interface RunView extends Run {
  reason?: string;
  postWebhook?: string;
  machines: (MachineRunSummary & { reason?: string })[];
}

export class RunEndedError extends Error {}

const RESERVE_MS = REBOOT_RESERVE_MINUTES * 60_000;

/** Nothing starts after this instant: the rest of the window is kept for the reboot. */
export function latestStart(windowEndsAt: Date): Date {
  return new Date(windowEndsAt.getTime() - RESERVE_MS);
}

export class RunEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private unwritten: UpdateRunProgressRow[] = [];

  constructor(private readonly o: RunEngineOptions) {}

  get store(): RunStore {
    return this.o.store;
  }

  /** The run and jobs an occurrence becomes (not stored: the scheduler claims the occurrence with them). */
  async prepareRun(deployment: Deployment, scheduledAt: Date): Promise<{ run: StoredRun; jobs: NewJob[] }> {
    const { machines, problems } = await this.targetsOf(deployment);
    const rings = assignRings(machines.length, deployment.rollout);
    const run: StoredRun = {
      id: randomUUID(),
      deploymentId: deployment.id,
      name: deployment.name,
      os: deployment.os,
      scheduledAt,
      windowEndsAt: new Date(scheduledAt.getTime() + deployment.windowMinutes * 60_000),
      status: 'NotStarted',
      phase: 'pre',
      currentRing: 0,
      ringCount: ringCountOf(deployment.rollout),
      cancelRequested: false,
      deployment,
    };
    if (problems.length > 0) run.reason = problems.join('; ');
    return { run, jobs: machines.map((computer, i) => ({ id: randomUUID(), computer, ring: rings[i]!, status: 'Pending' as JobStatus })) };
  }

  /** Moves a run on; concurrent calls for one run coalesce into another pass after the current one. */
  advance(runId: string): Promise<void> {
    const current = this.inFlight.get(runId);
    if (current) {
      this.again.add(runId);
      return current;
    }
    const pass = (async () => {
      do {
        this.again.delete(runId);
        await this.advanceOnce(runId);
      } while (this.again.has(runId));
    })().finally(() => this.inFlight.delete(runId));
    this.inFlight.set(runId, pass);
    return pass;
  }

  /** Advances every unfinished run not already being advanced (the scheduler's tick). */
  async advanceActive(): Promise<void> {
    await this.retryUnwritten();
    const active = await this.o.store.activeRuns();
    await Promise.all(active.map((run) => {
      if (this.inFlight.has(run.id)) {
        this.again.add(run.id);
        return undefined;
      }
      return this.advance(run.id).catch((error: unknown) => this.o.log?.(`run ${run.id} could not advance; retrying at the next tick`, error));
    }));
  }

  /** Resolves once no run is being advanced (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Cancels a run: machines not started are Canceled at once; running agents learn it from their next progress answer. */
  async cancel(runId: string): Promise<StoredRun | undefined> {
    const run = await this.o.store.getRun(runId);
    if (!run) return undefined;
    if (run.phase === 'post' || run.phase === 'done') throw new RunEndedError(`Run ${runId} has already ended (${run.status}); only a run that is not finished can be canceled.`);
    await this.o.store.updateRun(runId, { cancelRequested: true });
    const moved = await this.o.store.moveJobs({ runId }, ['Pending', 'Queued'], 'Canceled', this.o.clock.now(), 'canceled by an operator');
    await this.writeRows(moved.map((job) => this.outcomeRow(run, job)));
    await this.advance(runId);
    return this.o.store.getRun(runId);
  }

  async view(run: StoredRun): Promise<RunView> {
    const jobs = await this.o.store.jobsOfRun(run.id);
    const counts = await this.o.store.updateCounts(run.id);
    const machines = jobs.map((job) => ({
      computer: job.computer,
      ring: job.ring,
      status: machineStatusOf(job.status, counts.get(job.id)),
      counts: counts.get(job.id) ?? {},
      ...(job.reason ? { reason: job.reason } : {}),
    }));
    const ended = run.phase === 'post' || run.phase === 'done';
    const status = ended ? run.status : runStatusOf(machines.map((m) => m.status), { cancelRequested: run.cancelRequested, started: run.startedAt !== undefined });
    return {
      id: run.id,
      deploymentId: run.deploymentId,
      name: run.name,
      os: run.os,
      scheduledAt: run.scheduledAt.toISOString(),
      windowEndsAt: run.windowEndsAt.toISOString(),
      status,
      ...(run.startedAt ? { startedAt: run.startedAt.toISOString() } : {}),
      ...(run.endedAt ? { endedAt: run.endedAt.toISOString() } : {}),
      ...(run.reason ? { reason: run.reason } : {}),
      ...(run.postWebhook ? { postWebhook: run.postWebhook } : {}),
      machines,
    };
  }

  /**
   * Writes rows through the sink. Rows of server-side outcomes the sink refuses are kept and written
   * again at the next tick; with `strict` (an agent's report, which the agent retries) the refusal is thrown.
   */
  async writeRows(rows: UpdateRunProgressRow[], options: { strict?: boolean } = {}): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.o.sink(rows);
    } catch (error) {
      if (options.strict) throw error;
      this.unwritten.push(...rows);
      this.o.log?.(`${rows.length} UpdateRunProgress rows could not be written yet; retrying at the next tick`, error);
    }
  }

  machineOf(run: StoredRun, job: StoredJob): RunMachine {
    return { runId: run.id, updateRunName: run.name, os: run.os, computer: job.computer, ...(job.sourceComputerId ? { sourceComputerId: job.sourceComputerId } : {}) };
  }

  private async retryUnwritten(): Promise<void> {
    if (this.unwritten.length === 0) return;
    const rows = this.unwritten;
    this.unwritten = [];
    await this.writeRows(rows);
  }

  private async advanceOnce(runId: string): Promise<void> {
    let run = await this.o.store.getRun(runId);
    if (!run || run.phase === 'done') return;
    if (run.phase === 'pre') run = await this.start(run);
    if (run.phase === 'rings') run = await this.progressRings(run);
    if (run.phase === 'post') await this.callPostWebhook(run);
  }

  /** Calls the pre-webhook and opens the first ring, unless the window already closed or the run was canceled. */
  private async start(run: StoredRun): Promise<StoredRun> {
    const now = this.o.clock.now();
    if (run.cancelRequested || now >= latestStart(run.windowEndsAt)) return this.toRings(run, {});
    const pre = run.deployment.webhooks?.pre;
    if (pre) {
      const outcome = await callWebhook(pre, { event: 'pre', deployment: run.deployment, run: await this.view(run) }, this.o.webhooks ?? defaultWebhookOptions);
      if (!outcome.ok) {
        const reason = `The pre-webhook ${pre} ${outcome.error} (after ${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}); no machine was started. Fix the receiver, or remove webhooks.pre from the deployment.`;
        const moved = await this.o.store.moveJobs({ runId: run.id }, ['Pending', 'Queued'], 'Canceled', this.o.clock.now(), 'the pre-webhook failed');
        await this.writeRows(moved.map((job) => this.outcomeRow(run, job)));
        return this.end(run, 'Failed', reason);
      }
      // The webhook took time: the run may have been canceled meanwhile.
      run = (await this.o.store.getRun(run.id)) ?? run;
      if (run.cancelRequested) return this.toRings(run, {});
    }
    return this.toRings(run, { startedAt: this.o.clock.now() });
  }

  private async toRings(run: StoredRun, patch: { startedAt?: Date }): Promise<StoredRun> {
    await this.o.store.updateRun(run.id, { phase: 'rings', ...patch });
    if (patch.startedAt) await this.openRing(run, 0);
    return { ...run, phase: 'rings', ...patch };
  }

  private async openRing(run: StoredRun, ring: number): Promise<void> {
    await this.o.store.updateRun(run.id, { currentRing: ring });
    const opened = await this.o.store.moveJobs({ runId: run.id, ring }, ['Pending'], 'Queued', this.o.clock.now());
    this.o.waiters.notify(opened.map((j) => j.computer));
  }

  private async progressRings(run: StoredRun): Promise<StoredRun> {
    await this.enforceWindow(run);
    let jobs = await this.o.store.jobsOfRun(run.id);
    let ring = run.currentRing;
    // A ring whose opening was interrupted (a restart between the two writes) opens now.
    if (run.startedAt && !run.cancelRequested && jobs.some((j) => j.ring === ring && j.status === 'Pending')) {
      await this.openRing(run, ring);
      jobs = await this.o.store.jobsOfRun(run.id);
    }
    for (;;) {
      const current = jobs.filter((j) => j.ring === ring);
      if (!current.every(isFinished)) break;
      if (ring >= run.ringCount - 1 || jobs.every(isFinished)) break;
      const counts = await this.o.store.updateCounts(run.id);
      if (ringStopsRollout(current.map((j) => machineStatusOf(j.status, counts.get(j.id))), run.deployment.rollout)) {
        const threshold = run.deployment.rollout?.failureThresholdPercent ?? 0;
        const failed = current.filter((j) => ['Failed', 'FailedToStart'].includes(machineStatusOf(j.status, counts.get(j.id)))).length;
        const reason = `ring ${ring + 1} of ${run.ringCount}: ${failed} of ${current.length} machines failed, more than the failure threshold of ${threshold}%; the next rings were not started`;
        const moved = await this.o.store.moveJobs({ runId: run.id }, ['Pending'], 'Canceled', this.o.clock.now(), reason);
        await this.writeRows(moved.map((job) => this.outcomeRow(run, job)));
        await this.o.store.updateRun(run.id, { reason: run.reason ? `${run.reason}; ${reason}` : reason });
        run = { ...run, reason: run.reason ? `${run.reason}; ${reason}` : reason };
        break;
      }
      ring += 1;
      if (!run.cancelRequested && this.o.clock.now() < latestStart(run.windowEndsAt)) await this.openRing(run, ring);
      else await this.o.store.updateRun(run.id, { currentRing: ring });
      jobs = await this.o.store.jobsOfRun(run.id);
    }
    run = { ...run, currentRing: ring };
    if (!jobs.every(isFinished)) return run;
    const counts = await this.o.store.updateCounts(run.id);
    const statuses = jobs.map((j) => machineStatusOf(j.status, counts.get(j.id)));
    if (jobs.length === 0) return this.end(run, 'Failed', run.reason ?? 'The deployment has no target machines: add machines or groups that return computers.');
    return this.end(run, runStatusOf(statuses, { cancelRequested: run.cancelRequested, started: true }), run.reason);
  }

  /**
   * Server-side window: once fewer than REBOOT_RESERVE_MINUTES remain, a queued job never picked
   * up is FailedToStart and a job whose ring never opened is MaintenanceWindowExceeded; a machine
   * still running when the window (plus the reporting grace) is over is MaintenanceWindowExceeded.
   */
  private async enforceWindow(run: StoredRun): Promise<void> {
    const now = this.o.clock.now();
    if (now < latestStart(run.windowEndsAt)) return;
    const reserve = `fewer than ${REBOOT_RESERVE_MINUTES} minutes of the maintenance window were left`;
    const neverPicked = await this.o.store.moveJobs({ runId: run.id }, ['Queued'], 'FailedToStart', now, `the machine did not pick up its job before ${reserve}; check that its agent runs and polls for jobs`);
    const notRun = await this.o.store.moveJobs({ runId: run.id }, ['Pending'], 'MaintenanceWindowExceeded', now, `not started: ${reserve}`);
    const rows = [...neverPicked, ...notRun].map((job) => this.outcomeRow(run, job));
    if (now.getTime() >= run.windowEndsAt.getTime() + (this.o.reportGraceMs ?? 10 * 60_000)) {
      const overrun = await this.o.store.moveJobs({ runId: run.id }, ['Running'], 'MaintenanceWindowExceeded', now, 'the machine did not report its outcome before the maintenance window ended');
      for (const job of overrun) rows.push(...(await this.unfinishedUpdateRows(run, job, now)), this.outcomeRow(run, job));
    }
    await this.writeRows(rows);
  }

  /** The updates a machine left unfinished when its window ran out become MaintenanceWindowExceeded. */
  private async unfinishedUpdateRows(run: StoredRun, job: StoredJob, now: Date): Promise<UpdateRunProgressRow[]> {
    const open = (await this.o.store.updatesOf(job.id)).filter((u) => u.status === 'NotStarted' || u.status === 'InProgress');
    const exceeded: UpdateProgress[] = open.map((u) => ({ ...u, status: 'MaintenanceWindowExceeded', endTime: now.toISOString() }));
    await this.o.store.saveUpdates(job.id, exceeded, now);
    return updateRows(this.machineOf(run, job), exceeded, now);
  }

  private async end(run: StoredRun, status: StoredRun['status'], reason?: string): Promise<StoredRun> {
    const endedAt = this.o.clock.now();
    await this.o.store.updateRun(run.id, { status, phase: 'post', endedAt, ...(reason ? { reason } : {}) });
    return { ...run, status, phase: 'post', endedAt, ...(reason ? { reason } : {}) };
  }

  private async callPostWebhook(run: StoredRun): Promise<void> {
    const post = run.deployment.webhooks?.post;
    let outcome = '';
    if (post) {
      const result = await callWebhook(post, { event: 'post', deployment: run.deployment, run: await this.view(run) }, this.o.webhooks ?? defaultWebhookOptions);
      outcome = result.ok ? `HTTP ${result.status}` : `The post-webhook ${post} ${result.error} (after ${result.attempts} attempts)`;
    }
    await this.o.store.updateRun(run.id, { phase: 'done', ...(outcome ? { postWebhook: outcome } : {}) });
  }

  /** A machine outcome decided by the server (or reported by the agent) as an UpdateRunProgress row. */
  outcomeRow(run: StoredRun, job: StoredJob, error = job.reason): UpdateRunProgressRow {
    const times = { ...(job.pickedAt ? { start: job.pickedAt } : {}), ...(job.finishedAt ? { end: job.finishedAt } : {}) };
    return machineRow(this.machineOf(run, job), job.status, job.finishedAt ?? this.o.clock.now(), error, times);
  }

  private async targetsOf(deployment: Deployment): Promise<{ machines: string[]; problems: string[] }> {
    const lists: string[][] = [deployment.targets.machines, ...Object.values(deployment.frozenGroups ?? {})];
    const problems: string[] = [];
    for (const group of deployment.targets.dynamicGroups ?? []) {
      if (!this.o.evaluateGroup) {
        problems.push(`dynamic group '${group.name}' could not be evaluated: the server has no group evaluator`);
        continue;
      }
      try {
        lists.push(await this.o.evaluateGroup(group));
      } catch (error) {
        problems.push(`dynamic group '${group.name}' could not be evaluated (${(error as Error).message}); its machines were left out of this run`);
      }
    }
    const seen = new Set<string>();
    const machines: string[] = [];
    for (const computer of lists.flat()) {
      const key = computer.trim().toLowerCase();
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      machines.push(computer.trim());
    }
    return { machines, problems };
  }
}

function isFinished(job: StoredJob): boolean {
  return finishedJobStatuses.includes(job.status);
}
