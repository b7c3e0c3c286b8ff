/**
 * Checkpoint policy. DuckDB checkpoints inside the commit that pushes the write-ahead log past
 * `checkpoint_threshold` (16 MiB by default), delaying that commit's acknowledgement — and every
 * request queued behind it — by hundreds of milliseconds. The writer instead raises the threshold
 * and checkpoints itself: when it is idle, or under sustained load once the log passes a bound.
 */
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface CheckpointPolicy {
  /** Checkpoint when idle once the log is at least this big (default 1 MiB). */
  idleWalBytes?: number;
  /**
   * Checkpoint between transactions under load once the log is this big (default 64 MiB: a
   * 300k-record run measured ~700 ms stalls; 16 MiB made them longer and more frequent, since a
   * checkpoint's cost grows with the table, not only with the log).
   */
  busyWalBytes?: number;
}

export class Checkpointer {
  private readonly idleBytes: number;
  private readonly busyBytes: number;

  private constructor(
    private readonly walFile: string | undefined,
    policy: CheckpointPolicy,
  ) {
    this.idleBytes = policy.idleWalBytes ?? 1 << 20;
    this.busyBytes = policy.busyWalBytes ?? 64 << 20;
  }

  static async create(conn: DuckDBConnection, policy: CheckpointPolicy): Promise<Checkpointer> {
    const reader = await conn.runAndReadAll('SELECT path FROM duckdb_databases() WHERE database_name = current_database()');
    const path = reader.getRows()[0]?.[0];
    const walFile = typeof path === 'string' && path !== '' ? `${path}.wal` : undefined;
    const busy = policy.busyWalBytes ?? 64 << 20;
    // The automatic checkpoint stays as a backstop well above our own bound.
    await conn.run(`SET GLOBAL checkpoint_threshold = '${Math.round((busy * 4) / (1 << 20))}MiB'`);
    return new Checkpointer(walFile, policy);
  }

  whenIdle = (conn: DuckDBConnection): Promise<void> => this.checkpointAbove(conn, this.idleBytes);
  whenBusy = (conn: DuckDBConnection): Promise<void> => this.checkpointAbove(conn, this.busyBytes);

  private async checkpointAbove(conn: DuckDBConnection, bytes: number): Promise<void> {
    if (this.walFile === undefined) return;
    const size = await stat(this.walFile).then((s) => s.size, () => 0);
    if (size < bytes) return;
    await conn.run('CHECKPOINT');
  }
}
