/**
 * Simulated time for the fleet simulator: agents sleep on it exactly as on the system clock,
 * and the simulation moves it forward. Waiters wake in time order; after each instant the
 * clock yields to the event loop so the woken agents run and schedule their next sleep
 * before time moves on — a heartbeat due at 10:01 never sees 10:02.
 */
import { abortError, type Clock } from '../clock.js';

interface Waiter {
  at: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  private readonly waiters: Waiter[] = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (atMs <= this.current) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        at: atMs,
        resolve: () => {
          signal?.removeEventListener('abort', aborted);
          resolve();
        },
      };
      const aborted = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', aborted, { once: true });
      this.waiters.splice(this.insertionIndex(atMs), 0, waiter);
    });
  }

  /** Moves time to `target`, waking every sleeper due on the way, instant by instant. */
  async advanceTo(target: number): Promise<void> {
    while (this.waiters.length > 0 && (this.waiters[0]?.at ?? Infinity) <= target) {
      const at = this.waiters[0]?.at ?? target;
      this.current = Math.max(this.current, at);
      let due = 0;
      while (due < this.waiters.length && this.waiters[due]?.at === at) due++;
      for (const waiter of this.waiters.splice(0, due)) waiter.resolve();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.current = Math.max(this.current, target);
  }

  private insertionIndex(at: number): number {
    let low = 0;
    let high = this.waiters.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.waiters[middle]?.at ?? Infinity) <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
