/**
 * CSV export as the CLI writes it (language/values/format.ts): a header row, then one record per
 * row, RFC 4180 quoting, CRLF after every record, values in the CLI's text forms.
 */
import { csvField } from '../../../language/values/format.js';
import { resultCells } from './cells.js';
import type { ArrowQueryResult } from './contract.js';

/** `order` lists the rows to write (the grid's sort); the query's order when omitted. */
export function resultCsv(result: ArrowQueryResult, order?: ArrayLike<number>): string {
  const cells = resultCells(result);
  const newline = '\r\n';
  const lines = [result.columns.map((column) => csvField(column.name)).join(',')];
  const count = order ? order.length : result.rowCount;
  for (let i = 0; i < count; i++) {
    const row = order ? order[i]! : i;
    lines.push(cells.map((column) => csvField(column.text(row))).join(','));
  }
  return lines.join(newline) + newline;
}

/** A file name for the download: `results-2024-01-01T10-00-00.csv`. */
export function csvFileName(now: Date): string {
  return `results-${now.toISOString().slice(0, 19).replaceAll(':', '-')}.csv`;
}
