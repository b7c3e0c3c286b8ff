/**
 * Conversions between Kusto types. Every conversion returns null on bad input, never an
 * error, because Kusto's `toint("abc")` is null, not a failed query. The SQL is the dialect's
 * `forms.convert` (the DuckDB one is duckdb-conversions.ts).
 */
import type { ScalarType } from '../schema/types.js';
import { arg, type FunctionEntry } from './entry.js';
import type { FunctionName } from './names.js';

function conversion(name: FunctionName, type: ScalarType, doc: string, aliases?: string[]): FunctionEntry {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    kind: 'scalar',
    args: [arg('value', 'any')],
    returns: type,
    sql: { duckdb: (args, ctx) => ctx.dialect.forms.convert(args[0]!, type, ctx) },
    doc,
  };
}

export const conversionFunctions: readonly FunctionEntry[] = [
  conversion('tostring', 'string', 'The value as text; null becomes "".'),
  conversion('toint', 'int', 'The value as int, or null if it does not convert.'),
  conversion('tolong', 'long', 'The value as long, or null if it does not convert.'),
  conversion('todouble', 'real', 'The value as real, or null if it does not convert.', ['toreal']),
  conversion('todecimal', 'decimal', 'The value as decimal, or null if it does not convert.'),
  conversion('tobool', 'bool', 'true/false from "true"/"false", 1/0 or a number; null otherwise.', ['toboolean']),
  conversion('toguid', 'guid', 'The text as a guid, or null if it is not one.'),
  conversion('todatetime', 'datetime', 'The text as a datetime, or null if it is not one.'),
  conversion('totimespan', 'timespan', 'The text ([d.]hh:mm:ss) as a timespan, or null.'),
];

/** The Kusto type named by `typeof(T)` text, for extract()'s optional typed result. */
export function typeFromName(name: string): ScalarType | undefined {
  const aliases: Record<string, ScalarType> = {
    bool: 'bool', boolean: 'bool', int: 'int', long: 'long', real: 'real', double: 'real', decimal: 'decimal',
    string: 'string', datetime: 'datetime', date: 'datetime', timespan: 'timespan', time: 'timespan',
    guid: 'guid', uniqueid: 'guid', dynamic: 'dynamic',
  };
  return aliases[name.replace(/^typeof\((.*)\)$/, '$1').trim().toLowerCase()];
}
