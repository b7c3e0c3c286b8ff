/**
 * The agent side of jobs: the long poll that hands a machine its next job, progress reports
 * (written to UpdateRunProgress before they are acknowledged; the answer tells a running agent to
 * stop when its run was canceled), completion, and "assess now".
 */
import { randomUUID } from 'node:crypto';
import type { AgentJob, JobCompletion, JobProgress, NextJobRequest } from '../../../contracts/updates.js';
import type { Clock } from '../../../contracts/clock.js';
import type { JobWaiters } from './job-waiters.js';
import { updateRows } from './progress-records.js';
import { latestStart, type RunEngine } from './run-engine.js';
import { finishedJobStatuses, type JobStatus, type StoredJob } from './run-store.js';

export const MAX_WAIT_SECONDS = 30;

/** A refusal the HTTP layer turns into its status and error code. */
export class JobProtocolError extends Error {
  constructor(readonly status: 404 | 409, readonly code: string, message: string) {
    super(message);
  }
}

export interface AgentIdentity {
  agentId: string;
  sourceComputerId?: string;
}

/** Outcomes that the server decided: an agent still reporting on such a job is told to stop. */
const stoppedByServer: readonly JobStatus[] = ['Canceled', 'MaintenanceWindowExceeded', 'FailedToStart'];

export class JobService {
  private stopping = false;

  constructor(private readonly engine: RunEngine, private readonly clock: Clock, private readonly waiters: JobWaiters) {}

  /** The machine's next job, waiting up to `waitSeconds` (at most 30) for one; undefined when none came. */
  async next(request: NextJobRequest, agent: AgentIdentity, signal?: AbortSignal): Promise<AgentJob | undefined> {
    const waitMs = Math.max(0, Math.min(request.waitSeconds, MAX_WAIT_SECONDS)) * 1000;
    const deadline = this.clock.now().getTime() + waitMs;
    for (;;) {
      const job = await this.engine.store.takeNextJob(request.computer, agent, this.clock.now(), latestStart);
      if (job) return this.toAgentJob(job);
      const remaining = deadline - this.clock.now().getTime();
      if (remaining <= 0 || signal?.aborted || this.stopping) return undefined;
      await this.waiters.wait(request.computer, remaining, signal);
    }
  }

  /** The server is stopping: long polls answer "no job" at once. */
  shutdown(): void {
    this.stopping = true;
  }

  async progress(jobId: string, report: JobProgress): Promise<{ cancel: boolean }> {
    const { job, run } = await this.installJob(jobId);
    const now = this.clock.now();
    if (job.status === 'Pending' || job.status === 'Queued') throw notPickedUp(jobId);
    // Durable first: the agent retries a report that was not acknowledged.
    await this.engine.writeRows(updateRows(this.engine.machineOf(run, job), report.updates, now), { strict: true });
    await this.engine.store.saveUpdates(job.id, report.updates, now);
    return { cancel: run.cancelRequested || stoppedByServer.includes(job.status) };
  }

  async complete(jobId: string, completion: JobCompletion): Promise<void> {
    const job = await this.engine.store.getJob(jobId);
    if (!job) throw unknownJob(jobId);
    const now = this.clock.now();
    if (job.kind === 'assess') {
      if (job.status === 'Delivered') await this.engine.store.finishJob(job.id, completion.status === 'Succeeded' ? 'Succeeded' : 'Failed', now, completion.error);
      return;
    }
    const { run } = await this.installJob(jobId);
    if (job.status === 'Pending' || job.status === 'Queued') throw notPickedUp(jobId);
    // A repeated completion (its answer was lost), or one after the server gave up on the machine: already recorded.
    if (finishedJobStatuses.includes(job.status)) return;
    const finished: StoredJob = { ...job, status: completion.status, finishedAt: now };
    await this.engine.writeRows([this.engine.outcomeRow(run, finished, completion.error)], { strict: true });
    await this.engine.store.finishJob(job.id, completion.status, now, completion.error);
    void this.engine.advance(run.id).catch(() => undefined);
  }

  /** Queues "assess now" for a machine (or returns the job already waiting) and wakes its agent's poll. */
  async queueAssess(computer: string): Promise<string> {
    const jobId = await this.engine.store.queueAssess(randomUUID(), computer, this.clock.now());
    this.waiters.notify([computer]);
    return jobId;
  }

  private async installJob(jobId: string) {
    const job = await this.engine.store.getJob(jobId);
    if (!job) throw unknownJob(jobId);
    if (job.kind !== 'install' || !job.runId) throw new JobProtocolError(409, 'NotAnInstallJob', `Job ${jobId} is an assess job: it takes no progress reports; send the assessment records to /api/logs and complete it.`);
    const run = await this.engine.store.getRun(job.runId);
    if (!run) throw unknownJob(jobId);
    return { job, run };
  }

  private async toAgentJob(job: StoredJob): Promise<AgentJob> {
    if (job.kind === 'assess') return { kind: 'assess', jobId: job.id };
    const run = await this.engine.store.getRun(job.runId!);
    if (!run) throw unknownJob(job.id);
    const d = run.deployment;
    return {
      kind: 'install',
      jobId: job.id,
      runId: run.id,
      updateRunName: run.name,
      os: run.os,
      classifications: d.classifications,
      excludedUpdates: d.excludedUpdates,
      includedUpdates: d.includedUpdates ?? [],
      reboot: d.reboot,
      windowEndsAt: run.windowEndsAt.toISOString(),
    };
  }
}

function unknownJob(jobId: string): JobProtocolError {
  return new JobProtocolError(404, 'UnknownJob', `Job ${jobId} does not exist on this server; fetch a job with POST /api/agents/jobs/next.`);
}

function notPickedUp(jobId: string): JobProtocolError {
  return new JobProtocolError(409, 'JobNotStarted', `Job ${jobId} was not handed to an agent; fetch it with POST /api/agents/jobs/next first.`);
}
