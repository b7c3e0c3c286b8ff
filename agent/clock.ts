/**
 * Time as the agent sees it. The real agent runs on the system clock; the fleet simulator
 * drives the same agent code with a virtual clock (simulate/virtual-clock.ts).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves at `atMs` (clock time); rejects with an AbortError when `signal` aborts first. */
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void>;
}

export function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Real-time sleep, abortable. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil: (atMs, signal) => sleep(atMs - Date.now(), signal),
};

/** Settles with `promise`, or rejects with an AbortError as soon as `signal` aborts (the work itself is abandoned, not stopped). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(abortError());
    if (signal.aborted) return aborted();
    signal.addEventListener('abort', aborted, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}
