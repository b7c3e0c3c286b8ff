/**
 * Simulated time for the fleet simulator: agents sleep on it exactly as on the system clock, the
 * server's scheduler and long polls set their timers on it, and the simulation moves it forward.
 * Timers fire in time order (in the order they were set within one instant); after each instant
 * the clock yields to the event loop so the woken agents run and set their next timer before
 * time moves on — a heartbeat due at 10:01 never sees 10:02.
 */
import type { Clock, TimerHandle } from '../../contracts/clock.js';

interface Timer {
  at: number;
  callback: () => void;
}

export class VirtualClock implements Clock {
  /** Sorted by `at`; equal instants keep the order they were set in. */
  private readonly timers: Timer[] = [];

  constructor(private current: number) {}

  now(): Date {
    return new Date(this.current);
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer: Timer = { at: this.current + Math.max(0, ms), callback };
    this.timers.splice(this.insertionIndex(timer.at), 0, timer);
    return {
      cancel: () => {
        const index = this.timers.indexOf(timer);
        if (index >= 0) this.timers.splice(index, 1);
      },
    };
  }

  /** Moves time to `target` (epoch ms), firing every timer due on the way, instant by instant. */
  async advanceTo(target: number): Promise<void> {
    while (this.timers.length > 0 && (this.timers[0]?.at ?? Infinity) <= target) {
      const at = this.timers[0]?.at ?? target;
      this.current = Math.max(this.current, at);
      let due = 0;
      while (due < this.timers.length && this.timers[due]?.at === at) due++;
      for (const timer of this.timers.splice(0, due)) timer.callback();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.current = Math.max(this.current, target);
  }

  private insertionIndex(at: number): number {
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.timers[middle]?.at ?? Infinity) <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
