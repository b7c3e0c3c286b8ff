/** Functions over dynamic (JSON) values: building bags and arrays, parsing, inspecting. */
import { Codes } from '../syntax/diagnostics.js';
import { arg, type FunctionEntry } from './entry.js';
import { toJsonValueSql, toStringSql } from './duckdb-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

function packSql(args: SqlArg[], ctx: EmitContext): string {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) pairs.push(`${toStringSql(args[i]!, ctx)}, ${toJsonValueSql(args[i + 1]!, ctx)}`);
  return `json_object(${pairs.join(', ')})`;
}

/** Kusto's name for the type of a value; for dynamic values, of the value inside. */
function gettypeSql(args: SqlArg[]): string {
  const a = args[0]!;
  if (a.type !== 'dynamic') {
    const name = a.type === 'bool' ? 'bool' : a.type === 'decimal' ? 'decimal' : a.type;
    return `'${name}'`;
  }
  return `coalesce(CASE json_type(${a.sql}) WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' WHEN 'VARCHAR' THEN 'string' ` +
    `WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'NULL' THEN 'null' END, 'null')`;
}

export const dynamicFunctions: readonly FunctionEntry[] = [
  {
    name: 'bag_pack', aliases: ['pack'], kind: 'scalar', args: [arg('key', 'string'), arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })],
    returns: 'dynamic',
    validate: (args) => args.length % 2 === 0 ? undefined
      : { message: 'bag_pack() expects key/value pairs (an even number of arguments).', code: Codes.wrongArity },
    sql: { duckdb: packSql }, doc: 'A property bag from key/value pairs.',
  },
  {
    name: 'pack_array', kind: 'scalar', args: [arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })], returns: 'dynamic',
    sql: { duckdb: (args, ctx) => `json_array(${args.map((a) => toJsonValueSql(a, ctx)).join(', ')})` }, doc: 'A dynamic array of the values.',
  },
  {
    name: 'array_length', kind: 'scalar', args: [arg('array', 'dynamic')], returns: 'long',
    // null when the value is not an array
    sql: { duckdb: "(CASE WHEN json_type({0}) = 'ARRAY' THEN CAST(json_array_length({0}) AS BIGINT) ELSE NULL END)" },
    doc: 'Number of elements of a dynamic array (null for anything else).',
  },
  {
    name: 'parse_json', aliases: ['todynamic', 'toobject'], kind: 'scalar', args: [arg('json', ['string', 'dynamic'])], returns: 'dynamic',
    sql: {
      // text that is not JSON becomes a dynamic string rather than an error
      duckdb: (args) => args[0]!.type === 'dynamic' ? args[0]!.sql
        : `(CASE WHEN json_valid(${args[0]!.sql}) THEN CAST(${args[0]!.sql} AS JSON) ELSE to_json(${args[0]!.sql}) END)`,
    },
    doc: 'The text parsed as JSON.',
  },
  {
    name: 'bag_keys', kind: 'scalar', args: [arg('bag', 'dynamic')], returns: 'dynamic',
    sql: { duckdb: "(CASE WHEN json_type({0}) = 'OBJECT' THEN to_json(json_keys({0})) ELSE NULL END)" }, doc: 'The keys of a property bag, as an array.',
  },
  {
    name: 'set_has_element', kind: 'scalar', args: [arg('set', 'dynamic'), arg('value', 'any')], returns: 'bool',
    // The cast: on a constant null DuckDB binds json_extract(…, '$[*]') as VARCHAR, not a list.
    sql: { duckdb: (args, ctx) => `coalesce(list_contains(CAST(json_extract(${args[0]!.sql}, '$[*]') AS JSON[]), ${toJsonValueSql(args[1]!, ctx)}), false)` },
    doc: 'true when the dynamic array contains the value.',
  },
  { name: 'gettype', kind: 'scalar', args: [arg('value', 'any')], returns: 'string', sql: { duckdb: gettypeSql }, doc: 'The type name of the value.' },
];
