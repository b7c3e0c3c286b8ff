/**
 * Small accessors over Chevrotain's CST children dictionaries. After error recovery any child
 * may be missing and inserted tokens carry NaN offsets, so every accessor tolerates absence.
 */
import type { CstChildrenDictionary, CstElement, CstNode, IToken } from 'chevrotain';
import type { ErrorExpr } from './ast.js';
import type { Range } from './diagnostics.js';

export type Ctx = CstChildrenDictionary;

function isNode(element: CstElement): element is CstNode {
  return 'children' in element;
}

const none: never[] = [];

// These run for every node of every parse: plain loops, no intermediate arrays.

/** The child nodes under a rule name (a key holds either rule nodes or tokens, never both). */
export function nodes(ctx: Ctx, key: string): CstNode[] {
  const list = ctx[key];
  return list && list.length > 0 && isNode(list[0]!) ? (list as CstNode[]) : none;
}

export function node(ctx: Ctx, key: string, index = 0): CstNode | undefined {
  const element = ctx[key]?.[index];
  return element && isNode(element) ? element : undefined;
}

/** The tokens under a token type name, without those recovery inserted. */
export function tokens(ctx: Ctx, key: string): IToken[] {
  const list = ctx[key];
  if (!list) return none;
  const result: IToken[] = [];
  for (const e of list) if (!isNode(e) && isReal(e)) result.push(e);
  return result;
}

export function token(ctx: Ctx, key: string): IToken | undefined {
  const list = ctx[key];
  if (!list) return undefined;
  for (const e of list) if (!isNode(e) && isReal(e)) return e;
  return undefined;
}

/** A token recovery inserted has no place in the text. */
function isReal(t: IToken): boolean {
  return !Number.isNaN(t.startOffset);
}

export function tokenRange(t: IToken): Range {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

/** A node's range, or `fallback` when recovery left it without located tokens. */
export function nodeRange(n: CstNode, fallback: Range): Range {
  const loc = n.location;
  if (!loc || Number.isNaN(loc.startOffset) || loc.endOffset === undefined || Number.isNaN(loc.endOffset)) {
    return fallback;
  }
  return { start: loc.startOffset, end: loc.endOffset + 1 };
}

export function span(from: Range, to: Range): Range {
  return { start: Math.min(from.start, to.start), end: Math.max(from.end, to.end) };
}

/** An empty range just after `range`: where something missing should have been. */
export function after(range: Range): Range {
  return { start: range.end, end: range.end };
}

export function errorExpr(range: Range): ErrorExpr {
  return { kind: 'error', range };
}
