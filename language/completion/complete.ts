/**
 * Completion: the suggestions for a cursor position, ranked as the reference editor ranks them
 * (literals, aggregates, columns, tables, functions, keywords). Pure: the caller supplies the
 * schema and the compiler through a `CompletionSource`; the editor does the fuzzy filtering.
 */
import type { Range } from '../syntax/diagnostics.js';
import { cursorContext, type CursorContext, type OperatorPart } from './context.js';
import type { ColumnInfo, CompletionSource, FunctionInfo } from './source.js';
import { hardKeywords, infixOperators, joinKinds, renderProperties, sourceKeywords, tabularOperators, visualizations } from './vocabulary.js';

export type SuggestionKind = 'literal' | 'aggregate' | 'column' | 'table' | 'function' | 'keyword' | 'operator';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  /** Type of a column, signature of a function, what an operator does. */
  detail: string;
  documentation?: string;
  insertText: string;
  /** `insertText` holds a snippet placeholder (`$0`). */
  snippet: boolean;
  /** Ask for suggestions again after inserting (after an operator keyword). */
  retrigger: boolean;
  /** Sorts suggestions: kind rank first, then the label. */
  sortText: string;
}

export interface Completion {
  suggestions: Suggestion[];
  /** The range the chosen suggestion replaces: the word typed so far. */
  range: Range;
  context: CursorContext;
}

const rank: Record<SuggestionKind, number> = { literal: 0, aggregate: 1, column: 2, table: 3, function: 4, keyword: 5, operator: 6 };

export function complete(text: string, offset: number, source: CompletionSource): Completion {
  const context = cursorContext(text, offset);
  const suggestions = suggestionsFor(context, source);
  return { suggestions: dedupe(suggestions).sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0)), range: context.wordRange, context };
}

function suggestionsFor(context: CursorContext, source: CompletionSource): Suggestion[] {
  const mode = context.mode;
  switch (mode.kind) {
    case 'none':
      return [];
    case 'source':
      return [...source.tables().map((t) => item(t.name, 'table', `table · ${t.columns.length} columns`, t.description)), ...sourceKeywords.map((k) => keyword(k.name, k.doc, true))];
    case 'operator':
      return tabularOperators.map((o, i) => ({ ...keyword(o.name, o.doc, true), sortText: `${rank.keyword}${String(i).padStart(3, '0')}` }));
    case 'in-operator':
      return partSuggestions(mode.op, mode.part, context, source);
  }
}

function partSuggestions(op: string, part: OperatorPart, context: CursorContext, source: CompletionSource): Suggestion[] {
  const columns = () => columnsInScope(context, source).map(columnItem);
  switch (part) {
    case 'expression':
      return [...columns(), ...functionItems(source, 'scalar')];
    case 'aggregate':
      return [...functionItems(source, 'aggregate'), ...columns(), ...functionItems(source, 'scalar')];
    case 'column-list':
      return columns();
    case 'after-operand':
      return [...infixOperators.map((o) => operatorItem(o.name, o.doc)), ...(op === 'summarize' ? [keyword('by', 'Groups by the columns that follow.', true)] : [])];
    case 'sort-direction':
      return ['asc', 'desc', 'nulls first', 'nulls last'].map((w) => keyword(w, 'Sort direction / null placement.', false));
    case 'by-keyword':
      return [keyword('by', 'The sort keys follow.', true)];
    case 'join-start':
      return [keyword('kind=', 'The join flavour (a bare join is innerunique).', true)];
    case 'join-kind':
      return joinKinds.map((k) => item(k, 'literal', 'join kind'));
    case 'visualization':
      return visualizations.map((v) => item(v, 'literal', 'visualization'));
    case 'render-with':
      return [{ ...keyword('with', 'Chart properties: with (title="…", xcolumn=…, ycolumns=…)', false), insertText: 'with ($0)', snippet: true, retrigger: true }];
    case 'render-property':
      return renderProperties.map((p) => ({ ...item(p, 'literal', 'render property'), insertText: `${p}=`, retrigger: false }));
    case 'nothing':
      return [];
  }
}

/** Columns produced by the pipeline before the cursor's operator; falls back to shorter prefixes while the text does not compile. */
export function columnsInScope(context: CursorContext, source: CompletionSource): readonly ColumnInfo[] {
  let text = context.scopeText;
  while (text !== undefined && text.trim() !== '') {
    const columns = source.columnsOf(text);
    if (columns) return columns;
    const cut = text.lastIndexOf('|');
    text = cut < 0 ? undefined : text.slice(0, cut).trimEnd();
  }
  return [];
}

function columnItem(column: ColumnInfo): Suggestion {
  return { ...item(column.name, 'column', column.type), insertText: quoteName(column.name) };
}

function functionItems(source: CompletionSource, kind: FunctionInfo['kind']): Suggestion[] {
  return source.functions()
    .filter((f) => f.kind === kind)
    .map((f) => ({
      ...item(f.name, kind === 'aggregate' ? 'aggregate' : 'function', f.signature, f.doc),
      insertText: f.noArguments ? `${f.name}()` : `${f.name}($0)`,
      snippet: !f.noArguments,
      retrigger: !f.noArguments,
    }));
}

function item(label: string, kind: SuggestionKind, detail: string, documentation?: string): Suggestion {
  return { label, kind, detail, ...(documentation ? { documentation } : {}), insertText: label, snippet: false, retrigger: false, sortText: `${rank[kind]}${label.toLowerCase()}` };
}

function keyword(name: string, doc: string, retrigger: boolean): Suggestion {
  return { ...item(name, 'keyword', doc), insertText: name.endsWith('=') ? name : `${name} `, retrigger };
}

function operatorItem(name: string, doc: string): Suggestion {
  return { ...item(name, 'operator', doc), insertText: `${name} `, retrigger: true };
}

/** A name that is not a plain identifier, or is a hard keyword, is written `['name']`. */
export function quoteName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !hardKeywords.has(name)) return name;
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function dedupe(suggestions: Suggestion[]): Suggestion[] {
  const seen = new Set<string>();
  return suggestions.filter((s) => {
    const key = `${s.kind}:${s.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
