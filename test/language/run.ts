/** Test helpers: run KQL on a real in-memory DuckDB (or a given connection) and return plain rows. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatDiagnostic, type Diagnostic } from '../../language/syntax/diagnostics.js';
import type { QueryResult } from '../../language/values/result.js';
import { runQuery } from '../../query/run-query.js';

/** A fixed `now()` so results that depend on it are reproducible. */
export const testNow = new Date('2024-03-15T12:00:00Z');

export async function kql(text: string, connection?: DuckDBConnection): Promise<QueryResult> {
  const outcome = await runQuery(text, { now: testNow, ...(connection ? { connection } : {}) });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => formatDiagnostic(text, d)).join('\n'));
  return outcome.result;
}

export async function rows(text: string, connection?: DuckDBConnection): Promise<unknown[][]> {
  return (await kql(text, connection)).rows;
}

export async function errorsOf(text: string): Promise<Diagnostic[]> {
  const outcome = await runQuery(text, { now: testNow });
  if (outcome.ok) throw new Error(`expected an error for: ${text}`);
  return outcome.diagnostics;
}
