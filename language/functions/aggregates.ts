/**
 * Aggregation functions for `summarize`. arg_max/arg_min and percentiles (plural) are planned
 * by the compiler; percentileSql is exported for it.
 */
import { Codes } from '../syntax/diagnostics.js';
import type { ScalarType } from '../schema/types.js';
import { arg, optional, type ArgProblem, type FunctionEntry } from './entry.js';
import { toJsonValueSql } from './duckdb-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

const orderable: readonly ScalarType[] = ['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string', 'bool', 'guid'];
const summable: readonly ScalarType[] = ['int', 'long', 'real', 'decimal', 'timespan'];

function named(prefix: string): (first: string | undefined) => string {
  return (first) => `${prefix}_${first ?? ''}`;
}

/** `sum(x) FILTER (WHERE p)` for the `…if` forms. */
function filtered(sql: string, predicate: SqlArg | undefined): string {
  return predicate ? `${sql} FILTER (WHERE ${predicate.sql})` : sql;
}

/** Sums keep whole numbers as long (SQL would widen to a 128-bit integer) and timespans as timespans. */
function sumType(t: ScalarType): ScalarType {
  return t === 'int' ? 'long' : t;
}

function sumSql(value: SqlArg, predicate: SqlArg | undefined): string {
  const sum = filtered(`sum(${value.sql})`, predicate);
  return value.type === 'int' || value.type === 'long' || value.type === 'timespan' ? `CAST(${sum} AS BIGINT)` : sum;
}

function avgSql(value: SqlArg, predicate: SqlArg | undefined): string {
  const avg = filtered(`avg(${value.sql})`, predicate);
  return value.type === 'timespan' ? `CAST(${avg} AS BIGINT)` : avg;
}

/** make_set/make_list: a JSON array of the non-null values (at most maxSize), [] when there are none. */
function collectSql(distinct: boolean, value: SqlArg, predicate: SqlArg | undefined, maxSize: SqlArg | undefined, ctx: EmitContext): string {
  const condition = predicate ? `(${value.sql}) IS NOT NULL AND (${predicate.sql})` : `(${value.sql}) IS NOT NULL`;
  let list = `list(${distinct ? 'DISTINCT ' : ''}${toJsonValueSql(value, ctx)}) FILTER (WHERE ${condition})`;
  if (maxSize) list = `list_slice(${list}, 1, ${maxSize.sql})`;
  return `coalesce(to_json(${list}), CAST('[]' AS JSON))`;
}

