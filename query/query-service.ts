/**
 * Runs queries for the HTTP API on query connections of the server's DuckDB instance: file
 * access off, a row limit, a timeout, cancellation when the client goes away, and a bound on
 * how many run at once (DuckDB runs each on its own thread pool; the writer commits alongside
 * under MVCC, so a query never holds ingestion up beyond sharing the cores).
 *
 * `timespan` is applied by shadowing each stored table the query reads with a temporary view
 * filtered on TimeGenerated, on that query's own connection. Temporary views are per
 * connection and resolve before the database's tables, so every scan — including ones inside
 * `in (…)` subqueries and joins, which the compiler renders into SQL text — sees only the
 * window, without touching the compiler.
 */
import { totalmem } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Codes, QueryError, diagnostic, type Diagnostic } from '../language/syntax/diagnostics.js';
import { compile } from '../language/compile.js';
import { openQueryConnection } from './duckdb/read-only.js';
import type { QueryResult } from '../language/values/result.js';
import { runSql } from './duckdb/run.js';
import { findTable, recordCatalog, type Catalog } from '../language/schema/tables.js';
import { duckdb } from '../language/sql/duckdb.js';
import type { TimeWindow } from '../contracts/timespan.js';

export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  /** Queries running at once; more wait in line (up to `maxWaiting`, then Busy). */
  maxConcurrent: number;
  maxWaiting: number;
  /**
   * DuckDB's `memory_limit` for the server's instance, in bytes (`upkeep serve --query-memory`).
   * DuckDB has no per-query limit: this one is shared by the queries running at once and the
   * writer's inserts. A query over it fails with E507 and frees what it held.
   */
  memoryLimitBytes?: number;
}

/**
 * Half of the memory this process may use (the machine's, or its cgroup's if smaller), where
 * DuckDB would take 80%: the rest stays for Node — request bodies, the JSON parsing workers,
 * result rows being converted — so ingestion keeps going while a big query runs.
 */
export function defaultQueryMemoryBytes(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const available = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(available / 2);
}

export const defaultQueryLimits: QueryLimits = { maxRows: 500_000, timeoutMs: 30_000, maxConcurrent: 2, maxWaiting: 32, memoryLimitBytes: defaultQueryMemoryBytes() };

export type ServiceOutcome = { ok: true; result: QueryResult } | { ok: false; diagnostics: Diagnostic[] } | { ok: false; busy: true };

export interface RunRequest {
  text: string;
  window?: TimeWindow;
  signal?: AbortSignal;
  now?: Date;
}

export class QueryService {
  private running = 0;
  private waiting: (() => void)[] = [];
  /** What queries can name: the record tables, plus the saved searches as stored functions once the server sets them. */
  catalog: Catalog = recordCatalog;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly databaseName: string,
    private readonly allowedDirectories: string[],
    private readonly limits: QueryLimits = defaultQueryLimits,
  ) {}

  static async create(instance: DuckDBInstance, allowedDirectories: string[], limits?: QueryLimits): Promise<QueryService> {
    if (limits?.memoryLimitBytes !== undefined) await setMemoryLimit(instance, limits.memoryLimitBytes);
    // The first query connection switches external access off for the instance (keeping the ingest spool readable).
    const conn = await openQueryConnection(instance, { allowedDirectories });
    try {
      const name = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
      return new QueryService(instance, name, allowedDirectories, limits);
    } finally {
      conn.closeSync();
    }
  }

  async run(request: RunRequest): Promise<ServiceOutcome> {
    const now = request.now ?? new Date();
    const compiled = compile(request.text, { now, catalog: this.catalog });
    if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics.filter((d) => d.severity === 'error') };
    if (!(await this.acquire())) return { ok: false, busy: true };
    const whole = { start: 0, end: request.text.length };
    try {
      const conn = await openQueryConnection(this.instance, { allowedDirectories: this.allowedDirectories });
      try {
        if (request.window) await this.restrictToWindow(conn, compiled.tables, request.window);
        const run = await runSql(conn, compiled.sql, compiled.columns, {
          maxRows: this.limits.maxRows,
          timeoutMs: this.limits.timeoutMs,
          range: whole,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const result: QueryResult = { columns: compiled.columns, rows: run.rows, truncated: run.truncated, render: compiled.render, stats: { durationMs: run.durationMs, rowCount: run.rows.length } };
        return { ok: true, result };
      } finally {
        conn.closeSync();
      }
    } catch (error) {
      if (error instanceof QueryError) return { ok: false, diagnostics: [error.diagnostic] };
      return { ok: false, diagnostics: [diagnostic(Codes.internal, whole, `Internal error while running the query: ${(error as Error).message}`)] };
    } finally {
      this.release();
    }
  }

  private async restrictToWindow(conn: DuckDBConnection, tables: string[], window: TimeWindow): Promise<void> {
    const from = duckdb.datetimeLiteral(BigInt(Math.floor(window.startMs)) * 1_000_000n);
    const to = duckdb.datetimeLiteral(BigInt(Math.floor(window.endMs)) * 1_000_000n);
    for (const name of tables) {
      const table = findTable(name);
      if (!table?.columns.some((c) => c.name === 'TimeGenerated' && c.type === 'datetime')) continue;
      const q = duckdb.quoteIdent;
      const stored = `${q(this.databaseName)}.main.${q(name)}`;
      await conn.run(`CREATE TEMP VIEW ${q(name)} AS SELECT * FROM ${stored} WHERE "TimeGenerated" >= ${from} AND "TimeGenerated" < ${to}`);
    }
  }

  private async acquire(): Promise<boolean> {
    if (this.running < this.limits.maxConcurrent) {
      this.running++;
      return true;
    }
    if (this.waiting.length >= this.limits.maxWaiting) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true; // the slot was handed over by release()
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** Instance-wide: every connection of the instance shares it. */
async function setMemoryLimit(instance: DuckDBInstance, bytes: number): Promise<void> {
  if (!Number.isSafeInteger(bytes) || bytes < 16 * 2 ** 20) {
    throw new RangeError(`The query memory limit must be at least 16 MiB (got ${bytes} bytes).`);
  }
  const conn = await instance.connect();
  try {
    await conn.run(`SET GLOBAL memory_limit = '${bytes}B'`);
  } finally {
    conn.closeSync();
  }
}
