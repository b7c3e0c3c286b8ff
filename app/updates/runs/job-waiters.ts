/** Long-poll waiters per machine: a job queued for a machine wakes the agent's pending `next` call. */
import type { Clock } from '../../../contracts/clock.js';

export class JobWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(private readonly clock: Clock) {}

  /** Resolves when a job is queued for `computer`, after `ms`, or when `signal` aborts. */
  wait(computer: string, ms: number, signal?: AbortSignal): Promise<void> {
    const key = computer.toLowerCase();
    return new Promise((resolve) => {
      const set = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, set);
      const done = (): void => {
        timer.cancel();
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve();
      };
      const timer = this.clock.setTimer(ms, done);
      set.add(done);
      if (signal?.aborted) done();
      else signal?.addEventListener('abort', done, { once: true });
    });
  }

  notify(computers: Iterable<string>): void {
    for (const computer of computers) {
      for (const wake of [...(this.waiting.get(computer.toLowerCase()) ?? [])]) wake();
    }
  }

  /** Wakes every waiter (the server is stopping). */
  releaseAll(): void {
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake();
  }

  get count(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }
}
