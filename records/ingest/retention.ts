/** Retention: records older than their table's retention are deleted (the server runs it daily). */
import type { DuckDBConnection } from '@duckdb/node-api';
import { recordTables } from '../../language/schema/tables.js';
import { duckdb } from '../../language/sql/duckdb.js';
import { forgetBatchesBefore } from './batches.js';

export const defaultRetentionDays = 30;
const dayMs = 86_400_000;

/** Days per table; refuses unknown table names and non-positive figures at start-up. */
export function retentionPlan(days: number | Record<string, number> | undefined): Map<string, number> {
  const perTable = typeof days === 'object' ? days : {};
  const fallback = typeof days === 'number' ? days : defaultRetentionDays;
  const known = new Set(recordTables.map((t) => t.name));
  for (const [name, value] of Object.entries(perTable)) {
    if (!known.has(name)) throw new Error(`retentionDays names '${name}', which is not a table (tables: ${[...known].join(', ')}).`);
    checkDays(value, name);
  }
  checkDays(fallback, 'default');
  return new Map(recordTables.map((t) => [t.name, perTable[t.name] ?? fallback]));
}

function checkDays(value: number, what: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`retentionDays (${what}) must be a positive number of days, got ${value}.`);
}

export async function applyRetention(conn: DuckDBConnection, plan: Map<string, number>, now: Date): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const [table, days] of plan) {
    const cutoffNs = BigInt(now.getTime() - days * dayMs) * 1_000_000n;
    const result = await conn.run(`DELETE FROM ${duckdb.quoteIdent(table)} WHERE TimeGenerated < ${duckdb.datetimeLiteral(cutoffNs)}`);
    deleted[table] = result.rowsChanged;
  }
  // A sender retries a batch within minutes; ids as old as the longest retention are surely done.
  const longest = Math.max(...plan.values());
  await forgetBatchesBefore(conn, new Date(now.getTime() - longest * dayMs));
  return deleted;
}
