/** The DuckDB column of the dynamic functions (dynamic.ts) and of the null tests (conditionals.ts): JSON values. */
import { toJsonValueSql, toStringSql } from './duckdb-fragments.js';
import type { FunctionOverrides } from './entry.js';
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

export const duckdbDynamicSql: FunctionOverrides = {
  bag_pack: packSql,
  pack_array: (args, ctx) => `json_array(${args.map((a) => toJsonValueSql(a, ctx)).join(', ')})`,
  // null when the value is not an array
  array_length: "(CASE WHEN json_type({0}) = 'ARRAY' THEN CAST(json_array_length({0}) AS BIGINT) ELSE NULL END)",
  // text that is not JSON becomes a dynamic string rather than an error
  parse_json: (args) => args[0]!.type === 'dynamic' ? args[0]!.sql
    : `(CASE WHEN json_valid(${args[0]!.sql}) THEN CAST(${args[0]!.sql} AS JSON) ELSE to_json(${args[0]!.sql}) END)`,
  bag_keys: "(CASE WHEN json_type({0}) = 'OBJECT' THEN to_json(json_keys({0})) ELSE NULL END)",
  // The cast: on a constant null DuckDB binds json_extract(…, '$[*]') as VARCHAR, not a list.
  set_has_element: (args, ctx) => `coalesce(list_contains(CAST(json_extract(${args[0]!.sql}, '$[*]') AS JSON[]), ${toJsonValueSql(args[1]!, ctx)}), false)`,
  gettype: gettypeSql,
};

function isNullSql(a: SqlArg): string {
  // Kusto has one null for dynamic: a JSON null counts as null too
  return a.type === 'dynamic' ? `(${a.sql} IS NULL OR json_type(${a.sql}) = 'NULL')` : `(${a.sql} IS NULL)`;
}

function isEmptySql(a: SqlArg): string {
  // isempty("") is true (and isnull("") false): strings are never null, empty is their missing value
  return a.type === 'string' ? `coalesce(${a.sql} = '', true)` : isNullSql(a);
}

export const duckdbNullTestSql: FunctionOverrides = {
  coalesce: (args) => {
    // for strings Kusto's coalesce skips empty values too, and the result is never null
    if (args[0]!.type === 'string') return `coalesce(${args.map((a) => `nullif(${a.sql}, '')`).join(', ')}, '')`;
    if (args[0]!.type === 'dynamic') return `coalesce(${args.map((a) => `nullif(${a.sql}, CAST('null' AS JSON))`).join(', ')})`;
    return `coalesce(${args.map((a) => a.sql).join(', ')})`;
  },
  isnull: (args) => isNullSql(args[0]!),
  isnotnull: (args) => `(NOT ${isNullSql(args[0]!)})`,
  isempty: (args) => isEmptySql(args[0]!),
  isnotempty: (args) => `(NOT ${isEmptySql(args[0]!)})`,
};
