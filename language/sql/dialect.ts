/**
 * A SQL dialect is a small declarative object: quoting, type names, literal forms, capability
 * flags and every SQL form the engines spell differently. The relational emitter
 * (language/sql/emit.ts), the resolver (language/analyze) and the shared operators
 * (language/functions) read it; none forks on the dialect's name or writes an engine's own
 * spelling (test/language/dialect-owns-sql.test.ts holds that). An optional form a dialect
 * leaves out is refused on its store at compile time (E402) at the construct that needs it.
 */
import type { EmitContext, SqlArg } from '../functions/spec.js';
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
   * Kusto's conversion of a value to a type, null where the value does not convert. Throws
   * NotOnStore (functions/spec.ts) for a conversion the store cannot do with Kusto's rules.
   */
  convert(arg: SqlArg, type: ScalarType, ctx: EmitContext): string;
  /** The aggregate giving `value` on the row where `by` is largest (`max`) or smallest (`min`). */
  argExtreme(which: 'max' | 'min', value: string, by: string): string;
  /** `select` filtered on a window predicate by QUALIFY; absent: a wrapping subquery filters instead. */
  qualify?(select: string, predicate: string): string;
  /** Dynamic (JSON) access: `d.key`, `d[keyExpr]`, `d[0]` / `d[-1]`, `d[indexExpr]`; absent where values cannot be read into. */
  dynamicAccess?: DynamicAccess;
  /** Whether a dynamic array computed per row holds `value` (elements read as `elementType`, or lower-cased text). */
  dynamicArrayHas?(array: string, value: string, elementType: string, lowerElements: boolean): string;
  /** Whether any (or, `all`, every) element of a dynamic array of text passes `test` (given the element's SQL). */
  dynamicArrayTest?(array: string, test: (element: string) => string, all: boolean): string;
  /** `text in~ (subquery)`: the lower-cased text among the subquery's lower-cased first column. */
  inSubqueryIgnoringCase?(text: string, subquery: string): string;
  /** A text computed per row as a regex matching it literally. */
  regexEscape?(text: string): string;
  /**
   * mv-expand's SELECT items: each `lists` value unnested as one row per element in lock step
   * (bags into one {key: value} per property, a scalar as a one-element array), named by
   * `names`, and the element's 0-based position as `itemIndex` when given.
   */
  unnestDynamic?(lists: readonly string[], names: readonly string[], itemIndex: string | undefined): string[];
  /** make-series: the aggregate building a dynamic array of `value` in `orderBy` order. */
  orderedDynamicArray?(value: string, orderBy: string): string;
  /** make-series: a SELECT of `_bin` = 0 … count−1. */
  binNumbers?(count: string): string;
  /**
   * Inline rows (`datatable`, `print`) in order, where one SELECT per row joined by UNION ALL
   * does not keep their order (or the engine mishandles constant columns); `names` are quoted,
   * `types` the columns' Kusto types.
   */
  inlineRows?(rows: readonly string[][], names: readonly string[], types: readonly ScalarType[]): string;
}

/** SQL reading into dynamic values; every result is dynamic, a JSON null read as null. */
export interface DynamicAccess {
  property(target: string, key: string): string;
  propertyAt(target: string, key: string): string;
  element(target: string, index: bigint): string;
  elementAt(target: string, index: string): string;
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
