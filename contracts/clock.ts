/**
 * Time as a dependency: the scheduler, the run engine and the job long poll ask a Clock for the
 * time and for timers, so tests can run a week of schedules in seconds on a ManualClock.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `callback` once after `ms` of this clock's time. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface PendingTimer {
  at: number;
  order: number;
  callback: () => void;
}

/** A clock that moves only when told: `advance` fires due timers in time order. */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Set<PendingTimer>();
  private order = 0;

  constructor(start: Date | string) {
    this.time = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { at: this.time + Math.max(0, ms), order: this.order++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (each at its own time). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.timers.delete(next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = end;
  }

  /** Sets the time (forward only), firing due timers like `advance`. */
  set(to: Date | string): void {
    this.advance(Math.max(0, new Date(to).getTime() - this.time));
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(end: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.order < best.order))) best = t;
    }
    return best;
  }
}
