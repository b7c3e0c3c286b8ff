/**
 * Cell access straight from Arrow's buffers, by Kusto type. The grid asks only for visible
 * cells; sort, CSV and charts walk a column once. Nothing is copied into row objects.
 *
 * Exact values: long, datetime and timespan are bigint (nanoseconds for the time types, which
 * apache-arrow's own getters would round to milliseconds), int and real are numbers, bool is a
 * boolean, string/guid/decimal/dynamic are text (decimal exact, dynamic as JSON).
 */
import type { Data, Vector } from 'apache-arrow';
import { formatDatetime, formatTimespan } from '../../../language/values/kusto-text.js';
import type { ArrowQueryResult, KustoType, ResultColumn } from './contract.js';

export type CellValue = null | string | number | bigint | boolean;

export interface ColumnCells {
  column: ResultColumn;
  value(row: number): CellValue;
  /** The text the CLI prints (and CSV holds): Kusto datetime/timespan forms, JSON for dynamic, '' for null. */
  text(row: number): string;
}

export function resultCells(result: ArrowQueryResult): ColumnCells[] {
  return result.columns.map((column, index) => {
    const vector = result.table.getChildAt(index);
    if (!vector) throw new Error(`The Arrow table has no column ${index} ('${column.name}').`);
    return columnCells(column, vector);
  });
}

export function columnCells(column: ResultColumn, vector: Vector): ColumnCells {
  const value = isBigIntTime(column.type) ? bigIntReader(vector) : (row: number): CellValue => (vector.get(row) as CellValue) ?? null;
  return { column, value, text: (row) => cellText(column.type, value(row)) };
}

/** The CLI's text of a value of the given Kusto type (language/values/json-text.ts cellText). */
export function cellText(type: KustoType, value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'bigint') {
    if (type === 'datetime') return formatDatetime(value);
    if (type === 'timespan') return formatTimespan(value);
    return value.toString();
  }
  // A dynamic string travels as JSON text ("\"a\""); the CLI prints the string itself.
  if (type === 'dynamic' && typeof value === 'string' && value.startsWith('"')) return JSON.parse(value) as string;
  return String(value);
}

export function isNumericType(type: KustoType): boolean {
  return type === 'int' || type === 'long' || type === 'real' || type === 'decimal';
}

/** A value as a chart coordinate: numbers as numbers, datetimes as epoch milliseconds. */
export function cellNumber(type: KustoType, value: CellValue): number | null {
  if (value === null) return null;
  if (typeof value === 'bigint') return type === 'datetime' || type === 'timespan' ? Number(value / 1_000_000n) : Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function isBigIntTime(type: KustoType): boolean {
  return type === 'datetime' || type === 'timespan';
}

/** Reads 64-bit values from the chunks' BigInt64Array buffers, remembering the last chunk hit. */
function bigIntReader(vector: Vector): (row: number) => bigint | null {
  const chunks = vector.data as Data[];
  const starts: number[] = [];
  let total = 0;
  for (const chunk of chunks) {
    starts.push(total);
    total += chunk.length;
  }
  let last = 0;
  return (row) => {
    if (row < 0 || row >= total) return null;
    if (row < starts[last]! || row >= starts[last]! + chunks[last]!.length) last = chunkOf(starts, row);
    const chunk = chunks[last]!;
    const index = row - starts[last]!;
    if (!chunk.getValid(index)) return null;
    // Arrow slices `values` to the chunk (the offset only applies to the null bitmap).
    return (chunk.values as BigInt64Array)[index]!;
  };
}

function chunkOf(starts: number[], row: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= row) low = mid;
    else high = mid - 1;
  }
  return low;
}
