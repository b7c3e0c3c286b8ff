/**
 * JSON text for result values. Longs beyond 2^53 arrive as bigint and must print as exact JSON
 * numbers, which JSON.stringify cannot do (it throws on bigint); Node 20 has no JSON.rawJSON.
 */
import type { ResultValue } from './result.js';

/** Exact JSON of any result value, bigints included, at any depth. */
export function exactJson(value: ResultValue | undefined): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(exactJson).join(',')}]`;
  const members = Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}:${exactJson(member)}`);
  return `{${members.join(',')}}`;
}

/** JSON of one row: the built-in serializer's speed, the exact one's output when a bigint is present. */
export function rowJson(row: readonly ResultValue[]): string {
  try {
    return JSON.stringify(row);
  } catch {
    // Only a bigint makes JSON.stringify throw on result values; rare enough to pay for the throw.
    return `[${row.map(exactJson).join(',')}]`;
  }
}

/** The text a value shows as in a CSV field or a table cell: JSON for dynamic, nothing for null. */
export function cellText(value: ResultValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return exactJson(value);
  return String(value);
}
