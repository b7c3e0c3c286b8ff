/** An aligned text table for terminals: headers, a rule, padded cells, and a row-count footer. */
import { isNumeric, type Column } from '../schema/types.js';
import { cellText } from './json-text.js';
import type { QueryResult } from './result.js';

export interface TableOptions {
  /** The widest a column may be, in characters; longer values end in "…". Default 60. */
  maxWidth?: number;
  /** ANSI styling: bold headers, dim rule and footer. */
  color?: boolean;
}

const DEFAULT_MAX_WIDTH = 60;
const GAP = '  ';
const ELLIPSIS = '…';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export function formatTable(result: QueryResult, options: TableOptions = {}): string {
  const maxWidth = Math.max(1, options.maxWidth ?? DEFAULT_MAX_WIDTH);
  const style = options.color ? styled : plain;
  const headers = result.columns.map((column) => fit(oneLine(column.name), maxWidth));
  const cells = result.rows.map((row) => row.map((value) => fit(oneLine(cellText(value)), maxWidth)));
  const widths = columnWidths(headers, cells);
  const rightAligned = result.columns.map((column: Column) => isNumeric(column.type));

  const lines: string[] = [];
  if (result.columns.length > 0) {
    lines.push(style.header(joinCells(headers, widths, rightAligned)));
    lines.push(style.dim(widths.map((width) => '-'.repeat(width)).join(GAP)));
    for (const row of cells) lines.push(joinCells(row, widths, rightAligned));
  }
  lines.push(style.dim(footer(result)));
  return lines.join('\n') + '\n';
}

function columnWidths(headers: readonly string[], cells: readonly string[][]): number[] {
  const widths = headers.map(textWidth);
  for (const row of cells) {
    for (let c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c]!, textWidth(row[c] ?? ''));
  }
  return widths;
}

function footer(result: QueryResult): string {
  const count = result.rows.length;
  const rows = `${count} ${count === 1 ? 'row' : 'rows'}`;
  return result.truncated ? `${rows} (truncated at ${count} rows)` : rows;
}

function joinCells(cells: readonly string[], widths: readonly number[], rightAligned: readonly boolean[]): string {
  const padded = widths.map((width, c) => {
    const text = cells[c] ?? '';
    const padding = ' '.repeat(width - textWidth(text));
    return rightAligned[c] ? padding + text : text + padding;
  });
  return padded.join(GAP).trimEnd();
}

// Line breaks and tabs would tear the grid apart; show them as escapes instead.
const CONTROL = /[\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function oneLine(text: string): string {
  return text.replace(CONTROL, (ch) => ESCAPES[ch] ?? ch);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Width in code points (so an emoji counts once); East Asian wide characters are not measured. */
function textWidth(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

function fit(text: string, maxWidth: number): string {
  if (textWidth(text) <= maxWidth) return text;
  return Array.from(text).slice(0, maxWidth - 1).join('') + ELLIPSIS;
}

interface Style {
  header(text: string): string;
  dim(text: string): string;
}

const plain: Style = { header: (text) => text, dim: (text) => text };
const styled: Style = { header: (text) => BOLD + text + RESET, dim: (text) => DIM + text + RESET };
