/**
 * The one writer: every write goes through one connection, one transaction at a time. Requests
 * that queue up while a transaction commits are grouped into the next transaction (group commit),
 * which costs one commit (and one fsync) for many requests. Each request still succeeds or fails
 * as a whole: requests are validated before they queue, and if a grouped transaction fails its
 * members are retried one by one, so one bad request cannot sink the others.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IngestResult } from '../../contracts/ingest.js';
import { recordBatchesSql, storedBatchIds } from './batches.js';
import { closed, overloaded } from './problems.js';
import { describeWriteFailure } from './write-failure.js';
import type { SpoolFile } from './json-load-sql.js';

export interface WriteJob {
  records: number;
  batchId?: string;
  receivedAt: Date;
  /**
   * Jobs of a transaction that share a load key are inserted by one statement: the first one's
   * insertSql, given all of them (one read_json over many spool files).
   */
  loadKey?: string;
  /** The statement inserting `jobs` (this job, or every job with its load key). */
  insertSql?: (jobs: readonly WriteJob[]) => string;
  /** For jobs that are not one statement (the appender): inserts inside the writer's open transaction. */
  insert?: (conn: DuckDBConnection) => Promise<void>;
  /** The spool file holding a JSON job's records. */
  spool?: SpoolFile;
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
  /** Called once nothing has been queued for idleDelayMs (default 500 ms); checkpoints go there. */
  idleDelayMs?: number;
  onIdle?: (conn: DuckDBConnection) => Promise<void>;
  /** Called after every commit (the checkpoint policy decides whether to act). */
  afterCommit?: (conn: DuckDBConnection) => Promise<void>;
  /** Awaited before a transaction with appender jobs (their synchronous calls must not wait on a lock). */
  beforeAppend?: () => Promise<void>;
}

/** Counters for benchmarks and the server's status page. */
export interface WriterStats {
  transactions: number;
  records: number;
  /** Time spent inside grouped transactions. */
  busyMs: number;
  /** Time spent in checkpoints and retention between transactions. */
  maintenanceMs: number;
}

export class GroupWriter {
  private queue: Pending[] = [];
  private admitted = 0;
  private pumping: Promise<void> | undefined;
  /** Every use of the connection chains onto this, so statements never interleave. */
  private serial: Promise<unknown> = Promise.resolve();
  private closing = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Records/s of recent commits, for Retry-After. */
  private rate = 20_000;
  readonly stats: WriterStats = { transactions: 0, records: 0, busyMs: 0, maintenanceMs: 0 };

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
    clearTimeout(this.idleTimer);
    return new Promise<IngestResult>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pumping ??= this.pump();
    });
  }

  /** Finishes what is queued, then refuses new work. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.idleTimer);
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
        // After every commit, not only when more is queued: senders that all wait in one group
        // leave the queue empty after each commit, yet the log keeps growing.
        if (this.options.afterCommit) await this.maintain(this.options.afterCommit);
      }
      if (this.queue.length === 0) {
        this.pumping = undefined;
        this.scheduleIdle();
        return;
      }
    }
  }

  /** Idle work waits for a real lull: a momentarily empty queue under load is not idleness. */
  private scheduleIdle(): void {
    const onIdle = this.options.onIdle;
    if (onIdle === undefined || this.closing) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.queue.length === 0 && !this.closing) void this.maintain(onIdle);
    }, this.options.idleDelayMs ?? 500);
    this.idleTimer.unref();
  }

  private async maintain(work: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
    const started = performance.now();
    await this.exclusive(work).catch(() => undefined);
    this.stats.maintenanceMs += performance.now() - started;
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
      this.stats.transactions++;
      this.stats.busyMs += performance.now() - started;
    } catch (error) {
      await this.rollback();
      if (group.length === 1) {
        this.settle(group[0]!, () => group[0]!.reject(describeWriteFailure(error)));
        return;
      }
      for (const p of group) await this.commitGroup([p]);
    }
  }

  /**
   * Batch ids are looked up before BEGIN: only this writer changes the table, so the answer
   * cannot change in between. When every job is SQL the whole transaction is one call
   * (BEGIN; inserts; COMMIT), so a busy event loop delays it once, not at every statement.
   */
  private async transaction(jobs: WriteJob[]): Promise<IngestResult[]> {
    const ids = jobs.flatMap((j) => (j.batchId === undefined ? [] : [j.batchId]));
    const seen = await storedBatchIds(this.conn, ids);
    const fresh = jobs.filter((j) => j.batchId === undefined || !seen.has(j.batchId));
    const batchesSql = recordBatchesSql(
      fresh.flatMap((j) => (j.batchId === undefined ? [] : [{ id: j.batchId, records: j.records, receivedAt: j.receivedAt }])),
    );
    const steps = byLoadKey(fresh).map((together) => together[0]!.insertSql?.(together) ?? together[0]!);
    if (steps.every((step) => typeof step === 'string')) {
      await this.conn.run(['BEGIN TRANSACTION', ...steps, ...(batchesSql ? [batchesSql] : []), 'COMMIT'].join(';\n'));
    } else {
      await this.options.beforeAppend?.();
      await this.conn.run('BEGIN TRANSACTION');
      for (const step of steps) await (typeof step === 'string' ? this.conn.run(step) : step.insert!(this.conn));
      if (batchesSql) await this.conn.run(batchesSql);
      await this.conn.run('COMMIT');
    }
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
    this.stats.records += records;
    const seconds = (performance.now() - started) / 1000;
    if (records < 100 || seconds <= 0) return;
    this.rate = 0.8 * this.rate + 0.2 * (records / seconds);
  }
}

function byLoadKey(jobs: readonly WriteJob[]): WriteJob[][] {
  const keyed = new Map<string, WriteJob[]>();
  const out: WriteJob[][] = [];
  for (const job of jobs) {
    if (job.loadKey === undefined) {
      out.push([job]);
      continue;
    }
    const list = keyed.get(job.loadKey);
    if (list) list.push(job);
    else {
      const fresh = [job];
      keyed.set(job.loadKey, fresh);
      out.push(fresh);
    }
  }
  return out;
}
