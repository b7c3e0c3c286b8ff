/**
 * Fetches the machine's jobs and hands each to the agent. The real agent long-polls (the
 * server holds the request up to `waitSeconds`); the simulator's virtual agents poll without
 * waiting, once per `pollIntervalMs` of their clock. A server without the job routes (404),
 * refused credentials or TLS trouble pause polling for a while instead of hammering it.
 */
import type { AgentJob, JobCompletion } from '../../contracts/updates.js';
import { isAbortError, sleep, type Clock } from '../../contracts/clock.js';
import { abortable } from '../abortable.js';
import type { JobTransport } from '../transport.js';
import { JobReporter } from './job-reporter.js';

export interface JobPollerOptions {
  transport: JobTransport;
  clock: Clock;
  computer: string;
  agentId: string;
  /** Long-poll bound (the server caps it at 30); 0 = answer at once. */
  waitSeconds: number;
  /** Pause between polls that found no job (clock time). */
  pollIntervalMs: number;
  /** Pause after a failed poll, doubled up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Runs a job; gets the job's reporter for progress. */
  handle(job: AgentJob, reporter: JobReporter): Promise<JobCompletion>;
  log?: (message: string) => void;
}

export interface JobCounters {
  jobs: number;
  completionsUndelivered: number;
  pollFailures: number;
}

export class JobPoller {
  readonly counters: JobCounters = { jobs: 0, completionsUndelivered: 0, pollFailures: 0 };
  private failures = 0;
  private lastProblem = '';

  constructor(private readonly options: JobPollerOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) await this.pollOnce(signal);
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }
  }

  /** One poll, and the job it brought if any; then the pause before the next poll. */
  async pollOnce(signal?: AbortSignal): Promise<void> {
    const { transport, clock, computer, agentId, waitSeconds } = this.options;
    // The long poll cannot be cut short on the wire; stopping the agent must not wait for it.
    const outcome = await abortable(transport.nextJob({ computer, agentId, waitSeconds }), signal);
    if (outcome.kind === 'accepted') {
      this.failures = 0;
      this.lastProblem = '';
      // A job in flight when the agent stops is abandoned; the server sees it never completed.
      if (outcome.value) return abortable(this.runJob(outcome.value), signal);
      return sleep(clock, this.options.pollIntervalMs, signal);
    }
    this.counters.pollFailures++;
    this.failures++;
    if (outcome.message !== this.lastProblem) this.options.log?.(`${computer}: cannot fetch jobs: ${outcome.message}`);
    this.lastProblem = outcome.message;
    const base = this.options.backoffMs ?? 5000;
    const delay = outcome.kind === 'retry' ? (outcome.retryAfterMs ?? Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** Math.min(this.failures, 16))) : (this.options.maxBackoffMs ?? 300_000);
    return sleep(clock, delay, signal);
  }

  private async runJob(job: AgentJob): Promise<void> {
    const { transport, clock, log } = this.options;
    this.counters.jobs++;
    const reporter = new JobReporter(transport, job.jobId, clock, { ...(log ? { log } : {}) });
    let completion: JobCompletion;
    try {
      completion = await this.options.handle(job, reporter);
    } catch (error) {
      completion = { status: 'Failed', rebooted: false, error: `the agent failed running the job: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!(await reporter.complete(completion))) this.counters.completionsUndelivered++;
  }
}
