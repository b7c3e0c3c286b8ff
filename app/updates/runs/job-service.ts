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
import type { JobStatus, StoredJob } from './run-store.js';
import { IllegalTransition, isFinal, jobLifecycle } from './transitions.js';

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

  /**
   * Records the machine's outcome. A repeated completion (its answer was lost) is acknowledged; a
   * different outcome for a job that has one already (the server canceled it, or gave up on the
   * machine when its window ran out) is refused with JobEnded and the recorded outcome stays.
   */
  async complete(jobId: string, completion: JobCompletion): Promise<void> {
    const job = await this.engine.store.getJob(jobId);
    if (!job) throw unknownJob(jobId);
    const outcome: JobStatus = job.kind === 'assess' ? (completion.status === 'Succeeded' ? 'Succeeded' : 'Failed') : completion.status;
    const run = job.kind === 'install' ? (await this.installJob(jobId)).run : undefined;
    if (job.status === 'Pending' || job.status === 'Queued') throw notPickedUp(jobId);
    if (job.status === outcome) return;
    if (isFinal(jobLifecycle, job.status)) throw jobEnded(job, outcome);
    const now = this.clock.now();
    if (run) await this.engine.writeRows([this.engine.outcomeRow(run, { ...job, status: outcome, finishedAt: now }, completion.error)], { strict: true });
    try {
      await this.engine.store.finishJob(job.id, outcome, now, completion.error);
    } catch (error) {
      // The server gave the job an outcome between the read above and this write.
      if (error instanceof IllegalTransition) throw jobEnded({ ...job, status: error.from as JobStatus }, outcome);
      throw error;
    }
    if (run) void this.engine.advance(run.id).catch(() => undefined);
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

function jobEnded(job: StoredJob, outcome: JobStatus): JobProtocolError {
  return new JobProtocolError(409, 'JobEnded', `Job ${job.id} has already ended as ${job.status}; its outcome stays ${job.status} and ${outcome} was not recorded. Nothing to retry: fetch the next job with POST /api/agents/jobs/next.`);
}

function notPickedUp(jobId: string): JobProtocolError {
  return new JobProtocolError(409, 'JobNotStarted', `Job ${jobId} was not handed to an agent; fetch it with POST /api/agents/jobs/next first.`);
}
