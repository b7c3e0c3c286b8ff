/**
 * How many queries run at once: `maxConcurrent` slots, a line of at most `maxWaiting` behind
 * them, and beyond that a refusal (the caller answers busy: 429 on the API). A slot is handed
 * straight from the query that finishes to the first in line, so nothing can overtake the line.
 */
export type SlotGrant = 'granted' | 'busy' | 'cancelled';

export class QuerySlots {
  private running = 0;
  private readonly line: { grant: () => void }[] = [];

  constructor(private readonly maxConcurrent: number, private readonly maxWaiting: number) {
    if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`maxConcurrent must be a whole number of queries, 1 or more (got ${maxConcurrent}).`);
    if (!Number.isSafeInteger(maxWaiting) || maxWaiting < 0) throw new RangeError(`maxWaiting must be a whole number of queries, 0 or more (got ${maxWaiting}).`);
  }

  /** Queries running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.line.length };
  }

  /** Resolves once the query may run; a signal aborted while waiting leaves the line without a slot. */
  acquire(signal?: AbortSignal): Promise<SlotGrant> {
    if (signal?.aborted) return Promise.resolve('cancelled');
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve('granted');
    }
    if (this.line.length >= this.maxWaiting) return Promise.resolve('busy');
    return new Promise<SlotGrant>((resolve) => {
      const onAbort = () => {
        const at = this.line.indexOf(entry);
        if (at >= 0) this.line.splice(at, 1);
        resolve('cancelled');
      };
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve('granted');
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(entry);
    });
  }

  release(): void {
    const next = this.line.shift();
    if (next) next.grant(); // the slot passes on: `running` stays
    else this.running--;
  }
}
