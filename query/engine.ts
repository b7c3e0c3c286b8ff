/**
 * What a store's engine does for the QueryRunner: run one compiled SELECT and return its rows as
 * Kusto values. The runner has compiled the query (with the engine's dialect) and decided that
 * it may run now, for how long and for how many rows; the engine enforces those on its side
 * (DuckDB: stop reading at maxRows + 1, interrupt the connection; ClickHouse: LIMIT,
 * max_execution_time, abort the HTTP request).
 */
import type { Range } from '../language/syntax/diagnostics.js';
import type { Column } from '../language/schema/types.js';
import type { Dialect } from '../language/sql/dialect.js';
import type { ResultValue } from '../language/values/result.js';
import type { TimeWindow } from '../contracts/timespan.js';

export interface EngineRun {
  /** The record tables the query reads (the compiler's list): what a time window restricts. */
  tables: string[];
  maxRows: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Only rows with TimeGenerated in [start, end) of the tables read. */
  window?: TimeWindow;
  /** Where errors point in the query text. */
  range: Range;
}

export interface EngineOutput {
  rows: ResultValue[][];
  truncated: boolean;
  durationMs: number;
}

export interface QueryEngine {
  /** The SQL the compiler writes for this engine. */
  readonly dialect: Dialect;
  /** Runs one SELECT; fails with a QueryError (timeout, cancelled, the query's own problem, internal). */
  run(sql: string, columns: Column[], run: EngineRun): Promise<EngineOutput>;
  /** Sets the engine's memory limit, where it has one the server controls (DuckDB: instance-wide). */
  limitMemory?(bytes: number): Promise<void>;
}
