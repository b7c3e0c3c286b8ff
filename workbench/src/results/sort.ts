/**
 * Sorting the grid sorts row indices, never the data: one pass reads the column into a key
 * array, then a stable index sort compares keys. Nulls sort lowest (first ascending, last
 * descending, as Kusto's `sort by … asc/desc` places them by default); strings compare
 * ordinally, like Kusto's sort.
 */
import type { ColumnCells } from './cells.js';

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  column: number;
  direction: SortDirection;
}

export function sortedOrder(cells: ColumnCells, rowCount: number, direction: SortDirection): Uint32Array {
  const keys = new Array<string | number | bigint | boolean | null>(rowCount);
  for (let row = 0; row < rowCount; row++) keys[row] = cells.value(row);
  const sign = direction === 'asc' ? 1 : -1;
  const order = Array.from({ length: rowCount }, (_, row) => row);
  order.sort((a, b) => sign * compareKeys(keys[a]!, keys[b]!));
  return Uint32Array.from(order);
}

function compareKeys(a: string | number | bigint | boolean | null, b: string | number | bigint | boolean | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  // NaN is neither below nor above a number; keep it beside the nulls so the order stays total.
  if (typeof a === 'number' && Number.isNaN(a)) return Number.isNaN(b as number) ? 0 : -1;
  if (typeof b === 'number' && Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The next sort when a header is clicked: ascending, then descending, then the query's order. */
export function nextSort(current: SortState | null, column: number): SortState | null {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}
