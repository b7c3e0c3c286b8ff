/**
 * A SQL dialect is a small declarative object: quoting, type names, literal forms and
 * capability flags. The relational emitter (language/sql/emit-*.ts) and the function catalogue
 * (language/functions) read it; neither forks on the dialect's name.
 */
import type { ScalarType } from '../schema/types.js';
import type { JoinParts } from './clickhouse-join.js';

export type DialectName = 'duckdb' | 'clickhouse';

export interface Dialect {
  name: DialectName;
  /** How a name appears in SQL, always quoted so user text can never become SQL. */
  quoteIdent(name: string): string;
  /** A string literal with every special character escaped. */
  stringLiteral(value: string): string;
  /** SQL type used to store / cast each Kusto type. */
  types: Record<ScalarType, string>;
  /** A datetime constant from nanoseconds since the Unix epoch. */
  datetimeLiteral(ns: bigint): string;
  /** Timespans are stored as signed 64-bit nanosecond counts in every dialect. */
  timespanLiteral(ns: bigint): string;
  /** Nanoseconds since the epoch of a datetime expression (as BIGINT). */
  epochNanos(sql: string): string;
  /** The datetime for a BIGINT nanoseconds-since-epoch expression. */
  fromEpochNanos(sql: string): string;
  /** `QUALIFY` clause available (else a wrapping subquery filters the window column). */
  supportsQualify: boolean;
  /** `SELECT * EXCLUDE (a, b)` available. */
  supportsStarExclude: boolean;
  /** SQL forms that differ between engines (operators, predicates, casts). */
  forms: SqlForms;
  /**
   * Plan shapes this store cannot run, each with the reason; the emitter refuses them with a
   * compile-time "not supported on the … store" diagnostic instead of sending SQL that fails
   * or, worse, answers differently.
   */
  unsupported: Partial<Record<UnsupportedShape, string>>;
  /**
   * Read stored tables directly in the SELECT that uses them (filters merged into its WHERE)
   * rather than through a `SELECT *` subquery, so a distributed engine pushes the work to its
   * shards; and name every computed column through an inner alias first, for engines where a
   * SELECT alias shadows an input column of the same name.
   */
  scansTablesInline: boolean;
  /** One row per group for `arg_max(…, *)`: `LIMIT 1 BY keys` instead of a window function. */
  pickRowWithLimitBy: boolean;
  /** The whole SELECT of a join, for engines whose JOIN needs another shape than the standard one. */
  joinSql?(parts: JoinParts): string;
}

export type UnsupportedShape = 'mv-expand' | 'make-series' | 'rightouter join' | 'fullouter join' | 'rightsemi join' | 'rightanti join';

/** The SQL text of constructs each engine spells differently. Each takes and returns SQL text. */
export interface SqlForms {
  boolLiteral(value: boolean): string;
  /** Whole-number division truncating toward zero; null when dividing by zero. */
  intDiv(a: string, b: string): string;
  /** `a IS DISTINCT FROM b`: true when either side is null and the other is not. */
  distinctFrom(a: string, b: string): string;
  /** A predicate as a definite bool: null counts as false (`negated`: null counts as true, result negated). */
  definite(predicate: string, negated: boolean): string;
  /** RE2 match anywhere in the text. */
  regexMatch(text: string, pattern: string): string;
  /** Substring test (case-sensitive). */
  containsText(text: string, needle: string): string;
  startsWith(text: string, prefix: string): string;
  endsWith(text: string, suffix: string): string;
  /** Unicode lower case. */
  lower(text: string): string;
  /** Case-insensitive LIKE with a constant pattern, or undefined where the engine has none. */
  ilike?(text: string, pattern: string): string;
  /** A conversion that gives null on bad input. */
  tryCast(sql: string, type: string): string;
  /** Row source of `_i` = 0 … count−1 in order. */
  integerRange(count: string, alias: string): string;
  /** A SELECT without rows. */
  noRows: string;
  /**
   * Inline rows (`datatable`, `print`) in order, where one SELECT per row joined by UNION ALL
   * does not keep their order (or the engine mishandles constant columns); `names` are quoted,
   * `types` the columns' Kusto types.
   */
  inlineRows?(rows: readonly string[][], names: readonly string[], types: readonly ScalarType[]): string;
}

/** The plan shape is refused on this store (see Dialect.unsupported). */
export class UnsupportedOnStore extends Error {
  constructor(readonly storeName: DialectName, readonly what: string, readonly reason: string) {
    super(`${what} is not supported on the ${storeName === 'clickhouse' ? 'ClickHouse' : 'DuckDB'} store: ${reason}`);
    this.name = 'UnsupportedOnStore';
  }
}

/** A dialect that forgot a capability fails loudly rather than emitting wrong SQL. */
export function unsupportedIn(dialect: Dialect, what: string): never {
  throw new Error(`${what} is not supported on the ${dialect.name} store`);
}
