/** Column widths and the visible row window of the virtualised grid (fixed row height). */
import type { ColumnCells } from './cells.js';
import { isNumericType } from './cells.js';
import type { KustoType } from './contract.js';

export const ROW_HEIGHT = 26;
const OVERSCAN = 10;
const CHAR_WIDTH = 8;
const SAMPLE_ROWS = 200;

/** Widths from the header and the first rows' text: enough for typical values, capped for long ones. */
export function columnWidths(cells: ColumnCells[], rowCount: number): number[] {
  return cells.map((column) => {
    let longest = column.column.name.length + 3;
    for (let row = 0; row < Math.min(rowCount, SAMPLE_ROWS); row++) longest = Math.max(longest, column.text(row).length);
    const max = column.column.type === 'dynamic' || column.column.type === 'string' ? 420 : 260;
    return Math.round(Math.min(max, Math.max(64, longest * CHAR_WIDTH + 20)));
  });
}

export interface RowWindow {
  first: number;
  last: number;
}

/** The row positions to render for a scroll position: the visible ones plus a margin either side. */
export function rowWindow(scrollTop: number, viewportHeight: number, rowCount: number): RowWindow {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

/** The scrollTop that brings a row position into view (unchanged when it already is). */
export function scrollToRow(position: number, scrollTop: number, viewportHeight: number): number {
  const top = position * ROW_HEIGHT;
  if (top < scrollTop) return top;
  if (top + ROW_HEIGHT > scrollTop + viewportHeight) return top + ROW_HEIGHT - viewportHeight;
  return scrollTop;
}

export function alignsRight(type: KustoType): boolean {
  return isNumericType(type) || type === 'timespan';
}
