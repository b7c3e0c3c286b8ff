/**
 * The DuckDB dialect's conversions (its `forms.convert`): Kusto's rules for each source and
 * target type. Every conversion returns null on bad input (TRY_CAST, never an error), because
 * Kusto's `toint("abc")` is null, not a failed query.
 */
import type { ScalarType } from '../schema/types.js';
import { datetimeInRange, parseDatetimeLiteral, parseTimespanLiteral, timespanInRange } from './literals.js';
import { dynamicToStringSql, toJsonValueSql, toStringSql } from './duckdb-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

/** Ticks (100 ns) between 0001-01-01 and the Unix epoch: Kusto's tolong(datetime) counts from year 1. */
const ticksAtEpoch = '621355968000000000';

/** SQL converting `arg` to `type` with Kusto's rules; null where the value does not convert. */
export function convertTo(arg: SqlArg, type: ScalarType, ctx: EmitContext): string {
  if (arg.type === type) return arg.sql;
  switch (type) {
    case 'string':
      return toStringSql(arg, ctx);
    case 'int':
    case 'long':
      return toWholeNumber(arg, ctx.dialect.types[type], ctx);
    case 'real':
    case 'decimal':
      return toFraction(arg, ctx.dialect.types[type], ctx);
    case 'bool':
      return toBool(arg);
    case 'datetime':
      return toDatetime(arg, ctx);
    case 'timespan':
      return toTimespan(arg, ctx);
    case 'guid':
      return `TRY_CAST(${textOf(arg)} AS ${ctx.dialect.types.guid})`;
    case 'dynamic':
      return toJsonValueSql(arg, ctx);
  }
}

/** The text a string-parsing conversion reads: a dynamic string's content, not its JSON quotes. */
function textOf(arg: SqlArg): string {
  return arg.type === 'dynamic' ? dynamicToStringSql(arg.sql) : arg.sql;
}

function toWholeNumber(arg: SqlArg, sqlType: string, ctx: EmitContext): string {
  switch (arg.type) {
    case 'real':
    case 'decimal':
      return `TRY_CAST(trunc(${arg.sql}) AS ${sqlType})`; // Kusto truncates (toint(2.7) = 2); a plain cast would round
    case 'bool':
      return `CAST(${arg.sql} AS ${sqlType})`;
    case 'timespan':
      return `TRY_CAST((${arg.sql}) // 100 AS ${sqlType})`; // a timespan converts to its 100-ns ticks
    case 'datetime':
      return `TRY_CAST(${ctx.dialect.epochNanos(arg.sql)} // 100 + ${ticksAtEpoch} AS ${sqlType})`;
    case 'dynamic':
      return `(CASE WHEN json_type(${arg.sql}) = 'DOUBLE' THEN TRY_CAST(trunc(TRY_CAST(${textOf(arg)} AS DOUBLE)) AS ${sqlType}) ` +
        `ELSE ${wholeNumberFromText(textOf(arg), sqlType)} END)`;
    case 'string':
      return wholeNumberFromText(arg.sql, sqlType);
    default:
      return `TRY_CAST(${arg.sql} AS ${sqlType})`;
  }
}

/** Text with a fraction is not a whole number (a plain cast would round "1.5" to 2). */
function wholeNumberFromText(sql: string, sqlType: string): string {
  return `(CASE WHEN contains(${sql}, '.') THEN NULL ELSE TRY_CAST(${sql} AS ${sqlType}) END)`;
}

function toFraction(arg: SqlArg, sqlType: string, ctx: EmitContext): string {
  switch (arg.type) {
    case 'timespan':
      return `TRY_CAST((${arg.sql}) / 100 AS ${sqlType})`;
    case 'datetime':
      return `TRY_CAST(${ctx.dialect.epochNanos(arg.sql)} // 100 + ${ticksAtEpoch} AS ${sqlType})`;
    default:
      return `TRY_CAST(${textOrValue(arg)} AS ${sqlType})`;
  }
}

function textOrValue(arg: SqlArg): string {
  return arg.type === 'dynamic' ? textOf(arg) : arg.sql;
}

function toBool(arg: SqlArg): string {
  switch (arg.type) {
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return `((${arg.sql}) <> 0)`; // any non-zero number is true
    case 'string':
    case 'dynamic': {
      const t = `lower(trim(${textOf(arg)}))`;
      return `(CASE ${t} WHEN 'true' THEN true WHEN 'false' THEN false WHEN '1' THEN true WHEN '0' THEN false ELSE NULL END)`;
    }
    default:
      return `CAST(NULL AS BOOLEAN)`;
  }
}

function toDatetime(arg: SqlArg, ctx: EmitContext): string {
  const ts = ctx.dialect.types.datetime;
  if (arg.type === 'string' && typeof arg.constant?.value === 'string') {
    const ns = parseDatetimeLiteral(arg.constant.value);
    // a date the store cannot hold converts to null, as text that is no date does
    return ns === undefined || !datetimeInRange(ns) ? `CAST(NULL AS ${ts})` : ctx.dialect.datetimeLiteral(ns);
  }
  if (arg.type === 'string' || arg.type === 'dynamic') return `TRY_CAST(${textOf(arg)} AS ${ts})`;
  return `CAST(NULL AS ${ts})`;
}

/** `[-][d.]hh:mm[:ss[.fffffff]]`, the text form Kusto reads and writes. */
const timespanTextPattern = String.raw`^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*$`;

function toTimespan(arg: SqlArg, ctx: EmitContext): string {
  if (arg.type === 'string' && typeof arg.constant?.value === 'string') {
    const ns = parseTimespanLiteral(arg.constant.value);
    return ns === undefined || !timespanInRange(ns) ? `CAST(NULL AS BIGINT)` : ctx.dialect.timespanLiteral(ns);
  }
  switch (arg.type) {
    case 'int':
    case 'long':
      return `(CAST(${arg.sql} AS BIGINT) * 100)`; // a number converts as 100-ns ticks
    case 'real':
    case 'decimal':
      return `TRY_CAST(trunc(${arg.sql} * 100) AS BIGINT)`;
    case 'string':
    case 'dynamic':
      return timespanFromText(textOf(arg), ctx);
    default:
      return `CAST(NULL AS BIGINT)`;
  }
}

function timespanFromText(sql: string, ctx: EmitContext): string {
  const groups = `regexp_extract(${sql}, ${ctx.dialect.stringLiteral(timespanTextPattern)}, ['sg', 'd', 'h', 'm', 's', 'f'])`;
  const num = (field: string) => `coalesce(TRY_CAST(nullif(r.${field}, '') AS BIGINT), 0)`;
  const body =
    `CASE WHEN r.h = '' THEN NULL ELSE (CASE WHEN r.sg = '-' THEN -1 ELSE 1 END) * (` +
    `${num('d')} * 86400000000000 + ${num('h')} * 3600000000000 + ${num('m')} * 60000000000 + ${num('s')} * 1000000000 + ` +
    `coalesce(TRY_CAST(rpad(nullif(r.f, ''), 9, '0') AS BIGINT), 0) // 100 * 100) END`;
  return `list_transform([${groups}], lambda r: ${body})[1]`;
}
