/**
 * Aggregation functions for `summarize`. arg_max/arg_min and percentiles (plural) are planned
 * by the compiler. The entries carry the SQL both engines' standard accepts; the rest (the
 * `…if` forms, lists, any, percentiles) is each dialect's (duckdb-aggregates.ts, clickhouse-sql.ts).
 */
import { Codes } from '../syntax/diagnostics.js';
import type { ScalarType } from '../schema/types.js';
import { arg, optional, type ArgProblem, type FunctionEntry } from './entry.js';
import type { SqlArg } from './spec.js';

const orderable: readonly ScalarType[] = ['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string', 'bool', 'guid'];
const summable: readonly ScalarType[] = ['int', 'long', 'real', 'decimal', 'timespan'];

function named(prefix: string): (first: string | undefined) => string {
  return (first) => `${prefix}_${first ?? ''}`;
}

/** Sums keep whole numbers as long (SQL would widen to a 128-bit integer) and timespans as timespans. */
function sumType(t: ScalarType): ScalarType {
  return t === 'int' ? 'long' : t;
}

/** A sum's SQL typed as Kusto keeps it: whole numbers as long (SQL would widen to a 128-bit integer), timespans as timespans. */
export function wholeSum(sum: string, value: SqlArg): string {
  return value.type === 'int' || value.type === 'long' || value.type === 'timespan' ? `CAST(${sum} AS BIGINT)` : sum;
}

/** An average of timespans is a timespan (whole nanoseconds). */
export function wholeAverage(avg: string, value: SqlArg): string {
  return value.type === 'timespan' ? `CAST(${avg} AS BIGINT)` : avg;
}

export function percentileValue(a: SqlArg | undefined): number | undefined {
  const v = a?.constant?.value;
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
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
    name: 'countif', args: [arg('predicate', 'bool')], returns: 'long', sql: {},
    defaultName: () => 'countif_', doc: 'Number of rows where the predicate is true.',
  }),
  aggregate({
    name: 'sum', args: [arg('value', summable)], returns: (args) => sumType(args[0]!.type),
    sql: { duckdb: (args) => wholeSum(`sum(${args[0]!.sql})`, args[0]!) }, defaultName: named('sum'), doc: 'Sum of the values.',
  }),
  aggregate({
    name: 'sumif', args: [arg('value', summable), arg('predicate', 'bool')], returns: (args) => sumType(args[0]!.type),
    sql: {}, defaultName: named('sumif'), doc: 'Sum of the values where the predicate is true.',
  }),
  aggregate({
    name: 'avg', args: [arg('value', summable)], returns: (args) => (args[0]!.type === 'timespan' ? 'timespan' : 'real'),
    sql: { duckdb: (args) => wholeAverage(`avg(${args[0]!.sql})`, args[0]!) }, defaultName: named('avg'), doc: 'Average of the values.',
  }),
  aggregate({
    name: 'avgif', args: [arg('value', summable), arg('predicate', 'bool')], returns: (args) => (args[0]!.type === 'timespan' ? 'timespan' : 'real'),
    sql: {}, defaultName: named('avgif'), doc: 'Average of the values where the predicate is true.',
  }),
  ...(['min', 'max'] as const).flatMap((fn) => [
    aggregate({
      name: fn, args: [arg('value', orderable)], returns: (args) => args[0]!.type,
      sql: { duckdb: `${fn}({0})` }, defaultName: named(fn), doc: `The ${fn === 'min' ? 'smallest' : 'largest'} value.`,
    }),
    aggregate({
      name: `${fn}if`, args: [arg('value', orderable), arg('predicate', 'bool')], returns: (args) => args[0]!.type,
      sql: {}, defaultName: named(`${fn}if`), doc: `The ${fn === 'min' ? 'smallest' : 'largest'} value where the predicate is true.`,
    }),
  ]),
  aggregate({
    // exact distinct count (Kusto estimates with HyperLogLog; exact is within its error bound)
    name: 'dcount', args: [arg('value', 'any'), optional('accuracy', 'int', { constant: true })], returns: 'long',
    sql: { duckdb: 'count(DISTINCT {0})' }, defaultName: named('dcount'), doc: 'Number of distinct values (exact).',
  }),
  aggregate({
    name: 'dcountif', args: [arg('value', 'any'), arg('predicate', 'bool'), optional('accuracy', 'int', { constant: true })], returns: 'long',
    sql: {}, defaultName: named('dcountif'), doc: 'Number of distinct values where the predicate is true.',
  }),
  aggregate({
    name: 'count_distinct', args: [arg('value', 'any')], returns: 'long',
    sql: { duckdb: 'count(DISTINCT {0})' }, defaultName: named('count_distinct'), doc: 'Exact number of distinct values.',
  }),
  aggregate({
    name: 'make_set', aliases: ['makeset'], args: [arg('value', 'any'), maxSizeArg], returns: 'dynamic',
    sql: {}, defaultName: named('make_set'), doc: 'A dynamic array of the distinct values.',
  }),
  aggregate({
    name: 'make_list', aliases: ['makelist'], args: [arg('value', 'any'), maxSizeArg], returns: 'dynamic',
    sql: {}, defaultName: named('make_list'), doc: 'A dynamic array of all values.',
  }),
  aggregate({
    name: 'make_set_if', args: [arg('value', 'any'), arg('predicate', 'bool'), maxSizeArg], returns: 'dynamic',
    sql: {}, defaultName: named('make_set_if'), doc: 'Distinct values where the predicate is true.',
  }),
  aggregate({
    name: 'make_list_if', args: [arg('value', 'any'), arg('predicate', 'bool'), maxSizeArg], returns: 'dynamic',
    sql: {}, defaultName: named('make_list_if'), doc: 'Values where the predicate is true.',
  }),
  aggregate({
    name: 'take_any', args: [arg('value', 'any')], returns: (args) => args[0]!.type,
    sql: {}, defaultName: named('take_any'), doc: 'Any one value of the group.',
  }),
  aggregate({
    name: 'any', args: [arg('value', 'any')], returns: (args) => args[0]!.type,
    sql: {}, defaultName: named('any'), doc: 'Any one value of the group (older name of take_any).',
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
      sql: {}, defaultName: named(`${name}if`), doc: `${doc} Of the rows where the predicate is true.`,
    }),
  ]),
  aggregate({
    name: 'percentile', args: [arg('value', orderable), arg('percentile', 'real', { constant: true })], returns: (args) => args[0]!.type,
    validate: percentileProblem,
    sql: {},
    defaultName: (first, args) => percentileColumnName(first, percentileValue(args?.[1]) ?? 50),
    doc: 'The value at the given percentile (nearest rank).',
  }),
];