function percentileValue(a: SqlArg | undefined): number | undefined {
  const v = a?.constant?.value;
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The p-th percentile (0–100) of arg. Kusto uses the nearest-rank definition (the smallest value
 * with at least p% of the values at or below it), which is exactly DuckDB's quantile_disc.
 */
export function percentileSql(arg: SqlArg, p: number, _ctx: EmitContext): string {
  return `quantile_disc(${arg.sql}, ${p / 100})`;
}

/** `percentile_x_50`, `percentile_x_99_5`: the percentage with its dot as an underscore. */
export function percentileColumnName(first: string | undefined, p: number): string {
  return `percentile_${first ?? ''}_${String(p).replace('.', '_')}`;
}

function percentileProblem(args: readonly SqlArg[]): ArgProblem | undefined {
  const p = percentileValue(args[1]);
  if (p !== undefined && p >= 0 && p <= 100) return undefined;
  return { message: 'percentile() expects a constant percentage between 0 and 100 as argument 2, e.g. percentile(x, 95).', argIndex: 1, code: Codes.constantRequired };
}

function aggregate(entry: Omit<FunctionEntry, 'kind'>): FunctionEntry {
  return { ...entry, kind: 'aggregate' };
}

const maxSizeArg = optional('maxSize', 'long', { constant: true });

export const aggregateFunctions: readonly FunctionEntry[] = [
  aggregate({ name: 'count', args: [], returns: 'long', sql: { duckdb: 'count(*)' }, defaultName: () => 'count_', doc: 'Number of rows.' }),
  aggregate({
    name: 'countif', args: [arg('predicate', 'bool')], returns: 'long', sql: { duckdb: 'count(*) FILTER (WHERE {0})' },
    defaultName: () => 'countif_', doc: 'Number of rows where the predicate is true.',
  }),
  aggregate({
    name: 'sum', args: [arg('value', summable)], returns: (args) => sumType(args[0]!.type),
    sql: { duckdb: (args) => sumSql(args[0]!, undefined) }, defaultName: named('sum'), doc: 'Sum of the values.',
  }),
  aggregate({
    name: 'sumif', args: [arg('value', summable), arg('predicate', 'bool')], returns: (args) => sumType(args[0]!.type),
    sql: { duckdb: (args) => sumSql(args[0]!, args[1]) }, defaultName: named('sumif'), doc: 'Sum of the values where the predicate is true.',
  }),
  aggregate({
    name: 'avg', args: [arg('value', summable)], returns: (args) => (args[0]!.type === 'timespan' ? 'timespan' : 'real'),
    sql: { duckdb: (args) => avgSql(args[0]!, undefined) }, defaultName: named('avg'), doc: 'Average of the values.',
  }),
  aggregate({
    name: 'avgif', args: [arg('value', summable), arg('predicate', 'bool')], returns: (args) => (args[0]!.type === 'timespan' ? 'timespan' : 'real'),
    sql: { duckdb: (args) => avgSql(args[0]!, args[1]) }, defaultName: named('avgif'), doc: 'Average of the values where the predicate is true.',
  }),
  ...(['min', 'max'] as const).flatMap((fn) => [
    aggregate({
      name: fn, args: [arg('value', orderable)], returns: (args) => args[0]!.type,
      sql: { duckdb: `${fn}({0})` }, defaultName: named(fn), doc: `The ${fn === 'min' ? 'smallest' : 'largest'} value.`,
    }),
    aggregate({
      name: `${fn}if`, args: [arg('value', orderable), arg('predicate', 'bool')], returns: (args) => args[0]!.type,
      sql: { duckdb: `${fn}({0}) FILTER (WHERE {1})` }, defaultName: named(`${fn}if`), doc: `The ${fn === 'min' ? 'smallest' : 'largest'} value where the predicate is true.`,
    }),
  ]),
  aggregate({
    // exact distinct count (Kusto estimates with HyperLogLog; exact is within its error bound)
    name: 'dcount', args: [arg('value', 'any'), optional('accuracy', 'int', { constant: true })], returns: 'long',
    sql: { duckdb: 'count(DISTINCT {0})' }, defaultName: named('dcount'), doc: 'Number of distinct values (exact).',
  }),
  aggregate({
    name: 'dcountif', args: [arg('value', 'any'), arg('predicate', 'bool'), optional('accuracy', 'int', { constant: true })], returns: 'long',
    sql: { duckdb: 'count(DISTINCT {0}) FILTER (WHERE {1})' }, defaultName: named('dcountif'), doc: 'Number of distinct values where the predicate is true.',
  }),
  aggregate({
    name: 'count_distinct', args: [arg('value', 'any')], returns: 'long',
    sql: { duckdb: 'count(DISTINCT {0})' }, defaultName: named('count_distinct'), doc: 'Exact number of distinct values.',
  }),
  aggregate({
    name: 'make_set', aliases: ['makeset'], args: [arg('value', 'any'), maxSizeArg], returns: 'dynamic',
    sql: { duckdb: (args, ctx) => collectSql(true, args[0]!, undefined, args[1], ctx) }, defaultName: named('make_set'), doc: 'A dynamic array of the distinct values.',
  }),
  aggregate({
    name: 'make_list', aliases: ['makelist'], args: [arg('value', 'any'), maxSizeArg], returns: 'dynamic',
    sql: { duckdb: (args, ctx) => collectSql(false, args[0]!, undefined, args[1], ctx) }, defaultName: named('make_list'), doc: 'A dynamic array of all values.',
  }),
  aggregate({
    name: 'make_set_if', args: [arg('value', 'any'), arg('predicate', 'bool'), maxSizeArg], returns: 'dynamic',
    sql: { duckdb: (args, ctx) => collectSql(true, args[0]!, args[1], args[2], ctx) }, defaultName: named('make_set_if'), doc: 'Distinct values where the predicate is true.',
  }),
  aggregate({
    name: 'make_list_if', args: [arg('value', 'any'), arg('predicate', 'bool'), maxSizeArg], returns: 'dynamic',
    sql: { duckdb: (args, ctx) => collectSql(false, args[0]!, args[1], args[2], ctx) }, defaultName: named('make_list_if'), doc: 'Values where the predicate is true.',
  }),
  aggregate({
    name: 'take_any', args: [arg('value', 'any')], returns: (args) => args[0]!.type,
    sql: { duckdb: 'any_value({0})' }, defaultName: named('take_any'), doc: 'Any one value of the group.',
  }),
  aggregate({
    name: 'any', args: [arg('value', 'any')], returns: (args) => args[0]!.type,
    sql: { duckdb: 'any_value({0})' }, defaultName: named('any'), doc: 'Any one value of the group (older name of take_any).',
  }),
  ...([
    ['stdev', 'stddev_samp', 'Sample standard deviation.'],
    ['stdevp', 'stddev_pop', 'Population standard deviation.'],
    ['variance', 'var_samp', 'Sample variance.'],
    ['variancep', 'var_pop', 'Population variance.'],
  ] as const).flatMap(([name, sqlFn, doc]) => [
    aggregate({ name, args: [arg('value', 'real')], returns: 'real', sql: { duckdb: `${sqlFn}({0})` }, defaultName: named(name), doc }),
    aggregate({
      name: `${name}if`, args: [arg('value', 'real'), arg('predicate', 'bool')], returns: 'real',
      sql: { duckdb: `${sqlFn}({0}) FILTER (WHERE {1})` }, defaultName: named(`${name}if`), doc: `${doc} Of the rows where the predicate is true.`,
    }),
  ]),
  aggregate({
    name: 'percentile', args: [arg('value', orderable), arg('percentile', 'real', { constant: true })], returns: (args) => args[0]!.type,
    validate: percentileProblem,
    sql: { duckdb: (args, ctx) => percentileSql(args[0]!, percentileValue(args[1]) ?? 50, ctx) },
    defaultName: (first, args) => percentileColumnName(first, percentileValue(args?.[1]) ?? 50),
    doc: 'The value at the given percentile (nearest rank).',
  }),
];
