/** A small pool of json-worker threads; each request goes to the worker with the fewest in flight. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IngestError } from '../../contracts/ingest.js';
import type { ParseReply, ParseRequest } from './json-worker.js';
import { storageUnavailable } from './problems.js';

interface Slot {
  worker: Worker;
  inFlight: number;
  /** Why the worker stopped, once it has: requests then go to the others, or are refused. */
  failure?: string;
}

type Waiter = { resolve(records: number): void; reject(error: unknown): void; slot: Slot };

/**
 * Compiled (this module is JavaScript in dist/), the worker is dist/json-worker.js, an entry of the
 * build beside the chunk this code lands in. Run as TypeScript (vitest, tsx), it is json-worker.ts
 * loaded through tsx whichever way the main program was started; tsx is resolved here, from this
 * module, because evaluated worker code resolves bare specifiers from the current directory.
 */
const compiled = import.meta.url.endsWith('.js');

const tsxBootstrap = `
  const { workerData } = require('node:worker_threads');
  import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.url); });
`;

function startWorker(): Worker {
  if (compiled) return new Worker(new URL('./json-worker.js', import.meta.url));
  const url = new URL('./json-worker.ts', import.meta.url).href;
  return new Worker(tsxBootstrap, { eval: true, workerData: { url, tsx: import.meta.resolve('tsx/esm/api') } });
}

export class JsonWorkers {
  private readonly slots: Slot[];
  private readonly waiting = new Map<number, Waiter>();
  private next = 0;

  constructor(count = Math.max(1, Math.min(2, availableParallelism() - 1))) {
    this.slots = Array.from({ length: count }, () => {
      const worker = startWorker();
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (reply: ParseReply) => this.settle(reply));
      worker.on('error', (error: unknown) => this.failAll(slot, error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (code) => this.failAll(slot, new Error(`it exited with code ${code}`)));
      worker.unref();
      return slot;
    });
  }

  /** Parses, validates and spools `body` to `file`; resolves with the record count or rejects with IngestError. */
  parse(request: Omit<ParseRequest, 'id'>): Promise<number> {
    const id = this.next++;
    const live = this.slots.filter((s) => s.failure === undefined);
    if (live.length === 0) return Promise.reject(storageUnavailable(`no parsing worker is running (${this.slots[0]?.failure ?? 'none started'}); restart the server and check its log`));
    const slot = live.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    // Unreferenced when idle so an open ingestor never keeps a process alive; referenced while a reply is awaited.
    if (slot.inFlight++ === 0) slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private failAll(slot: Slot, error: Error): void {
    slot.failure ??= `a parsing worker failed: ${error.message}`;
    for (const [id, waiter] of this.waiting) {
      if (waiter.slot !== slot) continue;
      this.waiting.delete(id);
      if (--slot.inFlight === 0) slot.worker.unref();
      waiter.reject(storageUnavailable(`a parsing worker failed: ${error.message}`));
    }
  }

  private settle(reply: ParseReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (--waiter.slot.inFlight === 0) waiter.slot.worker.unref();
    if (reply.ok) waiter.resolve(reply.records);
    else if ('problem' in reply) waiter.reject(new IngestError(reply.problem));
    else waiter.reject(storageUnavailable(`the spool could not be written: ${reply.failure}`));
  }
}
