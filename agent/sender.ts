/**
 * Delivers spooled batches to the server, oldest first, and removes each once acknowledged.
 * Network trouble and 429/5xx pause delivery with exponential backoff and full jitter (or the
 * server's Retry-After); bad records (400) are dropped with a message; bad credentials (403)
 * and TLS trust problems stop delivery, because no retry can fix them.
 */
import { keepAliveSystemClock, sleep } from '../contracts/clock.js';
import type { SpooledBatch, Spool } from './spool.js';
import type { SendOutcome, UpkeepClient } from './transport.js';

export interface SenderStats {
  batchesSent: number;
  recordsAcked: number;
  batchesDropped: number;
  recordsDropped: number;
  retries: number;
}

export interface SenderOptions {
  /** Batches in flight at once (one per connection). */
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  log?: (message: string) => void;
}

/** Delivery stopped: wrong credentials or an untrusted certificate. */
export class DeliveryStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryStopped';
  }
}

export class Sender {
  readonly stats: SenderStats = { batchesSent: 0, recordsAcked: 0, batchesDropped: 0, recordsDropped: 0, retries: 0 };
  /** Set when delivery stopped for good; the message names the fix. */
  stopped: DeliveryStopped | undefined;
  private readonly inFlight = new Set<string>();
  private failures = 0;
  private pausedUntil = 0;
  private wake: (() => void) | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly spool: Spool, private readonly client: UpkeepClient, private readonly options: SenderOptions = {}) {}

  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New batches were spooled. */
  notify(): void {
    this.wake?.();
  }

  /** Resolves true once the spool is empty, false after `timeoutMs` or when delivery stopped. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.spool.batchCount > 0 && !this.stopped && Date.now() < deadline) {
      this.notify();
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), sleep(keepAliveSystemClock, Math.min(250, deadline - Date.now()))]);
    }
    return this.spool.batchCount === 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.controller.abort();
    this.notify();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const concurrency = this.options.concurrency ?? 1;
    while (this.running && !this.stopped) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(keepAliveSystemClock, wait, this.controller.signal).catch(() => undefined);
        continue;
      }
      const batches = this.spool.oldest(concurrency, this.inFlight);
      if (batches.length === 0) {
        this.resolveIdle();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await Promise.all(batches.map((batch) => this.deliver(batch)));
    }
    this.resolveIdle();
  }

  private async deliver(batch: SpooledBatch): Promise<void> {
    this.inFlight.add(batch.file);
    try {
      const outcome = await this.client.sendLogs(batch.table, batch.records, batch.batchId);
      this.handle(batch, outcome);
    } finally {
      this.inFlight.delete(batch.file);
    }
  }

  private handle(batch: SpooledBatch, outcome: SendOutcome): void {
    const log = this.options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
    switch (outcome.kind) {
      case 'accepted':
        this.spool.remove(batch.file);
        this.stats.batchesSent++;
        this.stats.recordsAcked += batch.records.length;
        this.failures = 0;
        return;
      case 'rejected':
        this.spool.remove(batch.file);
        this.stats.batchesDropped++;
        this.stats.recordsDropped += batch.records.length;
        log(`dropped batch ${batch.batchId} (${batch.records.length} ${batch.table} records): the server rejected it (${outcome.message}); resending cannot fix bad records.`);
        return;
      case 'unauthorized':
      case 'tls':
        this.stopped = new DeliveryStopped(outcome.message);
        log(`delivery stopped, ${this.spool.batchCount} batch(es) kept in ${this.spool.dir}: ${outcome.message}`);
        return;
      case 'retry': {
        this.stats.retries++;
        this.failures++;
        const delay = outcome.retryAfterMs ?? this.backoff();
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        if (this.failures === 1 || this.failures % 10 === 0) {
          log(`${outcome.message}; ${this.spool.batchCount} batch(es) spooled, next try in ${Math.round(delay / 100) / 10} s`);
        }
      }
    }
  }

  /** Full jitter: a random wait up to base·2^failures, capped. */
  private backoff(): number {
    const base = this.options.backoffBaseMs ?? 1000;
    const cap = Math.min(this.options.backoffMaxMs ?? 300_000, base * 2 ** Math.min(this.failures, 20));
    const random = this.options.random ?? Math.random;
    return base / 2 + random() * (cap - base / 2);
  }

  private resolveIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
