/**
 * A SQL dialect is a small declarative object: quoting, type names, literal forms and
 * capability flags. The relational emitter (engine/sql/emit-*.ts) and the function catalogue
 * (engine/functions) read it; neither forks on the dialect's name.
 */
import type { ScalarType } from '../schema/types.js';

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
}

/** A dialect that forgot a capability fails loudly rather than emitting wrong SQL. */
export function unsupportedIn(dialect: Dialect, what: string): never {
  throw new Error(`${what} is not supported on the ${dialect.name} store`);
}
