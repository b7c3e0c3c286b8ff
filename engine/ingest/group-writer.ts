/**
 * The one writer: every write goes through one connection, one transaction at a time. Requests
 * that queue up while a transaction commits are grouped into the next transaction (group commit),
 * which costs one commit (and one fsync) for many requests. Each request still succeeds or fails
 * as a whole: requests are validated before they queue, and if a grouped transaction fails its
 * members are retried one by one, so one bad request cannot sink the others.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IngestResult } from './contract.js';
import { recordBatches, storedBatchIds } from './batches.js';
import { closed, overloaded } from './problems.js';
import { describeWriteFailure } from './write-failure.js';

export interface WriteJob {
  records: number;
  batchId?: string;
  receivedAt: Date;
  /** Inserts the job's records on `conn`, inside the writer's open transaction. */
  insert(conn: DuckDBConnection): Promise<void>;
  /** Frees what the job holds (spool file) once it is settled either way. */
  release(): void;
}

interface Pending {
  job: WriteJob;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

export interface GroupWriterOptions {
  maxQueuedRecords: number;
  /** A group stops growing at this many records (bounds one transaction's memory and duration). */
  maxGroupRecords: number;
  /** Called between transactions when nothing is queued (checkpoints go there). */
  onIdle?: (conn: DuckDBConnection) => Promise<void>;
  /** Called between transactions under load. */
  afterCommit?: (conn: DuckDBConnection) => Promise<void>;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private admitted = 0;
  private pumping: Promise<void> | undefined;
  /** Every use of the connection chains onto this, so statements never interleave. */
  private serial: Promise<unknown> = Promise.resolve();
  private closing = false;
  /** Records/s of recent commits, for Retry-After. */
  private rate = 20_000;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly options: GroupWriterOptions,
  ) {}

  /**
   * Reserves room for `records` before the caller spends work on them; throws Overloaded when
   * the queue is full. A request alone is always admitted, however large, so it can succeed.
   * The returned release is idempotent; a job's release() must call it.
   */
  admit(records: number): () => void {
    if (this.closing) throw closed();
    if (this.admitted > 0 && this.admitted + records > this.options.maxQueuedRecords) {
      throw overloaded(this.admitted, Math.min(60, Math.max(1, Math.ceil(this.admitted / this.rate))));
    }
    this.admitted += records;
    let released = false;
    return () => {
      if (!released) this.admitted -= records;
      released = true;
    };
  }

  get queuedRecords(): number {
    return this.admitted;
  }

  /** Queues an admitted job; resolves after its transaction commits. */
  write(job: WriteJob): Promise<IngestResult> {
    if (this.closing) {
      job.release();
      return Promise.reject(closed());
    }
    return new Promise<IngestResult>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pumping ??= this.pump();
    });
  }

  /** Finishes what is queued, then refuses new work. */
  async close(): Promise<void> {
    this.closing = true;
    await this.pumping;
    await this.serial;
  }

  /** Runs `work` on the writer connection between transactions (retention, checkpoints). */
  exclusive<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.serial.then(() => work(this.conn));
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Drains the queue; clears `pumping` in the same tick it sees the queue empty, so no job is stranded. */
  private async pump(): Promise<void> {
    for (;;) {
      while (this.queue.length > 0) {
        await this.exclusive(() => this.commitGroup(this.takeGroup()));
        if (this.queue.length > 0 && this.options.afterCommit) await this.exclusive(this.options.afterCommit).catch(() => undefined);
      }
      if (!this.closing && this.options.onIdle) await this.exclusive(this.options.onIdle).catch(() => undefined);
      if (this.queue.length === 0) {
        this.pumping = undefined;
        return;
      }
    }
  }

  /** The queue's head up to maxGroupRecords; a second request with a batch id already in the group waits for the next one. */
  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    const rest: Pending[] = [];
    const ids = new Set<string>();
    let records = 0;
    for (const p of this.queue) {
      const clash = p.job.batchId !== undefined && ids.has(p.job.batchId);
      const full = group.length > 0 && records + p.job.records > this.options.maxGroupRecords;
      if (clash || full || rest.length > 0) {
        rest.push(p);
        continue;
      }
      group.push(p);
      records += p.job.records;
      if (p.job.batchId !== undefined) ids.add(p.job.batchId);
    }
    this.queue = rest;
    return group;
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const results = await this.transaction(group.map((p) => p.job));
      group.forEach((p, i) => this.settle(p, () => p.resolve(results[i]!)));
      this.noteRate(group, started);
    } catch (error) {
      await this.rollback();
      if (group.length === 1) {
        this.settle(group[0]!, () => group[0]!.reject(describeWriteFailure(error)));
        return;
      }
      for (const p of group) await this.commitGroup([p]);
    }
  }

  private async transaction(jobs: WriteJob[]): Promise<IngestResult[]> {
    await this.conn.run('BEGIN TRANSACTION');
    const ids = jobs.flatMap((j) => (j.batchId === undefined ? [] : [j.batchId]));
    const seen = await storedBatchIds(this.conn, ids);
    const fresh = jobs.filter((j) => j.batchId === undefined || !seen.has(j.batchId));
    for (const job of fresh) await job.insert(this.conn);
    await recordBatches(
      this.conn,
      fresh.flatMap((j) => (j.batchId === undefined ? [] : [{ id: j.batchId, records: j.records, receivedAt: j.receivedAt }])),
    );
    await this.conn.run('COMMIT');
    return jobs.map((j) => (j.batchId !== undefined && seen.has(j.batchId) ? { stored: 0, duplicateBatch: true } : { stored: j.records, duplicateBatch: false }));
  }

  private async rollback(): Promise<void> {
    try {
      await this.conn.run('ROLLBACK');
    } catch {
      // A failed COMMIT has already ended the transaction; nothing to undo.
    }
  }

  private settle(p: Pending, finish: () => void): void {
    p.job.release();
    finish();
  }

  private noteRate(group: Pending[], started: number): void {
    const records = group.reduce((n, p) => n + p.job.records, 0);
    const seconds = (performance.now() - started) / 1000;
    if (records < 100 || seconds <= 0) return;
    this.rate = 0.8 * this.rate + 0.2 * (records / seconds);
  }
}
