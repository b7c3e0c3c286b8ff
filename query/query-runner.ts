/**
 * The one way a query runs, for every caller (HTTP API, dashboard tiles, alert rules, computer
 * groups, compliance views, the CLI) on either store: text → compile with the engine's dialect
 * and the catalogue (record tables + saved searches as stored functions) → wait for a slot →
 * run on the engine within the row limit, the time limit and the caller's cancel signal →
 * QueryResult. The limits live here, so no caller can run a query without them.
 *
 * Memory is the exception that cannot be per query: DuckDB's memory_limit is instance-wide
 * (shared by the queries running at once and the writer); the runner sets it on the engine
 * once, when it opens (see limits.ts).
 */
import { Codes, QueryError, diagnostic, type Diagnostic, type Range } from '../language/syntax/diagnostics.js';
import { compile, type CompileResult } from '../language/compile.js';
import { recordCatalog, type Catalog } from '../language/schema/tables.js';
import type { QueryResult } from '../language/values/result.js';
import type { TimeWindow } from '../contracts/timespan.js';
import type { QueryEngine } from './engine.js';
import { defaultQueryLimits, type QueryLimits } from './limits.js';
import { QuerySlots } from './query-slots.js';
import { cancelledError } from './duckdb/errors.js';

export interface RunRequest {
  text: string;
  /** Only rows with TimeGenerated in the window (the API's `timespan`, a tile's range, a rule's lookback). */
  window?: TimeWindow;
  signal?: AbortSignal;
  /** The query's now() (default: the moment it compiles). */
  now?: Date;
  /** Fewer rows than the runner's limit; never more. */
  maxRows?: number;
  /** A shorter time limit than the runner's; never longer. */
  timeoutMs?: number;
}

/** `busy`: every slot and the whole line are taken; the query did not run (429 on the API). */
export type RunOutcome = { ok: true; result: QueryResult; sql: string } | { ok: false; diagnostics: Diagnostic[] } | { ok: false; busy: true };

export class QueryRunner {
  /** What queries can name: the record tables, plus the saved searches as stored functions once the server sets them. */
  catalog: Catalog = recordCatalog;
  private readonly slots: QuerySlots;

  constructor(private readonly engine: QueryEngine, readonly limits: QueryLimits = defaultQueryLimits) {
    this.slots = new QuerySlots(limits.maxConcurrent, limits.maxWaiting);
  }

  /** A runner whose engine has the limits' memory limit applied (DuckDB: for the whole instance). */
  static async open(engine: QueryEngine, limits: QueryLimits = defaultQueryLimits): Promise<QueryRunner> {
    if (limits.memoryLimitBytes !== undefined) await engine.limitMemory?.(limits.memoryLimitBytes);
    return new QueryRunner(engine, limits);
  }

  /** Queries running and waiting for a slot now. */
  get load(): { running: number; waiting: number } {
    return this.slots.load;
  }

  /** The SQL this runner would run for `text` (the explain route), without running it. */
  compile(text: string, now: Date = new Date()): CompileResult {
    return compile(text, { dialect: this.engine.dialect, now, catalog: this.catalog });
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    const compiled = this.compile(request.text, request.now);
    if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics.filter((d) => d.severity === 'error') };
    const whole = { start: 0, end: request.text.length };
    const grant = await this.slots.acquire(request.signal);
    if (grant === 'busy') return { ok: false, busy: true };
    if (grant === 'cancelled') return { ok: false, diagnostics: [cancelledError(whole).diagnostic] };
    try {
      const run = await this.engine.run(compiled.sql, compiled.columns, {
        tables: compiled.tables,
        maxRows: Math.min(request.maxRows ?? this.limits.maxRows, this.limits.maxRows),
        timeoutMs: shorterTimeout(request.timeoutMs, this.limits.timeoutMs),
        range: whole,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.window ? { window: request.window } : {}),
      });
      const result: QueryResult = { columns: compiled.columns, rows: run.rows, truncated: run.truncated, render: compiled.render, stats: { durationMs: run.durationMs, rowCount: run.rows.length } };
      return { ok: true, result, sql: compiled.sql };
    } catch (error) {
      return { ok: false, diagnostics: [asDiagnostic(error, whole)] };
    } finally {
      this.slots.release();
    }
  }
}

/** 0 and Infinity mean no limit: a request may shorten the runner's limit, never lift it. */
function shorterTimeout(asked: number | undefined, limit: number): number {
  const bounded = (ms: number) => (ms > 0 && Number.isFinite(ms) ? ms : Infinity);
  const ms = Math.min(bounded(asked ?? limit), bounded(limit));
  return Number.isFinite(ms) ? ms : 0;
}

function asDiagnostic(error: unknown, range: Range): Diagnostic {
  if (error instanceof QueryError) return error.diagnostic;
  return diagnostic(Codes.internal, range, `Internal error while running the query: ${(error as Error).message}`);
}
