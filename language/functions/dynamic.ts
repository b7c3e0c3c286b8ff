/** Functions over dynamic (JSON) values: building bags and arrays, parsing, inspecting. The SQL is each dialect's (duckdb-dynamic.ts). */
import { Codes } from '../syntax/diagnostics.js';
import { arg, type FunctionEntry } from './entry.js';

export const dynamicFunctions: readonly FunctionEntry[] = [
  {
    name: 'bag_pack', aliases: ['pack'], kind: 'scalar', args: [arg('key', 'string'), arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })],
    returns: 'dynamic',
    validate: (args) => args.length % 2 === 0 ? undefined
      : { message: 'bag_pack() expects key/value pairs (an even number of arguments).', code: Codes.wrongArity },
    sql: {}, doc: 'A property bag from key/value pairs.',
  },
  {
    name: 'pack_array', kind: 'scalar', args: [arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })], returns: 'dynamic',
    sql: {}, doc: 'A dynamic array of the values.',
  },
  {
    name: 'array_length', kind: 'scalar', args: [arg('array', 'dynamic')], returns: 'long',
    sql: {},
    doc: 'Number of elements of a dynamic array (null for anything else).',
  },
  {
    name: 'parse_json', aliases: ['todynamic', 'toobject'], kind: 'scalar', args: [arg('json', ['string', 'dynamic'])], returns: 'dynamic',
    sql: {},
    doc: 'The text parsed as JSON.',
  },
  {
    name: 'bag_keys', kind: 'scalar', args: [arg('bag', 'dynamic')], returns: 'dynamic',
    sql: {}, doc: 'The keys of a property bag, as an array.',
  },
  {
    name: 'set_has_element', kind: 'scalar', args: [arg('set', 'dynamic'), arg('value', 'any')], returns: 'bool',
    sql: {},
    doc: 'true when the dynamic array contains the value.',
  },
  { name: 'gettype', kind: 'scalar', args: [arg('value', 'any')], returns: 'string', sql: {}, doc: 'The type name of the value.' },
];
