/**
 * Window functions over serialized rows (after `serialize`, `sort` or `top`): the rows are
 * numbered and neighbours read in the order the pipeline gave them, so `OVER ()` has no ORDER BY.
 */
import { arg, optional, typeOf, type FunctionEntry } from './entry.js';

export const windowFunctions: readonly FunctionEntry[] = [
  {
    name: 'row_number', kind: 'scalar', args: [optional('start', 'long')], returns: 'long',
    // row_number(start) counts from `start` (1 by default)
    sql: { duckdb: (args) => (args[0] ? `(row_number() OVER () - 1 + ${args[0].sql})` : 'row_number() OVER ()') },
    doc: 'The row number in the serialized row order, from 1 (or from start).',
  },
  {
    name: 'prev', kind: 'scalar', args: [arg('column', 'scalar'), optional('offset', 'long', { constant: true }), optional('default', 'scalar')], returns: typeOf(0),
    sql: { duckdb: (args) => `lag(${args.map((a) => a.sql).join(', ')}) OVER ()` },
    doc: 'The value of a column in an earlier row (offset 1 by default).',
  },
  {
    name: 'next', kind: 'scalar', args: [arg('column', 'scalar'), optional('offset', 'long', { constant: true }), optional('default', 'scalar')], returns: typeOf(0),
    sql: { duckdb: (args) => `lead(${args.map((a) => a.sql).join(', ')}) OVER ()` },
    doc: 'The value of a column in a later row (offset 1 by default).',
  },
];
