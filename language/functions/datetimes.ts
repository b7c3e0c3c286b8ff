/**
 * Datetime functions: now/ago, bin and bin_at, startof…/endof…, calendar parts.
 * Datetimes are TIMESTAMP_NS; rounding uses integer epoch-nanosecond arithmetic, ~2× faster
 * than time_bucket and exact to the nanosecond (time_bucket returns microseconds).
 */
import { isNumeric, widerNumeric, type ScalarType } from '../schema/types.js';
import { arg, optional, type ArgProblem, type FunctionEntry } from './entry.js';
import type { FunctionName } from './names.js';
import { constantBigInt, nanos } from './literals.js';
import { floorDiv, floorToStep, nsPerDay, sundayOffsetNs } from './duckdb-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

const weekNs = (7n * nanos.day).toString();

/** bin's step must suit its value: a timespan for datetimes and timespans, a number for numbers. */
function binProblem(fn: string, value: SqlArg, step: SqlArg, stepIndex: number): ArgProblem | undefined {
  const ok = value.type === 'datetime' || value.type === 'timespan' ? step.type === 'timespan' : isNumeric(value.type) && isNumeric(step.type);
  if (ok) return undefined;
  const wanted = value.type === 'datetime' || value.type === 'timespan' ? 'a timespan such as 1h' : 'a number';
  return { message: `${fn}() rounds a ${value.type} by ${wanted} as argument ${stepIndex + 1}, got ${step.type}.`, argIndex: stepIndex };
}

function binType(value: SqlArg, step: SqlArg): ScalarType {
  return isNumeric(value.type) ? widerNumeric(value.type, step.type) : value.type;
}

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

function boundaryFunction(kind: 'start' | 'end', unit: Unit): FunctionEntry {
  const render = kind === 'start' ? startOfSql : endOfSql;
  return {
    name: `${kind}of${unit}`,
    kind: 'scalar',
    args: [arg('date', 'datetime'), optional('offset', 'long')],
    returns: 'datetime',
    sql: { duckdb: (args, ctx) => render(unit, args[0]!, args[1]?.sql, ctx) },
    doc: kind === 'start'
      ? `The start of the ${unit}${unit === 'week' ? ' (Sunday)' : ''} containing the date, optionally shifted by offset ${unit}s.`
      : `The last tick of the ${unit} containing the date (…23:59:59.9999999), optionally shifted by offset ${unit}s.`,
  };
}

function calendarPart(name: FunctionName, part: string, doc: string, aliases?: string[]): FunctionEntry {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    kind: 'scalar',
    args: [arg('date', 'datetime')],
    returns: 'int',
    sql: { duckdb: `CAST(date_part('${part}', {0}) AS INTEGER)` },
    doc,
  };
}

function nowPlus(offset: SqlArg | undefined, sign: 1n | -1n, ctx: EmitContext): string {
  // now() is one constant for the whole query
  if (!offset) return ctx.dialect.datetimeLiteral(ctx.nowNs);
  const constant = offset.constant ? constantBigInt(offset.constant.value) : undefined;
  if (constant !== undefined) return ctx.dialect.datetimeLiteral(ctx.nowNs + sign * constant);
  return ctx.dialect.fromEpochNanos(`(${ctx.nowNs.toString()} ${sign > 0n ? '+' : '-'} (${offset.sql}))`);
}

export const datetimeFunctions: readonly FunctionEntry[] = [
  {
    name: 'now', kind: 'scalar', args: [optional('offset', 'timespan')], returns: 'datetime',
    sql: { duckdb: (args, ctx) => nowPlus(args[0], 1n, ctx) }, doc: 'The current UTC time (the same value everywhere in one query).',
  },
  {
    name: 'ago', kind: 'scalar', args: [arg('timespan', 'timespan')], returns: 'datetime',
    sql: { duckdb: (args, ctx) => nowPlus(args[0], -1n, ctx) }, doc: 'now() minus the timespan.',
  },
  {
    name: 'bin', aliases: ['floor'], kind: 'scalar',
    args: [arg('value', ['datetime', 'timespan', 'int', 'long', 'real', 'decimal']), arg('roundTo', ['timespan', 'int', 'long', 'real', 'decimal'])],
    returns: (args) => binType(args[0]!, args[1]!),
    validate: (args) => binProblem('bin', args[0]!, args[1]!, 1),
    sql: { duckdb: (args, ctx) => binSql(args[0]!, args[1]!, ctx) },
    bucket: { duckdb: (args, ctx) => ({ index: floorDiv(ctx.dialect.epochNanos(args[0]!.sql), args[1]!.sql), step: args[1]!.sql }) },
    doc: 'Rounds down to a multiple of roundTo, counted from 0 (from 1970-01-01 for datetimes).',
  },
  {
    name: 'bin_at', kind: 'scalar',
    args: [arg('value', ['datetime', 'timespan', 'int', 'long', 'real', 'decimal']), arg('bin', ['timespan', 'int', 'long', 'real', 'decimal']), arg('fixedPoint', 'any')],
    returns: (args) => binType(args[0]!, args[1]!),
    validate: (args) => binProblem('bin_at', args[0]!, args[1]!, 1) ??
      (args[2]!.type === args[0]!.type || (isNumeric(args[2]!.type) && isNumeric(args[0]!.type))
        ? undefined
        : { message: `bin_at() expects a fixed point of the value's type (${args[0]!.type}) as argument 3, got ${args[2]!.type}.`, argIndex: 2 }),
    sql: { duckdb: (args, ctx) => binSql(args[0]!, args[1]!, ctx, args[2]) },
    doc: 'Rounds down to a multiple of bin, with bins aligned to fixedPoint.',
  },
  boundaryFunction('start', 'day'),
  boundaryFunction('start', 'week'),
  boundaryFunction('start', 'month'),
  boundaryFunction('start', 'year'),
  boundaryFunction('end', 'day'),
  boundaryFunction('end', 'week'),
  boundaryFunction('end', 'month'),
  boundaryFunction('end', 'year'),
  {
    name: 'dayofweek', kind: 'scalar', args: [arg('date', 'datetime')], returns: 'timespan',
    sql: {
      // a timespan of whole days since the previous Sunday; 1970-01-01 was a Thursday (day 4)
      duckdb: (args, ctx) => `((((${floorDiv(ctx.dialect.epochNanos(args[0]!.sql), nsPerDay)} + 4) % 7) + 7) % 7 * ${nsPerDay})`,
    },
    doc: 'Days since the previous Sunday, as a timespan (0d for Sunday).',
  },
  calendarPart('dayofmonth', 'day', 'Day of the month, 1–31.'),
  calendarPart('dayofyear', 'doy', 'Day of the year, 1–366.'),
  calendarPart('getmonth', 'month', 'Month, 1–12.', ['monthofyear']),
  calendarPart('getyear', 'year', 'The year, e.g. 2024.'),
  calendarPart('hourofday', 'hour', 'Hour, 0–23.'),
  calendarPart('week_of_year', 'week', 'ISO 8601 week number.', ['weekofyear']),
];
