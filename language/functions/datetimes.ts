/**
 * Datetime functions: now/ago, bin and bin_at, startof…/endof…, calendar parts. now() and ago()
 * are the dialect's datetime literal; the rest is each dialect's SQL (duckdb-datetimes.ts,
 * clickhouse-sql.ts / clickhouse-scalars.ts).
 */
import { isNumeric, widerNumeric, type ScalarType } from '../schema/types.js';
import { arg, optional, type ArgProblem, type FunctionEntry } from './entry.js';
import type { FunctionName } from './names.js';
import { constantBigInt } from './literals.js';
import type { EmitContext, SqlArg } from './spec.js';

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

type Unit = 'day' | 'week' | 'month' | 'year';

function boundaryFunction(kind: 'start' | 'end', unit: Unit): FunctionEntry {
  return {
    name: `${kind}of${unit}`,
    kind: 'scalar',
    args: [arg('date', 'datetime'), optional('offset', 'long')],
    returns: 'datetime',
    sql: {},
    doc: kind === 'start'
      ? `The start of the ${unit}${unit === 'week' ? ' (Sunday)' : ''} containing the date, optionally shifted by offset ${unit}s.`
      : `The last tick of the ${unit} containing the date (…23:59:59.9999999), optionally shifted by offset ${unit}s.`,
  };
}

function calendarPart(name: FunctionName, doc: string, aliases?: string[]): FunctionEntry {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    kind: 'scalar',
    args: [arg('date', 'datetime')],
    returns: 'int',
    sql: {},
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
    sql: {},
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
    sql: {},
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
    sql: {},
    doc: 'Days since the previous Sunday, as a timespan (0d for Sunday).',
  },
  calendarPart('dayofmonth', 'Day of the month, 1–31.'),
  calendarPart('dayofyear', 'Day of the year, 1–366.'),
  calendarPart('getmonth', 'Month, 1–12.', ['monthofyear']),
  calendarPart('getyear', 'The year, e.g. 2024.'),
  calendarPart('hourofday', 'Hour, 0–23.'),
  calendarPart('week_of_year', 'ISO 8601 week number.', ['weekofyear']),
];
