/**
 * Sends a job's progress and completion, retrying what the server could not take yet (429,
 * 5xx, network) a few times on the agent's clock. Progress that cannot be delivered does not
 * stop the installation: the machine's state is what matters, and the completion carries the
 * outcome.
 */
import type { JobCompletion, UpdateProgress } from '../../contracts/updates.js';
import { sleep, type Clock } from '../../contracts/clock.js';
import type { CallOutcome, JobTransport } from '../transport.js';

export interface ReporterOptions {
  attempts?: number;
  backoffMs?: number;
  log?: (message: string) => void;
}

export class JobReporter {
  /** The server asked to stop (the run was cancelled). */
  cancelled = false;
  undelivered = 0;

  constructor(private readonly transport: JobTransport, private readonly jobId: string, private readonly clock: Clock, private readonly options: ReporterOptions = {}) {}

  /** Reports status changes; resolves true when the run was cancelled. */
  async progress(updates: UpdateProgress[]): Promise<boolean> {
    if (updates.length === 0) return this.cancelled;
    const outcome = await this.withRetries(() => this.transport.reportProgress(this.jobId, { updates }), 'progress');
    if (outcome?.kind === 'accepted' && outcome.value.cancel) this.cancelled = true;
    return this.cancelled;
  }

  async complete(completion: JobCompletion): Promise<boolean> {
    const outcome = await this.withRetries(() => this.transport.completeJob(this.jobId, completion), 'completion');
    return outcome?.kind === 'accepted';
  }

  private async withRetries<T>(call: () => Promise<CallOutcome<T>>, what: string): Promise<CallOutcome<T> | undefined> {
    const attempts = this.options.attempts ?? 5;
    let last: CallOutcome<T> | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      last = await call();
      if (last.kind !== 'retry') break;
      if (attempt + 1 < attempts) await sleep(this.clock, last.retryAfterMs ?? (this.options.backoffMs ?? 2000) * 2 ** attempt);
    }
    if (last && last.kind !== 'accepted') {
      this.undelivered++;
      this.options.log?.(`job ${this.jobId}: ${what} not delivered: ${last.message}`);
    }
    return last;
  }
}
