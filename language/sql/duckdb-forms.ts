/**
 * The DuckDB spellings of the forms shared code asks the dialect for (see SqlForms in
 * dialect.ts): JSON access, lists, QUALIFY, arg_max, unnest, conversions. Part of the DuckDB
 * dialect: with the catalogue's DuckDB column (language/functions/duckdb-*.ts), the only place
 * that writes DuckDB-only SQL.
 */
import { convertTo } from '../functions/duckdb-conversions.js';
import { jsonKeyPath, jsonNullToSqlNull } from '../functions/duckdb-fragments.js';
import type { DynamicAccess, SqlForms } from './dialect.js';

/** E'' would interpret backslashes; a plain literal only needs quotes doubled. NUL cannot be stored. */
export function duckdbStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''").replaceAll('\u0000', '')}'`;
}

const dynamicAccess: DynamicAccess = {
  property: (target, key) => jsonNullToSqlNull(`json_extract(${target}, ${duckdbStringLiteral(jsonKeyPath(key))})`),
  // an empty key needs the JSON Pointer `/` (see jsonKeyPath); `||` keeps a null key null (concat would make it '$.')
  propertyAt: (target, key) =>
    jsonNullToSqlNull(`json_extract(${target}, (CASE WHEN ${key} = '' THEN '/' ELSE '$.' || CAST(to_json(${key}) AS VARCHAR) END))`),
  // a negative index counts from the end
  element: (target, index) => jsonNullToSqlNull(`json_extract(${target}, ${duckdbStringLiteral(index < 0n ? `$[#${index.toString()}]` : `$[${index.toString()}]`)})`),
  // `||`, not concat: a null index must give a null path (concat's '$[]' is a bind error on a constant)
  elementAt: (target, index) =>
    jsonNullToSqlNull(`json_extract(${target}, (CASE WHEN ${index} < 0 THEN '$[#' || ${index} || ']' ELSE '$[' || ${index} || ']' END))`),
};

/** A JSON value as a list of JSON elements: an array's, one {key: value} per property of a bag, else the value alone. */
function jsonElements(sql: string): string {
  return (
    `(CASE json_type(${sql}) WHEN 'ARRAY' THEN CAST(${sql} AS JSON[]) ` +
    `WHEN 'OBJECT' THEN list_transform(json_keys(${sql}), _k -> json_object(_k, json_extract(${sql}, '$."' || replace(_k, '"', '\\"') || '"'))) ` +
    `WHEN 'NULL' THEN CAST([] AS JSON[]) ELSE [CAST(${sql} AS JSON)] END)`
  );
}

function unnestDynamic(lists: readonly string[], names: readonly string[], itemIndex: string | undefined): string[] {
  const elements = lists.map(jsonElements);
  const unnested = elements.map((list, i) => `unnest(${list}) AS ${names[i]}`);
  return itemIndex ? [...unnested, `generate_subscripts(${elements[0]!}, 1) - 1 AS ${itemIndex}`] : unnested;
}

type SharedForms = Pick<
  SqlForms,
  | 'convert' | 'argExtreme' | 'qualify' | 'dynamicAccess' | 'dynamicArrayHas' | 'dynamicArrayTest' | 'inSubqueryIgnoringCase' | 'regexEscape'
  | 'unnestDynamic' | 'orderedDynamicArray' | 'binNumbers'
>;

export const duckdbSharedForms: SharedForms = {
  convert: convertTo,
  argExtreme: (which, value, by) => `arg_${which}(${value}, ${by})`,
  qualify: (select, predicate) => `${select} QUALIFY ${predicate}`,
  dynamicAccess,
  dynamicArrayHas: (array, value, elementType, lowerElements) =>
    lowerElements
      ? `list_contains(list_transform(TRY_CAST(${array} AS VARCHAR[]), lambda v: lower(v)), ${value})`
      : `list_contains(TRY_CAST(${array} AS ${elementType}[]), ${value})`,
  dynamicArrayTest: (array, test, all) =>
    `len(list_filter(TRY_CAST(${array} AS VARCHAR[]), lambda needle: ${test('needle')})) ${all ? `= len(TRY_CAST(${array} AS VARCHAR[]))` : '> 0'}`,
  inSubqueryIgnoringCase: (text, subquery) => `(lower(${text}) IN (SELECT lower(CAST(_in_value AS VARCHAR)) FROM (${subquery}) AS _in_sub(_in_value)))`,
  regexEscape: (text) => `regexp_escape(${text})`,
  unnestDynamic,
  orderedDynamicArray: (value, orderBy) => `to_json(list(${value} ORDER BY ${orderBy}))`,
  binNumbers: (count) => `SELECT _bin FROM range(0, ${count}) AS _g(_bin)`,
};
