/**
 * Numeric functions. Where the math is undefined (log of 0, sqrt of -1) the result is null, not
 * an error. round, ln, the NaN tests and tohex are each dialect's SQL (duckdb-math.ts, clickhouse-scalars.ts).
 */
import { arg, optional, typeOf, type FunctionEntry } from './entry.js';
import type { FunctionName } from './names.js';

/** Engines raise on log(0) / sqrt(-1); Kusto's functions return null there instead of failing the query. */
function guarded(name: FunctionName, sqlFn: string, domain: '> 0' | '>= 0', doc: string): FunctionEntry {
  return {
    name, kind: 'scalar', args: [arg('number', 'real')], returns: 'real',
    sql: { duckdb: `(CASE WHEN {0} ${domain} THEN ${sqlFn}(CAST({0} AS DOUBLE)) ELSE NULL END)` },
    doc,
  };
}

function realFunction(name: FunctionName, sql: string, doc: string): FunctionEntry {
  return { name, kind: 'scalar', args: [arg('number', 'real')], returns: 'real', sql: { duckdb: sql }, doc };
}

export const mathFunctions: readonly FunctionEntry[] = [
  { name: 'abs', kind: 'scalar', args: [arg('number', ['int', 'long', 'real', 'decimal', 'timespan'])], returns: typeOf(0), sql: { duckdb: 'abs({0})' }, doc: 'Absolute value.' },
  {
    name: 'round', kind: 'scalar', args: [arg('number', 'numeric'), optional('precision', 'long')], returns: typeOf(0),
    // halves round away from zero, as Kusto's round(2.5) = 3
    sql: {},
    doc: 'Rounded to precision decimal digits (0 by default).',
  },
  { name: 'ceiling', kind: 'scalar', args: [arg('number', 'numeric')], returns: typeOf(0), sql: { duckdb: 'ceil({0})' }, doc: 'The smallest whole number not below the value.' },
  // the natural logarithm's name differs between engines
  { name: 'log', kind: 'scalar', args: [arg('number', 'real')], returns: 'real', sql: {}, doc: 'Natural logarithm (null for values ≤ 0).' },
  guarded('log10', 'log10', '> 0', 'Base-10 logarithm (null for values ≤ 0).'),
  guarded('log2', 'log2', '> 0', 'Base-2 logarithm (null for values ≤ 0).'),
  guarded('sqrt', 'sqrt', '>= 0', 'Square root (null for negative values).'),
  realFunction('exp', 'exp(CAST({0} AS DOUBLE))', 'e to the power of the value.'),
  realFunction('exp2', 'pow(2.0, CAST({0} AS DOUBLE))', '2 to the power of the value.'),
  realFunction('exp10', 'pow(10.0, CAST({0} AS DOUBLE))', '10 to the power of the value.'),
  {
    name: 'pow', kind: 'scalar', args: [arg('base', 'real'), arg('exponent', 'real')], returns: 'real',
    sql: { duckdb: 'pow(CAST({0} AS DOUBLE), CAST({1} AS DOUBLE))' }, doc: 'base raised to exponent.',
  },
  { name: 'sign', kind: 'scalar', args: [arg('number', 'numeric')], returns: typeOf(0), sql: { duckdb: 'sign({0})' }, doc: '-1, 0 or 1.' },
  { name: 'pi', kind: 'scalar', args: [], returns: 'real', sql: { duckdb: 'pi()' }, doc: 'The constant π.' },
  { name: 'isnan', kind: 'scalar', args: [arg('number', 'real')], returns: 'bool', sql: {}, doc: 'true for NaN.' },
  { name: 'isinf', kind: 'scalar', args: [arg('number', 'real')], returns: 'bool', sql: {}, doc: 'true for ±infinity.' },
  { name: 'isfinite', kind: 'scalar', args: [arg('number', 'real')], returns: 'bool', sql: {}, doc: 'true unless NaN or ±infinity.' },
  {
    name: 'tohex', kind: 'scalar', args: [arg('value', ['int', 'long']), optional('minLength', 'long')], returns: 'string',
    sql: {},
    doc: 'The number in hexadecimal, optionally zero-padded to minLength.',
  },
];
