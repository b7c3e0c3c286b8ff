/**
 * The DuckDB column of the datetime functions (datetimes.ts, datetime-parts.ts). Datetimes are
 * TIMESTAMP_NS; rounding uses integer epoch-nanosecond arithmetic, ~2× faster than time_bucket
 * and exact to the nanosecond (time_bucket returns microseconds). Calendar parts, calendar
 * months and formats use DuckDB's date functions.
 */
import { fixedParts, monthParts, partName } from './datetime-parts.js';
import { formatDatetimeSql, inSecondNs } from './duckdb-format-datetime.js';
import { floorDiv, floorToStep, nsPerDay, sundayOffsetNs } from './duckdb-fragments.js';
import { constantText, type FunctionOverrides } from './entry.js';
import { nanos } from './literals.js';
import type { FunctionName } from './names.js';
import type { Bucket, EmitContext, SqlArg } from './spec.js';

const weekNs = (7n * nanos.day).toString();

/** Rounds down to a multiple of step, counted from `origin` (the epoch for bin, the fixed point for bin_at). */
function binSql(value: SqlArg, step: SqlArg, ctx: EmitContext, origin?: SqlArg): string {
  const d = ctx.dialect;
  if (value.type === 'datetime') {
    const e = d.epochNanos(value.sql);
    if (!origin) return d.fromEpochNanos(floorToStep(e, step.sql)); // bins count from 1970-01-01
    const o = d.epochNanos(origin.sql);
    return d.fromEpochNanos(`(${floorToStep(`(${e} - ${o})`, step.sql)} + ${o})`);
  }
  const real = value.type === 'real' || value.type === 'decimal' || step.type === 'real' || step.type === 'decimal';
  const shifted = origin ? `(${value.sql} - ${origin.sql})` : value.sql;
  const floored = real ? `(floor(${shifted} / ${step.sql}) * ${step.sql})` : floorToStep(shifted, step.sql);
  return origin ? `(${floored} + ${origin.sql})` : floored;
}

type Unit = 'day' | 'week' | 'month' | 'year';

/** The start of the unit containing dt, moved by `offset` units (startofday(dt, 1) is tomorrow). */
function startOfSql(unit: Unit, dt: SqlArg, offset: string | undefined, ctx: EmitContext): string {
  const d = ctx.dialect;
  const e = d.epochNanos(dt.sql);
  const shift = offset ?? '0';
  switch (unit) {
    case 'day':
      return d.fromEpochNanos(`(${floorToStep(e, nsPerDay)} + (${shift}) * ${nsPerDay})`);
    case 'week': // weeks start on Sunday
      return d.fromEpochNanos(`(${floorToStep(`(${e} - ${sundayOffsetNs})`, weekNs)} + ${sundayOffsetNs} + (${shift}) * ${weekNs})`);
    case 'month':
    case 'year': {
      const add = unit === 'month' ? 'to_months' : 'to_years';
      return `CAST(date_trunc('${unit}', ${dt.sql}) + ${add}(CAST(${shift} AS INTEGER)) AS ${d.types.datetime})`;
    }
  }
}

/** The last 100-ns tick of the unit: the next unit's start minus one tick (…T23:59:59.9999999). */
function endOfSql(unit: Unit, dt: SqlArg, offset: string | undefined, ctx: EmitContext): string {
  const next = startOfSql(unit, dt, `(${offset ?? '0'}) + 1`, ctx);
  return ctx.dialect.fromEpochNanos(`(${ctx.dialect.epochNanos(next)} - 100)`);
}

function boundary(kind: 'start' | 'end', unit: Unit) {
  const render = kind === 'start' ? startOfSql : endOfSql;
  return (args: SqlArg[], ctx: EmitContext): string => render(unit, args[0]!, args[1]?.sql, ctx);
}

const calendarPart = (part: string): string => `CAST(date_part('${part}', {0}) AS INTEGER)`;

