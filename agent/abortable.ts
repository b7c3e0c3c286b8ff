/** Waiting on work that cannot itself be stopped, up to an abort. */
import { abortError } from '../contracts/clock.js';

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
