/** Compile and run one KQL query against the embedded store: the path the CLI and tests use. */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Codes, QueryError, diagnostic, type Diagnostic } from '../language/syntax/diagnostics.js';
import { compile, type CompileOptions } from '../language/compile.js';
import type { QueryResult } from '../language/values/result.js';
import { openQueryConnection } from './duckdb/read-only.js';
import { DEFAULT_MAX_ROWS, runSql } from './duckdb/run.js';
import { openDatabase } from '../records/store/duckdb-store.js';

export interface QueryOptions extends CompileOptions {
  /** Path of the DuckDB file; only opened when the query reads stored tables. */
  db?: string;
  /** An open connection to use instead of `db`. */
  connection?: DuckDBConnection;
  maxRows?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type QueryOutcome = { ok: true; result: QueryResult; sql: string } | { ok: false; diagnostics: Diagnostic[] };

export async function runQuery(text: string, options: QueryOptions = {}): Promise<QueryOutcome> {
  const compiled = compile(text, options);
  if (!compiled.ok) return compiled;
  const whole = { start: 0, end: text.length };
  try {
    const connection = options.connection ?? (await connect(compiled.tables, options.db, whole));
    try {
      const run = await runSql(connection, compiled.sql, compiled.columns, {
        maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        range: whole,
      });
      const result: QueryResult = {
        columns: compiled.columns,
        rows: run.rows,
        truncated: run.truncated,
        render: compiled.render,
        stats: { durationMs: run.durationMs, rowCount: run.rows.length },
      };
      return { ok: true, result, sql: compiled.sql };
    } finally {
      if (!options.connection) connection.closeSync();
    }
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, diagnostics: [error.diagnostic] };
    throw error;
  }
}

/** Query connections cannot read or write files outside the database (see execute/read-only.ts). */
async function connect(tables: string[], db: string | undefined, range: { start: number; end: number }): Promise<DuckDBConnection> {
  if (tables.length === 0) return openQueryConnection(await DuckDBInstance.create(':memory:'));
  const path = db ?? './data/upkeep.duckdb';
  if (!existsSync(path)) {
    throw new QueryError(
      diagnostic(Codes.noDatabase, range, `No database at ${path}. Create the sample fleet with \`upkeep sample\`, or point --db at an Upkeep database.`),
    );
  }
  return openQueryConnection(await openDatabase(path, { readOnly: true }));
}
