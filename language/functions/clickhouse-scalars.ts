/**
 * More of the catalogue's ClickHouse column (18.16): strings, conversions, datetime parts,
 * math, conditionals and the collecting aggregates. Each form keeps the DuckDB form's Kusto
 * semantics (checked against it in test/clickhouse); an argument type a form cannot handle
 * exactly throws NotOnStore, which the catalogue reports as E402 at the call.
 *
 * Datetimes are Int64 nanoseconds. Calendar parts go through 18.16's DateTime (whole seconds,
 * UInt32: 1970 … 2106); a value outside that range fails the query (throwIf) rather than
 * giving a wrong part.
 */
import { nanos } from './literals.js';
import { constantText, type FunctionOverrides } from './entry.js';
import { typeFromName } from './conversions.js';
import { NotOnStore, type EmitContext, type SqlArg, type SqlTemplate } from './spec.js';
import type { ScalarType } from '../schema/types.js';

const day = nanos.day.toString();
const second = nanos.second.toString();
const week = (7n * nanos.day).toString();
const sundayOffset = (3n * nanos.day).toString();

const floorDiv = (a: string, b: string): string => `(intDiv(${a}, ${b}) - if((${a}) % (${b}) < 0, 1, 0))`;
const floorTo = (a: string, step: string): string => `(${floorDiv(a, step)} * ${step})`;

/** A UTC DateTime for calendar parts; fails the query outside DateTime's range. */
function dateTime(ns: string): string {
  const secs = floorDiv(ns, second);
  return `toDateTime(${secs} + throwIf(ifNull(${secs} < 0 OR ${secs} > 4294967295, 0)), 'UTC')`;
}

/** Kusto's text of a value, for the types whose text ClickHouse prints the same way. */
export function chText(a: SqlArg): string {
  switch (a.type) {
    case 'string':
      return a.sql;
    case 'int':
    case 'long':
    case 'guid':
      return `ifNull(toString(${a.sql}), '')`;
    case 'bool':
      return `multiIf(isNull(${a.sql}), '', ${a.sql} != 0, 'true', 'false')`;
    default:
      throw new NotOnStore(`the text of a ${a.type} value`);
  }
}

/** Text → a Kusto type, null when it does not convert. */
function fromText(text: string, type: ScalarType): string {
  switch (type) {
    case 'string':
      return text;
    case 'int':
      return `toInt32OrNull(${text})`;
    case 'long':
      return `toInt64OrNull(${text})`;
    case 'real':
    case 'decimal':
      return `toFloat64OrNull(${text})`;
    default:
      throw new NotOnStore(`converting text to ${type}`);
  }
}

function convert(type: ScalarType): SqlTemplate {
  return (args) => clickhouseConvert(args[0]!, type);
}

/** Kusto's conversion on ClickHouse (the dialect's `convert`); NotOnStore where 18.16 cannot keep Kusto's rules. */
export function clickhouseConvert(a: SqlArg, type: ScalarType): string {
  if (a.type === type) return a.sql;
  if (type === 'string') return chText(a);
  if (a.type === 'string') return fromText(a.sql, type);
  const numeric = ['int', 'long', 'real', 'decimal', 'bool'];
  if (!numeric.includes(a.type)) throw new NotOnStore(`converting a ${a.type} to ${type}`);
  if (type === 'int') return `toInt32OrNull(toString(trunc(${a.sql})))`;
  if (type === 'long') return `toInt64OrNull(toString(trunc(${a.sql})))`;
  if (type === 'real' || type === 'decimal') return `toFloat64(${a.sql})`;
  throw new NotOnStore(`converting a ${a.type} to ${type}`);
}

/** A constant regex with every capturing group but the n-th made non-capturing (0: the whole match). */
function onlyGroup(re: string, n: number): string {
  let out = '';
  let group = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      out += c + (re[i + 1] ?? '');
      i++;
    } else if (inClass) {
      inClass = c !== ']';
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && re[i + 1] !== '?') {
      group++;
      out += group === n ? '(' : '(?:';
    } else if (c === '(' && (re.startsWith('?P<', i + 1) || re.startsWith('?<', i + 1))) {
      group++;
      const close = re.indexOf('>', i);
      out += group === n ? '(' : '(?:';
      i = close;
    } else out += c;
  }
  return n === 0 ? `(${out})` : out;
}

function extractSql(args: SqlArg[], ctx: EmitContext): string {
  const [re, group, source, typeName] = [args[0]!, args[1]!, args[2]!, args[3]];
  const pattern = constantText(re);
  if (pattern === undefined) throw new NotOnStore('extract() with a regex computed per row');
  const n = Number.parseInt(constantText(group) ?? '0', 10) || 0;
  const matched = `extract(${source.sql}, ${ctx.dialect.stringLiteral(onlyGroup(pattern, n))})`;
  const type = typeName ? typeFromName(constantText(typeName) ?? '') : undefined;
  if (!type || type === 'string') return matched;
  return fromText(`nullIf(${matched}, '')`, type);
}

