/**
 * DuckDB SQL building blocks of the catalogue's DuckDB column (duckdb-sql.ts) and the DuckDB
 * dialect's forms: epoch arithmetic, Kusto's text forms of every type, and dynamic (JSON)
 * access. Each takes SQL text and returns SQL text.
 */
import type { ScalarType } from '../schema/types.js';
import type { EmitContext, SqlArg } from './spec.js';
import { nanos } from './literals.js';

export const nsPerDay = nanos.day.toString();
export const nsPerSecond = nanos.second.toString();

/** `e` rounded down to a multiple of `step` (floor, also below zero: bins count from the epoch). */
export function floorToStep(e: string, step: string): string {
  return `(${floorDiv(e, step)} * (${step}))`;
}

/**
 * Floor division for BIGINT (SQL `//` truncates toward zero). The branch keeps the common
 * non-negative case to one integer division: about 2.5× faster than a double modulo.
 */
export function floorDiv(a: string, b: string): string {
  return `(CASE WHEN (${a}) >= 0 THEN (${a}) // (${b}) ELSE -((-(${a}) - 1) // (${b})) - 1 END)`;
}

/** 1970-01-04 was a Sunday, Kusto's first day of the week: weeks start 3 days after the epoch. */
export const sundayOffsetNs = (3n * nanos.day).toString();

export function epochNs(arg: SqlArg, ctx: EmitContext): string {
  return ctx.dialect.epochNanos(arg.sql);
}

// ---------------------------------------------------------------------------------------------
// Kusto's text form of each type (tostring, strcat, has on non-strings)

/** `2024-01-01T00:00:00Z`, with a 7-digit fraction only when there is one. */
export function datetimeToStringSql(sql: string, ctx: EmitContext): string {
  const e = ctx.dialect.epochNanos(sql);
  const inSecond = `(((${e}) % ${nsPerSecond}) + ${nsPerSecond}) % ${nsPerSecond}`;
  return `(strftime(${sql}, '%Y-%m-%dT%H:%M:%S') || ` +
    `CASE WHEN ${inSecond} // 100 = 0 THEN '' ELSE '.' || lpad(CAST((${inSecond}) // 100 AS VARCHAR), 7, '0') END || 'Z')`;
}

/** Kusto's `[-][d.]hh:mm:ss[.fffffff]` for a BIGINT nanosecond count. */
export function timespanToStringSql(sql: string): string {
  const a = `abs(${sql})`;
  const two = (x: string) => `lpad(CAST(${x} AS VARCHAR), 2, '0')`;
  const days = `${a} // ${nsPerDay}`;
  const ticks = `(${a} % ${nsPerSecond}) // 100`;
  return `(CASE WHEN ${sql} < 0 THEN '-' ELSE '' END || ` +
    `CASE WHEN ${days} = 0 THEN '' ELSE CAST(${days} AS VARCHAR) || '.' END || ` +
    `${two(`(${a} % ${nsPerDay}) // 3600000000000`)} || ':' || ${two(`(${a} % 3600000000000) // 60000000000`)} || ':' || ` +
    `${two(`(${a} % 60000000000) // ${nsPerSecond}`)} || ` +
    `CASE WHEN ${ticks} = 0 THEN '' ELSE '.' || lpad(CAST(${ticks} AS VARCHAR), 7, '0') END)`;
}

/** A real prints without a trailing `.0` when whole (`1`, `0.5`), as the reference does. */
export function realToStringSql(sql: string): string {
  return `(CASE WHEN ${sql} = trunc(${sql}) AND abs(${sql}) < 1e15 THEN CAST(CAST(${sql} AS BIGINT) AS VARCHAR) ` +
    `WHEN isnan(${sql}) THEN 'NaN' WHEN isinf(${sql}) THEN CASE WHEN ${sql} > 0 THEN 'Infinity' ELSE '-Infinity' END ` +
    `ELSE CAST(${sql} AS VARCHAR) END)`;
}

/** A dynamic string is its text (no quotes); any other dynamic value is its JSON. */
export function dynamicToStringSql(sql: string): string {
  return `(CASE WHEN json_type(${sql}) = 'VARCHAR' THEN json_extract_string(${sql}, '$') WHEN json_type(${sql}) = 'NULL' THEN NULL ELSE CAST(${sql} AS VARCHAR) END)`;
}

/** Kusto strings are never null: the text of a null value is "". */
export function toStringSql(arg: SqlArg, ctx: EmitContext): string {
  return `coalesce(${toStringOrNullSql(arg, ctx)}, '')`;
}

function toStringOrNullSql(arg: SqlArg, ctx: EmitContext): string {
  switch (arg.type) {
    case 'string':
      return arg.sql;
    case 'datetime':
      return datetimeToStringSql(arg.sql, ctx);
    case 'timespan':
      return timespanToStringSql(arg.sql);
    case 'real':
      return realToStringSql(arg.sql);
    case 'dynamic':
      return dynamicToStringSql(arg.sql);
    default:
      return `CAST(${arg.sql} AS VARCHAR)`;
  }
}

// ---------------------------------------------------------------------------------------------
// Dynamic values

/** A value as it sits inside a dynamic: datetimes and timespans as their Kusto text. */
export function toJsonValueSql(arg: SqlArg, ctx: EmitContext): string {
  switch (arg.type) {
    case 'dynamic':
      return arg.sql;
    case 'datetime':
    case 'timespan':
    case 'guid':
      return `to_json(${toStringOrNullSql(arg, ctx)})`;
    case 'decimal':
      return `to_json(CAST(${arg.sql} AS DOUBLE))`;
    default:
      return `to_json(${arg.sql})`;
  }
}

/** Kusto has one null for dynamic: a JSON `null` inside a value is null too. */
export function jsonNullToSqlNull(sql: string): string {
  return `nullif(${sql}, CAST('null' AS JSON))`;
}

/** The JSON path of one property, quoted so any key text is safe (`$."a.b"`). */
export function jsonKeyPath(key: string): string {
  // DuckDB's `$.` paths cannot name the empty key; the JSON Pointer `/` (RFC 6901) does.
  if (key === '') return '/';
  return `$.${JSON.stringify(key)}`;
}

/** The SQL type name of a Kusto type on this dialect. */
export function sqlType(type: ScalarType, ctx: EmitContext): string {
  return ctx.dialect.types[type];
}
