/**
 * Checkpoint policy. DuckDB checkpoints inside the commit that pushes the write-ahead log past
 * `checkpoint_threshold` (16 MiB by default), delaying that commit's acknowledgement — and every
 * request queued behind it — by hundreds of milliseconds. The writer instead raises the threshold
 * (kept as a backstop) and checkpoints itself: when it is idle, or under sustained load once the
 * log passes a bound.
 *
 * By default the checkpoint runs on a connection of its own and is not awaited: since DuckDB 1.5
 * commits that only insert may proceed while a checkpoint runs (they go to a fresh log, so they
 * are as durable as any other commit). An INSERT into the table being checkpointed still waits
 * for its lock, so acks pause for about a checkpoint's length, but the queue keeps filling and
 * the next group starts at once (bench/ingest.ts `--compare`; `concurrent: false` is the old way).
 */
import { stat } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface CheckpointPolicy {
  /** Checkpoint when idle once the log is at least this big (default 1 MiB). */
  idleWalBytes?: number;
  /**
   * Checkpoint under load once the log is this big (default 16 MiB ≈ 35k Update records). A
   * checkpoint's length grows with the log it folds in, and commits wait for most of it: paired
   * runs measured 0.27–0.58 s checkpoints at 16 MiB against 1.1–1.7 s at 64 MiB (CONTEXT.md).
   */
  busyWalBytes?: number;
  /** Checkpoint on a separate connection while the writer goes on (default true); false runs it between transactions. */
  concurrent?: boolean;
}

export interface CheckpointStats {
  checkpoints: number;
  /** Time checkpoints ran (concurrently with writes unless `concurrent: false`). */
  checkpointMs: number;
  /** The longest single checkpoint: compare with the longest gap between acknowledgements. */
  longestCheckpointMs: number;
}

/** What the writer calls: `afterCommit` between transactions under load, `whenIdle` after a lull. */
export interface CheckpointHooks {
  afterCommit(conn: DuckDBConnection): Promise<void>;
  whenIdle(conn: DuckDBConnection): Promise<void>;
}

export class Checkpointer implements CheckpointHooks {
  readonly stats: CheckpointStats = { checkpoints: 0, checkpointMs: 0, longestCheckpointMs: 0 };
  private running: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly walFile: string | undefined,
    /** The checkpoint's own connection; undefined when checkpoints run on the writer's. */
    private readonly own: DuckDBConnection | undefined,
    private readonly idleBytes: number,
    private readonly busyBytes: number,
  ) {}

  static async create(instance: DuckDBInstance, writer: DuckDBConnection, policy: CheckpointPolicy): Promise<Checkpointer> {
    const reader = await writer.runAndReadAll('SELECT path FROM duckdb_databases() WHERE database_name = current_database()');
    const path = reader.getRows()[0]?.[0];
    const walFile = typeof path === 'string' && path !== '' ? `${path}.wal` : undefined;
    const busy = policy.busyWalBytes ?? 16 << 20;
    // The automatic checkpoint stays as a backstop well above our own bound (never below DuckDB's
    // default: a commit that would push the log past it checkpoints inside the commit).
    const backstop = Math.max(busy * 4, 16 << 20);
    await writer.run(`SET GLOBAL checkpoint_threshold = '${Math.ceil(backstop / 1024)}KiB'`);
    const own = policy.concurrent === false || walFile === undefined ? undefined : await instance.connect();
    return new Checkpointer(walFile, own, policy.idleWalBytes ?? 1 << 20, busy);
  }

  afterCommit = (conn: DuckDBConnection): Promise<void> => this.checkpointAbove(conn, this.busyBytes);
  whenIdle = (conn: DuckDBConnection): Promise<void> => this.checkpointAbove(conn, this.idleBytes);

  /**
   * Resolves once no checkpoint runs. The appender's flush is synchronous and would wait for a
   * checkpoint's table lock on the event loop, freezing the server; appends wait here instead.
   */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Waits for a running checkpoint and closes the checkpoint's connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    this.own?.closeSync();
  }

  /**
   * On its own connection the checkpoint is started and not awaited, so the writer goes on at
   * once; one runs at a time. Between transactions it is awaited (the writer waits for it).
   */
  private async checkpointAbove(writer: DuckDBConnection, bytes: number): Promise<void> {
    if (this.walFile === undefined || this.running !== undefined || this.closed) return;
    const size = await stat(this.walFile).then((s) => s.size, () => 0);
    if (size < bytes || this.running !== undefined || this.closed) return;
    const run = this.checkpoint(this.own ?? writer).finally(() => (this.running = undefined));
    this.running = run;
    if (this.own === undefined) await run;
  }

  private async checkpoint(conn: DuckDBConnection): Promise<void> {
    const started = performance.now();
    try {
      await conn.run('CHECKPOINT');
      this.stats.checkpoints++;
    } catch {
      // A checkpoint that cannot run now (e.g. a transaction holds the lock) runs at the next opportunity.
    } finally {
      const ms = performance.now() - started;
      this.stats.checkpointMs += ms;
      this.stats.longestCheckpointMs = Math.max(this.stats.longestCheckpointMs, ms);
    }
  }
}