/** `^(?:re)+` / `(?:re)+$` removed, as the DuckDB form does. */
function trimSql(side: 'both' | 'start' | 'end'): SqlTemplate {
  return (args, ctx) => {
    const pattern = constantText(args[0]);
    if (pattern === undefined) throw new NotOnStore('trim with a regex computed per row');
    let sql = args[1]!.sql;
    if (side !== 'end') sql = `replaceRegexpOne(${sql}, ${ctx.dialect.stringLiteral(`^(?:${pattern})+`)}, '')`;
    if (side !== 'start') sql = `replaceRegexpOne(${sql}, ${ctx.dialect.stringLiteral(`(?:${pattern})+$`)}, '')`;
    return sql;
  };
}

/** JSON text of a string (quotes and backslashes escaped). */
function jsonString(sql: string): string {
  return `concat('"', replaceAll(replaceAll(${sql}, '\\\\', '\\\\\\\\'), '"', '\\\\"'), '"')`;
}

/** make_set / make_list as JSON array text ([] when there are no values). */
function collect(distinct: boolean): SqlTemplate {
  return (args) => {
    const a = args[0]!;
    if (args[1]) throw new NotOnStore(`${distinct ? 'make_set' : 'make_list'}() with a maximum size`);
    const values = `${distinct ? 'groupUniqArray' : 'groupArray'}(${a.sql})`;
    let element: string;
    if (a.type === 'string') element = jsonString('v');
    else if (a.type === 'int' || a.type === 'long') element = 'toString(v)';
    else if (a.type === 'bool') element = "if(v != 0, 'true', 'false')";
    else throw new NotOnStore(`collecting ${a.type} values`);
    return `concat('[', arrayStringConcat(arrayMap(v -> ${element}, ${values}), ','), ']')`;
  };
}

/** Kusto's nearest-rank percentile (DuckDB's quantile_disc): the ceil(n·p)-th smallest value. */
function percentileSql(args: SqlArg[]): string {
  const v = args[0]!;
  const p = Number(args[1]!.constant?.value ?? 50) / 100;
  const n = `count(${v.sql})`;
  return `if(${n} = 0, NULL, arrayElement(arraySort(groupArray(${v.sql})), toUInt64(greatest(ceil(${n} * ${p}), 1))))`;
}

function indexOfSql(args: SqlArg[]): string {
  const [source, lookup, start] = [args[0]!, args[1]!, args[2]];
  if (!start) return `(toInt64(positionUTF8(${source.sql}, ${lookup.sql})) - 1)`;
  const from = `greatest(${start.sql}, 0)`;
  const found = `toInt64(positionUTF8(substringUTF8(${source.sql}, toUInt64(${from} + 1), toUInt64(4294967295)), ${lookup.sql}))`;
  return `multiIf(${from} > lengthUTF8(${source.sql}), -1, ${found} = 0, -1, ${found} - 1 + ${from})`;
}

function substringSql(args: SqlArg[]): string {
  const text = chText(args[0]!);
  const from = `toUInt64(greatest(${args[1]!.sql}, 0) + 1)`;
  // 18.16's substringUTF8 always takes a length
  const length = args[2] ? `toUInt64(greatest(${args[2].sql}, 0))` : 'toUInt64(4294967295)';
  return `substringUTF8(${text}, ${from}, ${length})`;
}

function splitSql(args: SqlArg[]): string {
  const [source, delimiter, index] = [args[0]!, args[1]!, args[2]];
  if (delimiter.constant === undefined) throw new NotOnStore('split() with a delimiter computed per row');
  let parts = `splitByString(${delimiter.sql}, ${source.sql})`;
  if (index) parts = `arraySlice(${parts}, assumeNotNull(${index.sql}) + 1, 1)`;
  return `concat('[', arrayStringConcat(arrayMap(v -> ${jsonString('v')}, ${parts}), ','), ']')`;
}

/** Kusto's round: halves away from zero (ClickHouse's round does too for Float64 — banker's only in roundBankers). */
function roundSql(args: SqlArg[]): string {
  return args[1] ? `round(${args[0]!.sql}, ${args[1].sql})` : `round(${args[0]!.sql})`;
}

const guarded = (fn: string, domain: string): SqlTemplate => `if({0} ${domain}, ${fn}(toFloat64({0})), NULL)`;

/** The start of the day / week (Sunday) / month / year, moved by offset units. */
function startOf(unit: 'day' | 'week' | 'month' | 'year'): SqlTemplate {
  return (args) => startOfSql(unit, args[0]!.sql, args[1]?.sql ?? '0');
}

