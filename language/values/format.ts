/** The CLI's output formats: exact JSON, RFC 4180 CSV, and (format-table.ts) an aligned text table. */
import { cellText, rowJson } from './json-text.js';
import type { QueryResult } from './result.js';

export { formatTable, type TableOptions } from './format-table.js';

/**
 * `{"columns":[{"name":…,"type":…}],"rows":[[…]],"truncated":false,"render":null|{…}}`, no
 * whitespace, longs beyond 2^53 as exact numbers.
 */
export function formatJson(result: QueryResult): string {
  const columns = JSON.stringify(result.columns.map(({ name, type }) => ({ name, type })));
  const rows = result.rows.map(rowJson).join(',');
  const render = JSON.stringify(result.render);
  return `{"columns":${columns},"rows":[${rows}],"truncated":${result.truncated},"render":${render}}`;
}

export interface CsvOptions {
  /** Record separator; RFC 4180 says CRLF. */
  newline?: string;
}

/** A header row, then one record per row; every record (the last too) ends with the newline. */
export function formatCsv(result: QueryResult, options: CsvOptions = {}): string {
  const newline = options.newline ?? '\r\n';
  const lines = [result.columns.map((column) => csvField(column.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((value) => csvField(cellText(value))).join(','));
  return lines.join(newline) + newline;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
