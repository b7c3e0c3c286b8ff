/**
 * One query on the embedded store through a QueryRunner of its own: the path of tests, benches
 * and one-off scripts that hold a connection or a database file rather than a server's runner.
 * The CLI builds its runner the same way (cli/query-commands.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Diagnostic } from '../language/syntax/diagnostics.js';
import type { CompileOptions } from '../language/compile.js';
import type { QueryResult } from '../language/values/result.js';
import { DuckDBEngine } from './duckdb/engine.js';
import { defaultQueryLimits } from './limits.js';
import { QueryRunner } from './query-runner.js';
import { defaultDatabasePath } from '../records/store/duckdb-store.js';

export interface QueryOptions extends Pick<CompileOptions, 'now' | 'catalog'> {
  /** Path of the DuckDB file; only opened when the query reads stored tables. */
  db?: string;
  /** An open connection to use instead of `db`. */
  connection?: DuckDBConnection;
  maxRows?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type QueryOutcome = { ok: true; result: QueryResult; sql: string } | { ok: false; diagnostics: Diagnostic[] };

/** A runner on a connection or a database file (opened read-only per query), with these limits. */
export function localRunner(options: Pick<QueryOptions, 'db' | 'connection' | 'maxRows' | 'timeoutMs' | 'catalog'>): QueryRunner {
  const engine = options.connection ? DuckDBEngine.onConnection(options.connection) : DuckDBEngine.forFile(options.db ?? defaultDatabasePath);
  const runner = new QueryRunner(engine, {
    ...defaultQueryLimits,
    ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (options.catalog) runner.catalog = options.catalog;
  return runner;
}

export async function runQuery(text: string, options: QueryOptions = {}): Promise<QueryOutcome> {
  const outcome = await localRunner(options).run({
    text,
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if ('busy' in outcome) throw new Error('a runner of its own cannot be busy'); // one query, one runner
  return outcome;
}