function startOfSql(unit: 'day' | 'week' | 'month' | 'year', ns: string, shift: string): string {
  switch (unit) {
    case 'day':
      return `(${floorTo(ns, day)} + (${shift}) * ${day})`;
    case 'week':
      return `(${floorTo(`(${ns} - ${sundayOffset})`, week)} + ${sundayOffset} + (${shift}) * ${week})`;
    case 'month':
    case 'year': {
      const start = unit === 'month' ? `toStartOfMonth(${dateTime(ns)})` : `toStartOfYear(${dateTime(ns)})`;
      const moved = unit === 'month' ? `addMonths(${start}, ${shift})` : `addYears(${start}, ${shift})`;
      return `(toInt64(toRelativeDayNum(${moved})) * ${day})`;
    }
  }
}

function endOf(unit: 'day' | 'week' | 'month' | 'year'): SqlTemplate {
  return (args) => `(${startOfSql(unit, args[0]!.sql, `(${args[1]?.sql ?? '0'}) + 1`)} - 100)`;
}

const part = (fn: string): SqlTemplate => (args) => `toInt32(${fn}(${dateTime(args[0]!.sql)}))`;

function coalesceSql(args: SqlArg[]): string {
  if (args[0]!.type === 'string') return `arrayFirst(v -> v != '', [${args.map((a) => a.sql).join(', ')}, ''])`;
  if (args[0]!.type === 'dynamic') throw new NotOnStore('coalesce() of dynamic values');
  // 18.16's coalesce gives null for materialized Nullable columns: an ifNull chain instead
  return args.slice(0, -1).reduceRight((rest, a) => `ifNull(${a.sql}, materialize(${rest}))`, args[args.length - 1]!.sql);
}

/** case(c1, v1, …, else): a null condition takes the next branch. */
function caseSql(args: SqlArg[]): string {
  const parts = args.map((a, i) => (i % 2 === 0 && i < args.length - 1 ? `ifNull(${a.sql}, 0)` : a.sql));
  return `multiIf(${parts.join(', ')})`;
}

export const clickhouseScalarSql: Readonly<FunctionOverrides> = {
  // strings
  strcat: (args) => `concat(${args.map(chText).join(', ')}${args.length === 1 ? ", ''" : ''})`,
  strcat_delim: (args) => `arrayStringConcat([${args.slice(1).map(chText).join(', ')}], ${args[0]!.sql})`,
  substring: substringSql,
  indexof: indexOfSql,
  replace_string: 'replaceAll({0}, {1}, {2})',
  replace_regex: 'replaceRegexpAll({0}, {1}, {2})',
  replace: 'replaceRegexpAll({2}, {0}, {1})',
  trim: trimSql('both'),
  trim_start: trimSql('start'),
  trim_end: trimSql('end'),
  extract: extractSql,
  split: splitSql,
  reverse: (args) => `reverseUTF8(${chText(args[0]!)})`,
  // conversions
  tostring: convert('string'),
  toint: convert('int'),
  tolong: convert('long'),
  todouble: convert('real'),
  // datetime parts
  getyear: part('toYear'),
  getmonth: part('toMonth'),
  dayofmonth: part('toDayOfMonth'),
  dayofyear: part('toDayOfYear'),
  hourofday: part('toHour'),
  // 18.16's toDayOfWeek counts Monday as 1: Kusto's dayofweek is days since Sunday
  dayofweek: (args) => `(toInt64(toDayOfWeek(${dateTime(args[0]!.sql)}) % 7) * ${day})`,
  startofday: startOf('day'),
  startofweek: startOf('week'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  endofday: endOf('day'),
  endofweek: endOf('week'),
  endofmonth: endOf('month'),
  endofyear: endOf('year'),
  // math
  round: roundSql,
  ceiling: 'ceil({0})',
  log: guarded('log', '> 0'),
  log10: guarded('log10', '> 0'),
  log2: guarded('log2', '> 0'),
  sqrt: guarded('sqrt', '>= 0'),
  exp: 'exp(toFloat64({0}))',
  pow: 'pow(toFloat64({0}), toFloat64({1}))',
  // 18.16 has no sign()
  sign: (args) => {
    const x = args[0]!.sql;
    const typed = args[0]!.type === 'real' || args[0]!.type === 'decimal' ? 'toFloat64' : args[0]!.type === 'int' ? 'toInt32' : 'toInt64';
    return `if(isNull(${x}), NULL, ${typed}(multiIf(${x} > 0, 1, ${x} < 0, -1, 0)))`;
  },
  // conditionals
  coalesce: coalesceSql,
  case: caseSql,
  // aggregates
  percentile: percentileSql,
  make_set: collect(true),
  make_list: collect(false),
};

