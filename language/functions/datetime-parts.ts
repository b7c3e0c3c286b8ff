/**
 * Functions taking a datetime part name or format: datetime_add, datetime_diff, datetime_part,
 * format_datetime. Part names and formats must be constants, checked here; each dialect turns
 * them into its SQL at compile time (duckdb-datetimes.ts, clickhouse-scalars.ts).
 */
import { Codes } from '../syntax/diagnostics.js';
import { arg, constantText, type ArgProblem, type FunctionEntry } from './entry.js';
import { nanos } from './literals.js';
import type { SqlArg } from './spec.js';

/** Parts with a fixed length, in nanoseconds. */
export const fixedParts: Record<string, bigint> = {
  week: 7n * nanos.day, day: nanos.day, hour: nanos.hour, minute: nanos.minute, second: nanos.second,
  millisecond: nanos.milli, microsecond: nanos.micro, nanosecond: 1n,
};
/** Calendar parts, in months. */
export const monthParts: Record<string, number> = { year: 12, quarter: 3, month: 1 };

export function partName(a: SqlArg | undefined): string {
  return (constantText(a) ?? '').toLowerCase();
}

function partProblem(fn: string, known: readonly string[]) {
  return (args: readonly SqlArg[]): ArgProblem | undefined => {
    const part = partName(args[0]);
    if (known.includes(part)) return undefined;
    return { message: `${fn}() expects a part name (${known.join(', ')}) as argument 1, got '${constantText(args[0]) ?? ''}'.`, argIndex: 0 };
  };
}

const addDiffParts = [...Object.keys(monthParts), ...Object.keys(fixedParts)];

/** datetime_part's parts: the calendar ones, then the fractions of a second. */
const datetimeParts = [
  'year', 'quarter', 'month', 'week_of_year', 'weekofyear', 'day', 'dayofyear', 'hour', 'minute', 'second',
  'millisecond', 'microsecond', 'nanosecond',
];

// ---------------------------------------------------------------------------------------------
// format_datetime: Kusto's format specifiers

/** The specifiers with a text form: padded and named ones, unpadded parts, and fractions (`f`, `F`) of up to 7 digits. */
const namedSpecifiers = new Set(['yyyy', 'yy', 'MMMM', 'MMM', 'MM', 'dddd', 'ddd', 'dd', 'HH', 'hh', 'mm', 'ss', 'tt', 'd', 'M', 'H', 'm', 's', 'h', 'y']);

function knownSpecifier(token: string): boolean {
  return namedSpecifiers.has(token) || (/^(f+|F+)$/.test(token) && token.length <= 7);
}
const specifierLetters = new Set(['y', 'M', 'd', 'H', 'h', 'm', 's', 'f', 'F', 't']);

/** Runs of one specifier letter (`yyyy`, `fff`) and the literal text between them. */
export function tokenizeDatetimeFormat(format: string): { token: string; literal: boolean }[] {
  const tokens: { token: string; literal: boolean }[] = [];
  for (let i = 0; i < format.length;) {
    const c = format[i]!;
    let j = i + 1;
    if (specifierLetters.has(c)) while (format[j] === c) j++;
    tokens.push({ token: format.slice(i, j), literal: !specifierLetters.has(c) });
    i = j;
  }
  return tokens;
}

export function unknownSpecifierMessage(token: string): string {
  return `format_datetime() does not know the specifier '${token}'. Use e.g. yyyy-MM-dd HH:mm:ss.fff.`;
}

/** The first specifier in the format that has no SQL form, if any. */
export function unknownSpecifier(format: string): string | undefined {
  return tokenizeDatetimeFormat(format).find((t) => !t.literal && !knownSpecifier(t.token))?.token;
}

export const datetimePartFunctions: readonly FunctionEntry[] = [
  {
    name: 'datetime_add', kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('amount', 'long'), arg('datetime', 'datetime')], returns: 'datetime',
    validate: partProblem('datetime_add', addDiffParts),
    sql: {}, doc: 'The datetime moved by amount parts (year, month, day, hour, …).',
  },
  {
    name: 'datetime_diff', kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('datetime1', 'datetime'), arg('datetime2', 'datetime')], returns: 'long',
    validate: partProblem('datetime_diff', addDiffParts),
    sql: {}, doc: 'How many part boundaries lie between datetime2 and datetime1 (datetime1 - datetime2).',
  },
  {
    name: 'datetime_part', aliases: ['datepart'], kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('datetime', 'datetime')], returns: 'int',
    validate: partProblem('datetime_part', datetimeParts),
    sql: {}, doc: 'One part of a datetime as a number (year, month, day, hour, millisecond, …).',
  },
  {
    name: 'format_datetime', kind: 'scalar',
    args: [arg('datetime', 'datetime'), arg('format', 'string', { constant: true })], returns: 'string',
    validate: (args) => {
      const unknown = unknownSpecifier(constantText(args[1]) ?? '');
      return unknown === undefined ? undefined : { message: unknownSpecifierMessage(unknown), argIndex: 1, code: Codes.typeMismatch };
    },
    sql: {},
    doc: 'The datetime as text in a format such as yyyy-MM-dd HH:mm:ss.fffffff.',
  },
];
