/**
 * The job protocol of the simulated fleet, counted: a test that moves virtual time itself waits
 * until no poll, progress report or completion is in flight before moving it on, so the server
 * answers every machine at the virtual instant the machine asked (however slow the real machine).
 */
import type { AgentJob, JobCompletion, JobProgress, NextJobRequest } from '../../contracts/updates.js';
import type { CallOutcome, JobTransport } from '../transport.js';

export class TrackedJobTransport implements JobTransport {
  private inFlight = 0;
  private started = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly inner: JobTransport) {}

  nextJob(request: NextJobRequest): Promise<CallOutcome<AgentJob | undefined>> {
    return this.track(() => this.inner.nextJob(request));
  }

  reportProgress(jobId: string, progress: JobProgress): Promise<CallOutcome<{ cancel: boolean }>> {
    return this.track(() => this.inner.reportProgress(jobId, progress));
  }

  completeJob(jobId: string, completion: JobCompletion): Promise<CallOutcome<null>> {
    return this.track(() => this.inner.completeJob(jobId, completion));
  }

  /** Calls made so far (polls included). */
  get calls(): number {
    return this.started;
  }

  /**
   * Resolves once no call is in flight and none started during one more turn of the event loop:
   * an agent makes its next call in the promise callbacks that follow an answer, before that turn.
   */
  async idle(): Promise<void> {
    for (;;) {
      while (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      const seen = this.started;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight === 0 && this.started === seen) return;
    }
  }

  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.started++;
    try {
      return await call();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}
