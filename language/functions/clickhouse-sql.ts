/**
 * The catalogue's ClickHouse column (Debian's 18.16): SQL for each function the ClickHouse
 * store can run with Kusto's semantics. A function missing here is refused on that store at
 * compile time ("… is not supported on the clickhouse store", E402), never sent as DuckDB SQL.
 * Kept beside the family files and merged into their entries by catalogue.ts.
 *
 * Datetimes and timespans are Int64 nanoseconds on ClickHouse (see language/sql/clickhouse.ts),
 * bools are UInt8.
 */
import { clickhouseScalarSql } from './clickhouse-scalars.js';
import type { FunctionOverrides } from './entry.js';
import type { FunctionName } from './names.js';
import type { Bucket, EmitContext, SqlArg } from './spec.js';

/** Floor division of Int64s (intDiv truncates toward zero; bins count from the epoch, also before it). */
export function clickhouseFloorDiv(a: string, b: string): string {
  return `(intDiv(${a}, ${b}) - if((${a}) % (${b}) < 0, 1, 0))`;
}

function binSql(args: SqlArg[]): string {
  const [value, step] = [args[0]!, args[1]!];
  if (value.type === 'real' || value.type === 'decimal' || step.type === 'real' || step.type === 'decimal') {
    return `(floor(${value.sql} / ${step.sql}) * ${step.sql})`;
  }
  return `(${clickhouseFloorDiv(value.sql, step.sql)} * ${step.sql})`;
}

function nowPlus(offset: SqlArg | undefined, sign: '+' | '-', ctx: EmitContext): string {
  const now = `toInt64(${ctx.nowNs.toString()})`;
  return offset ? `(${now} ${sign} (${offset.sql}))` : now;
}

/** Kusto's isempty: strings are never null, "" is their missing value. */
function isEmpty(a: SqlArg): string {
  return a.type === 'string' ? `ifNull(${a.sql} = '', 1)` : `isNull(${a.sql})`;
}

function isNull(a: SqlArg): string {
  return a.type === 'string' ? '0' : `isNull(${a.sql})`;
}

/** Sums of whole numbers and timespans stay Int64 (ClickHouse would widen to UInt64 for unsigned input). */
function sumSql(value: SqlArg, predicate: SqlArg | undefined): string {
  const sum = predicate ? `sumIf(${value.sql}, ${predicate.sql})` : `sum(${value.sql})`;
  const typed = value.type === 'real' || value.type === 'decimal' ? sum : `toInt64(${sum})`;
  // Kusto's sum over no rows is null, like SQL's; ClickHouse's is 0
  const count = predicate ? `countIf(isNotNull(${value.sql}) AND ${predicate.sql})` : `count(${value.sql})`;
  return `if(${count} = 0, NULL, ${typed})`;
}

function avgSql(value: SqlArg, predicate: SqlArg | undefined): string {
  const count = predicate ? `countIf(isNotNull(${value.sql}) AND ${predicate.sql})` : `count(${value.sql})`;
  const avg = predicate ? `avgIf(${value.sql}, ${predicate.sql})` : `avg(${value.sql})`;
  return `if(${count} = 0, NULL, ${value.type === 'timespan' ? `toInt64(${avg})` : avg})`;
}

/** min/max over no rows (or only nulls) is null. */
function extremeSql(fn: 'min' | 'max', value: SqlArg, predicate: SqlArg | undefined): string {
  const count = predicate ? `countIf(isNotNull(${value.sql}) AND ${predicate.sql})` : `count(${value.sql})`;
  const agg = predicate ? `${fn}If(${value.sql}, ${predicate.sql})` : `${fn}(${value.sql})`;
  return `if(${count} = 0, NULL, ${agg})`;
}

export const clickhouseSql: Readonly<FunctionOverrides> = {
  // aggregates
  count: 'toInt64(count())',
  countif: 'toInt64(countIf({0}))',
  sum: (args) => sumSql(args[0]!, undefined),
  sumif: (args) => sumSql(args[0]!, args[1]),
  avg: (args) => avgSql(args[0]!, undefined),
  avgif: (args) => avgSql(args[0]!, args[1]),
  min: (args) => extremeSql('min', args[0]!, undefined),
  max: (args) => extremeSql('max', args[0]!, undefined),
  minif: (args) => extremeSql('min', args[0]!, args[1]),
  maxif: (args) => extremeSql('max', args[0]!, args[1]),
  // exact, like the DuckDB store (Kusto's dcount is an estimate within its error bound)
  dcount: 'toInt64(uniqExact({0}))',
  dcountif: 'toInt64(uniqExactIf({0}, {1}))',
  count_distinct: 'toInt64(uniqExact({0}))',
  take_any: 'any({0})',
  any: 'any({0})',
  stdev: 'stddevSamp({0})',
  stdevp: 'stddevPop({0})',
  variance: 'varSamp({0})',
  variancep: 'varPop({0})',
  // conditionals (a null condition takes the else branch)
  iff: 'if(ifNull({0}, 0), {1}, {2})',
  not: '(NOT ({0}))',
  isnull: (args) => isNull(args[0]!),
  isnotnull: (args) => `(NOT ${isNull(args[0]!)})`,
  isempty: (args) => isEmpty(args[0]!),
  isnotempty: (args) => `(NOT ${isEmpty(args[0]!)})`,
  // strings
  tolower: 'lowerUTF8({0})',
  toupper: 'upperUTF8({0})',
  strlen: 'toInt64(lengthUTF8({0}))',
  // datetimes
  now: (args, ctx) => nowPlus(args[0], '+', ctx),
  ago: (args, ctx) => nowPlus(args[0], '-', ctx),
  bin: (args) => binSql(args),
  // math
  abs: 'abs({0})',
  ...clickhouseScalarSql,
};

/** Datetime bins as bin number × width: grouping on the small number is cheaper. */
export const clickhouseBucket: Readonly<Partial<Record<FunctionName, (args: SqlArg[], ctx: EmitContext) => Bucket>>> = {
  bin: (args) => ({ index: clickhouseFloorDiv(args[0]!.sql, args[1]!.sql), step: args[1]!.sql }),
};