function datetimeAddSql(args: SqlArg[], ctx: EmitContext): string {
  const d = ctx.dialect;
  const [part, amount, dt] = [partName(args[0]), args[1]!.sql, args[2]!.sql];
  const fixed = fixedParts[part];
  if (fixed !== undefined) return d.fromEpochNanos(`(${d.epochNanos(dt)} + (${amount}) * ${fixed.toString()})`);
  // calendar months clamp to the month's last day (Jan 31 + 1 month = Feb 28/29); INTERVAL
  // arithmetic drops sub-microsecond digits, so they are added back
  const micros = `CAST(${dt} AS TIMESTAMP)`;
  const moved = `${micros} + to_months(CAST((${amount}) * ${monthParts[part] ?? 1} AS INTEGER))`;
  return d.fromEpochNanos(`(${d.epochNanos(moved)} + (${d.epochNanos(dt)} - ${d.epochNanos(micros)}))`);
}

/** Kusto's datetime_diff counts part boundaries crossed between dt2 and dt1 (dt1 - dt2). */
function datetimeDiffSql(args: SqlArg[], ctx: EmitContext): string {
  const d = ctx.dialect;
  const [part, dt1, dt2] = [partName(args[0]), args[1]!.sql, args[2]!.sql];
  if (part in monthParts) return `CAST(date_diff('${part}', CAST(${dt2} AS TIMESTAMP), CAST(${dt1} AS TIMESTAMP)) AS BIGINT)`;
  const unit = (fixedParts[part] ?? 1n).toString();
  const shift = part === 'week' ? ` - ${sundayOffsetNs}` : ''; // weeks start on Sunday
  return `(${floorDiv(`(${d.epochNanos(dt1)}${shift})`, unit)} - ${floorDiv(`(${d.epochNanos(dt2)}${shift})`, unit)})`;
}

/** DuckDB's date_part names of datetime_part's parts. */
const partOfDate: Record<string, string> = {
  year: 'year', quarter: 'quarter', month: 'month', week_of_year: 'week', weekofyear: 'week', day: 'day',
  dayofyear: 'doy', hour: 'hour', minute: 'minute', second: 'second',
};
const subSecondDivisor: Record<string, string> = { millisecond: '1000000', microsecond: '1000', nanosecond: '1' };

function datetimePartSql(args: SqlArg[], ctx: EmitContext): string {
  const part = partName(args[0]);
  const dt = args[1]!.sql;
  const divisor = subSecondDivisor[part];
  if (divisor) return `CAST(${inSecondNs(dt, ctx)} // ${divisor} AS INTEGER)`; // the fraction of the current second only
  return `CAST(date_part('${partOfDate[part] ?? part}', ${dt}) AS INTEGER)`;
}

export const duckdbDatetimeSql: FunctionOverrides = {
  bin: (args, ctx) => binSql(args[0]!, args[1]!, ctx),
  bin_at: (args, ctx) => binSql(args[0]!, args[1]!, ctx, args[2]),
  startofday: boundary('start', 'day'),
  startofweek: boundary('start', 'week'),
  startofmonth: boundary('start', 'month'),
  startofyear: boundary('start', 'year'),
  endofday: boundary('end', 'day'),
  endofweek: boundary('end', 'week'),
  endofmonth: boundary('end', 'month'),
  endofyear: boundary('end', 'year'),
  // a timespan of whole days since the previous Sunday; 1970-01-01 was a Thursday (day 4)
  dayofweek: (args, ctx) => `((((${floorDiv(ctx.dialect.epochNanos(args[0]!.sql), nsPerDay)} + 4) % 7) + 7) % 7 * ${nsPerDay})`,
  dayofmonth: calendarPart('day'),
  dayofyear: calendarPart('doy'),
  getmonth: calendarPart('month'),
  getyear: calendarPart('year'),
  hourofday: calendarPart('hour'),
  week_of_year: calendarPart('week'),
  datetime_add: datetimeAddSql,
  datetime_diff: datetimeDiffSql,
  datetime_part: datetimePartSql,
  format_datetime: (args, ctx) => {
    const result = formatDatetimeSql(args[0]!.sql, constantText(args[1]) ?? '', ctx);
    return `coalesce(${'sql' in result ? result.sql : "''"}, '')`;
  },
};

export const duckdbDatetimeBucket: Partial<Record<FunctionName, (args: SqlArg[], ctx: EmitContext) => Bucket>> = {
  bin: (args, ctx) => ({ index: floorDiv(ctx.dialect.epochNanos(args[0]!.sql), args[1]!.sql), step: args[1]!.sql }),
};
