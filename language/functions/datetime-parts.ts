/**
 * Functions taking a datetime part name or format: datetime_add, datetime_diff, datetime_part,
 * format_datetime. Part names and formats must be constants and become SQL at compile time.
 */
import { Codes } from '../syntax/diagnostics.js';
import { arg, constantText, type ArgProblem, type FunctionEntry } from './entry.js';
import { nanos } from './literals.js';
import { floorDiv, nsPerSecond, sundayOffsetNs } from './duckdb-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

/** Parts with a fixed length, in nanoseconds. */
const fixedParts: Record<string, bigint> = {
  week: 7n * nanos.day, day: nanos.day, hour: nanos.hour, minute: nanos.minute, second: nanos.second,
  millisecond: nanos.milli, microsecond: nanos.micro, nanosecond: 1n,
};
/** Calendar parts, in months. */
const monthParts: Record<string, number> = { year: 12, quarter: 3, month: 1 };

function partName(a: SqlArg | undefined): string {
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

function inSecondNs(dt: string, ctx: EmitContext): string {
  const e = ctx.dialect.epochNanos(dt);
  return `((((${e}) % ${nsPerSecond}) + ${nsPerSecond}) % ${nsPerSecond})`;
}

// ---------------------------------------------------------------------------------------------
// format_datetime: Kusto format specifiers → SQL, at compile time

/** strftime equivalents of the padded and named specifiers. */
const strftimeTokens: Record<string, string> = {
  yyyy: '%Y', yy: '%y', MMMM: '%B', MMM: '%b', MM: '%m', dddd: '%A', ddd: '%a', dd: '%d',
  HH: '%H', hh: '%I', mm: '%M', ss: '%S', tt: '%p',
};
const unpaddedParts: Record<string, string> = { d: 'day', M: 'month', H: 'hour', m: 'minute', s: 'second' };
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

/** SQL for the specifiers strftime lacks (fractions, unpadded parts); ctx is only needed for fractions. */
function specifierSql(token: string, dt: string, ctx: EmitContext | undefined): string | undefined {
  const c = token[0]!;
  if ((c === 'f' || c === 'F') && token.length <= 7) {
    if (!ctx) return 'fraction';
    const ticks = `lpad(CAST(${inSecondNs(dt, ctx)} // 100 AS VARCHAR), 7, '0')`;
    const digits = `left(${ticks}, ${token.length})`;
    return c === 'f' ? digits : `rtrim(${digits}, '0')`; // F drops trailing zeros
  }
  if (token.length === 1 && unpaddedParts[c]) return `CAST(date_part('${unpaddedParts[c]}', ${dt}) AS VARCHAR)`;
  if (token === 'h') return `CAST((date_part('hour', ${dt}) + 11) % 12 + 1 AS VARCHAR)`;
  if (token === 'y') return `CAST(date_part('year', ${dt}) % 100 AS VARCHAR)`;
  return undefined;
}

function unknownSpecifierMessage(token: string): string {
  return `format_datetime() does not know the specifier '${token}'. Use e.g. yyyy-MM-dd HH:mm:ss.fff.`;
}

/** The first specifier in the format that has no SQL form, if any. */
export function unknownSpecifier(format: string): string | undefined {
  const known = (token: string) => strftimeTokens[token] !== undefined || specifierSql(token, 'x', undefined) !== undefined;
  return tokenizeDatetimeFormat(format).find((t) => !t.literal && !known(t.token))?.token;
}

/** SQL for a constant format, or a message naming the specifier Kusto does not know. */
export function formatDatetimeSql(dt: string, format: string, ctx: EmitContext): { sql: string } | { error: string } {
  const pieces: string[] = [];
  let strftime = '';
  const flush = () => {
    if (strftime) pieces.push(`strftime(${dt}, ${ctx.dialect.stringLiteral(strftime)})`);
    strftime = '';
  };
  for (const { token, literal } of tokenizeDatetimeFormat(format)) {
    if (literal) strftime += token.replaceAll('%', '%%');
    else if (strftimeTokens[token]) strftime += strftimeTokens[token];
    else {
      const sql = specifierSql(token, dt, ctx);
      if (!sql) return { error: unknownSpecifierMessage(token) };
      flush();
      pieces.push(sql);
    }
  }
  flush();
  return { sql: pieces.length === 0 ? "''" : pieces.length === 1 ? pieces[0]! : `concat(${pieces.join(', ')})` };
}

export const datetimePartFunctions: readonly FunctionEntry[] = [
  {
    name: 'datetime_add', kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('amount', 'long'), arg('datetime', 'datetime')], returns: 'datetime',
    validate: partProblem('datetime_add', addDiffParts),
    sql: { duckdb: datetimeAddSql }, doc: 'The datetime moved by amount parts (year, month, day, hour, …).',
  },
  {
    name: 'datetime_diff', kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('datetime1', 'datetime'), arg('datetime2', 'datetime')], returns: 'long',
    validate: partProblem('datetime_diff', addDiffParts),
    sql: { duckdb: datetimeDiffSql }, doc: 'How many part boundaries lie between datetime2 and datetime1 (datetime1 - datetime2).',
  },
  {
    name: 'datetime_part', aliases: ['datepart'], kind: 'scalar',
    args: [arg('part', 'string', { constant: true }), arg('datetime', 'datetime')], returns: 'int',
    validate: partProblem('datetime_part', [...Object.keys(partOfDate), ...Object.keys(subSecondDivisor)]),
    sql: { duckdb: datetimePartSql }, doc: 'One part of a datetime as a number (year, month, day, hour, millisecond, …).',
  },
  {
    name: 'format_datetime', kind: 'scalar',
    args: [arg('datetime', 'datetime'), arg('format', 'string', { constant: true })], returns: 'string',
    validate: (args) => {
      const unknown = unknownSpecifier(constantText(args[1]) ?? '');
      return unknown === undefined ? undefined : { message: unknownSpecifierMessage(unknown), argIndex: 1, code: Codes.typeMismatch };
    },
    sql: {
      duckdb: (args, ctx) => {
        const result = formatDatetimeSql(args[0]!.sql, constantText(args[1]) ?? '', ctx);
        return `coalesce(${'sql' in result ? result.sql : "''"}, '')`;
      },
    },
    doc: 'The datetime as text in a format such as yyyy-MM-dd HH:mm:ss.fffffff.',
  },
];
