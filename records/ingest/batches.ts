/**
 * Sender batch ids, stored in the same transaction as the batch's records: a batch retried after
 * a lost acknowledgement (even across a crash between commit and ack) is recognised and not
 * stored twice.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../../language/sql/duckdb.js';

export const batchesTable = '_ingest_batches';

export async function createBatchesTable(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${batchesTable} (batch_id VARCHAR PRIMARY KEY, received TIMESTAMP, records BIGINT)`);
}

/** Which of `ids` are already stored (call inside the writer's transaction). */
export async function storedBatchIds(conn: DuckDBConnection, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const reader = await conn.runAndReadAll(
    `SELECT batch_id FROM ${batchesTable} WHERE batch_id IN (${ids.map(duckdb.stringLiteral).join(', ')})`,
  );
  return new Set(reader.getRows().map((row) => String(row[0])));
}

/** The INSERT remembering `batches`, or undefined when there are none. */
export function recordBatchesSql(batches: readonly { id: string; records: number; receivedAt: Date }[]): string | undefined {
  if (batches.length === 0) return undefined;
  const rows = batches.map((b) => `(${duckdb.stringLiteral(b.id)}, ${duckdb.stringLiteral(b.receivedAt.toISOString())}::TIMESTAMP, ${b.records})`);
  return `INSERT INTO ${batchesTable} VALUES ${rows.join(', ')}`;
}

/** Batch ids only need to outlive the longest sender retry; they go with the records' retention. */
export async function forgetBatchesBefore(conn: DuckDBConnection, cutoff: Date): Promise<number> {
  const result = await conn.run(`DELETE FROM ${batchesTable} WHERE received < ${duckdb.stringLiteral(cutoff.toISOString())}::TIMESTAMP`);
  return result.rowsChanged;
}
