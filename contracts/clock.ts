/**
 * Time as a dependency, one Clock for the server and the agent: the scheduler, the run engine
 * and the job long poll ask it for the time and for timers, the agent sleeps on it between
 * heartbeats, assessments and retries (`sleepUntil` is a function over `setTimer`). Tests run a
 * week of schedules in seconds on a ManualClock; the fleet simulator runs the server and its
 * machines on one VirtualClock (agent/simulate/virtual-clock.ts).
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `callback` once after `ms` of this clock's time. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

function realClock(keepProcessAlive: boolean): Clock {
  return {
    now: () => new Date(),
    setTimer(ms, callback) {
      const timer = setTimeout(callback, Math.max(0, ms));
      if (!keepProcessAlive) timer.unref?.();
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

/** The system's time; its timers do not keep the process running (the server's sockets do). */
export const systemClock: Clock = realClock(false);

/** The system's time; its timers keep the process running (the agent: between two heartbeats nothing else does). */
export const keepAliveSystemClock: Clock = realClock(true);

export function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Resolves at `atMs` (epoch milliseconds of `clock`'s time), at once if that has passed; rejects with an AbortError when `signal` aborts first. */
export function sleepUntil(clock: Clock, atMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  const ms = atMs - clock.now().getTime();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const aborted = () => {
      timer.cancel();
      reject(abortError());
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    });
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** Resolves after `ms` of `clock`'s time; rejects with an AbortError when `signal` aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return sleepUntil(clock, clock.now().getTime() + ms, signal);
}
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
