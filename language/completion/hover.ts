/** Hover: what the name under the cursor is — a column's type, a function's signature, a table's description. */
import type { Range } from '../syntax/diagnostics.js';
import { columnsInScope } from './complete.js';
import { cursorContext, isNameToken, tokensOf } from './context.js';
import type { CompletionSource } from './source.js';

export interface HoverInfo {
  range: Range;
  /** Markdown. */
  contents: string;
}

export function hoverAt(text: string, offset: number, source: CompletionSource): HoverInfo | undefined {
  const { tokens } = tokensOf(text);
  const index = tokens.findIndex((t) => t.start <= offset && offset < t.end);
  const tok = tokens[index];
  if (!tok || !isNameToken(tok)) return undefined;
  const range = { start: tok.start, end: tok.end };
  const isCall = tokens[index + 1]?.type === 'LParen';
  const fn = source.functions().find((f) => f.name === tok.image);
  if (fn && isCall) return { range, contents: functionHover(fn.signature, fn.doc, fn.kind) };
  const context = cursorContext(text, tok.end);
  if (context.mode.kind === 'source') {
    const table = source.tables().find((t) => t.name === tok.image);
    if (table) return { range, contents: `**${table.name}** (table, ${table.columns.length} columns)\n\n${table.description}` };
  }
  const column = columnsInScope(context, source).find((c) => c.name === tok.image);
  if (column) return { range, contents: `**${column.name}**: \`${column.type}\` (column)` };
  if (fn) return { range, contents: functionHover(fn.signature, fn.doc, fn.kind) };
  return undefined;
}

function functionHover(signature: string, doc: string, kind: string): string {
  return `\`${signature}\` (${kind === 'aggregate' ? 'aggregate function' : 'function'})\n\n${doc}`;
}
