/**
 * Where the cursor is, in terms completion cares about: which word is being typed, which
 * pipeline it belongs to, the text of that pipeline up to its last `|` (whose output columns are
 * the names in scope), and which operator and which part of it the cursor is in.
 *
 * Works on tokens from the grammar's own lexer, tolerating unfinished text: brackets open at
 * the cursor start nested frames; a frame with pipes (or a query's top level, or `in (`) is a
 * pipeline, any other bracket is an expression inside the enclosing pipeline's operator.
 */
import { lex } from '../syntax/lexer.js';
import type { Range } from '../syntax/diagnostics.js';

export interface Tok {
  /** Token type name from tokens.ts (`Identifier`, `Pipe`, `Where` …). */
  type: string;
  image: string;
  start: number;
  end: number;
}

export type CursorMode =
  | { kind: 'none' }
  | { kind: 'source' }
  | { kind: 'operator' }
  /** Inside operator `op`; `part` says what may come next. */
  | { kind: 'in-operator'; op: string; part: OperatorPart };

export type OperatorPart =
  | 'expression' // a value: columns, functions
  | 'aggregate' // summarize before `by`: aggregates first
  | 'column-list' // plain column names
  | 'after-operand' // an operand is complete: infix operators
  | 'sort-direction' // after a sort key: asc/desc/nulls
  | 'by-keyword' // sort/top before `by`
  | 'join-kind' // after `kind=`
  | 'join-start' // right after join/lookup
  | 'visualization' // right after render
  | 'render-with' // after the visualization
  | 'render-property' // inside with (…)
  | 'nothing';

export interface CursorContext {
  mode: CursorMode;
  /** The word being typed (possibly empty) and its range; completion replaces this range. */
  word: string;
  wordRange: Range;
  /** A complete query whose output columns are in scope at the cursor; undefined at a source. */
  scopeText?: string;
  /** Inside a function call's parentheses: the function's name. */
  callee?: string;
}

interface Frame {
  /** Token index of the opening bracket, -1 for the top level. */
  open: number;
  /** First token index of the frame's current statement. */
  first: number;
  pipes: number[];
}

const none = (wordRange: Range, word = ''): CursorContext => ({ mode: { kind: 'none' }, word, wordRange });

const OPENERS = new Set(['LParen', 'LBracket', 'LCurly']);
const CLOSERS = new Set(['RParen', 'RBracket', 'RCurly']);
const SUBQUERY_OPENERS = new Set(['In', 'NotIn', 'InCi', 'NotInCi', 'Join', 'Lookup', 'Union', 'LParen', 'Comma']);
const OPERAND_ENDS = new Set(['Identifier', 'StringLiteral', 'NumberLiteral', 'TimespanLiteral', 'TimespanCall', 'DatetimeLiteral', 'GuidLiteral', 'Bool', 'RParen', 'RBracket']);

export function tokensOf(text: string): { tokens: Tok[]; comments: Tok[] } {
  const { tokens, comments } = lex(text);
  const toTok = (t: (typeof tokens)[number]): Tok => ({ type: t.tokenType.name, image: t.image, start: t.startOffset, end: t.startOffset + t.image.length });
  return { tokens: tokens.map(toTok), comments: comments.map(toTok) };
}

/** Whether a token (by its type) reads as a name: identifiers and the soft keywords. */
export function isNameToken(tok: Tok): boolean {
  return /^[A-Za-z_$][\w-]*$/.test(tok.image);
}

export function cursorContext(text: string, offset: number): CursorContext {
  const { tokens, comments } = tokensOf(text);
  const here: Range = { start: offset, end: offset };
  if (comments.some((c) => c.start < offset && offset <= c.end)) return none(here);
  const touching = tokens.find((t) => t.start < offset && offset <= t.end);
  if (touching && !isNameToken(touching)) {
    // Inside a string or a literal, nothing to complete; right after punctuation, a new word starts.
    if (offset < touching.end || /Literal|String|Call/.test(touching.type)) return none(here);
  }
  const wordTok = touching && isNameToken(touching) ? touching : undefined;
  const word = wordTok ? text.slice(wordTok.start, offset) : '';
  const wordRange: Range = wordTok ? { start: wordTok.start, end: offset } : here;
  const before = tokens.filter((t) => t.end <= wordRange.start && t !== wordTok);
  const frames = framesOf(before);
  return { ...contextIn(text, before, frames), word, wordRange };
}

function framesOf(tokens: Tok[]): Frame[] {
  const stack: Frame[] = [{ open: -1, first: 0, pipes: [] }];
  tokens.forEach((tok, i) => {
    const top = stack[stack.length - 1]!;
    if (OPENERS.has(tok.type)) stack.push({ open: i, first: i + 1, pipes: [] });
    else if (CLOSERS.has(tok.type)) {
      if (stack.length > 1) stack.pop();
    } else if (tok.type === 'Pipe') top.pipes.push(i);
    else if (tok.type === 'Semicolon') {
      top.first = i + 1;
      top.pipes = [];
    }
  });
  return stack;
}

type Partial = Omit<CursorContext, 'word' | 'wordRange'>;

function contextIn(text: string, tokens: Tok[], frames: Frame[]): Partial {
  const frame = frames[frames.length - 1]!;
  if (isPipelineFrame(tokens, frame)) return pipelineContext(text, tokens, frames, frames.length - 1, undefined);
  // An expression inside brackets: the enclosing pipeline decides; a call's arguments are values.
  let index = frames.length - 1;
  while (index > 0 && !isPipelineFrame(tokens, frames[index]!)) index--;
  const opener = tokens[frame.open - 1];
  const callee = opener && isNameToken(opener) && !/^(with|in|by|on)$/i.test(opener.image) ? opener.image : undefined;
  return pipelineContext(text, tokens, frames, index, { frame, callee, opener });
}

interface Inner {
  frame: Frame;
  callee: string | undefined;
  opener: Tok | undefined;
}

function isPipelineFrame(tokens: Tok[], frame: Frame): boolean {
  if (frame.open < 0 || frame.pipes.length > 0) return true;
  const bracket = tokens[frame.open]!;
  const opener = tokens[frame.open - 1];
  // `in (`, `join (`, `((` …: a subquery may start here, but only while the frame is still empty
  // or starts with a name (a table); `in ("a", "b")` is a list.
  if (bracket.type !== 'LParen' || !opener || !SUBQUERY_OPENERS.has(opener.type)) return false;
  const first = tokens[frame.first];
  return first === undefined || (isNameToken(first) && tokens[frame.first + 1]?.type !== 'LParen');
}

function pipelineContext(text: string, tokens: Tok[], frames: Frame[], index: number, inner: Inner | undefined): Partial {
  const frame = frames[index]!;
  let first = frame.first;
  // `let name = <pipeline>`: the pipeline starts after `=`.
  if (tokens[first]?.type === 'Let') {
    const equals = tokens.findIndex((t, i) => i > first && t.type === 'Equals');
    if (equals < 0) return { mode: { kind: 'none' } };
    first = equals + 1;
  }
  const end = inner ? inner.frame.open : tokens.length;
  const pipes = frame.pipes.filter((p) => p >= first && p < end);
  if (pipes.length === 0) {
    const hasTokens = first < end;
    return hasTokens ? sourceExpression(tokens[first]!) : { mode: { kind: 'source' } };
  }
  const lastPipe = pipes[pipes.length - 1]!;
  const scopeText = leadText(text, tokens, frame) + text.slice(tokens[first]!.start, tokens[lastPipe]!.start).trimEnd();
  const opTokens = levelTokens(tokens, lastPipe + 1, end);
  if (opTokens.length === 0) return { mode: { kind: 'operator' }, scopeText };
  const op = opTokens[0]!.image.toLowerCase();
  const part = inner ? innerPart(op, inner, tokens) : operatorPart(op, opTokens, tokens.at(-1)!);
  return { mode: { kind: 'in-operator', op, part }, scopeText, ...(inner?.callee ? { callee: inner.callee } : {}) };
}

/** `print x = …`, `range … from …`: values, with no columns in scope. */
function sourceExpression(head: Tok): Partial {
  if (head.type === 'Print' || head.type === 'Range') return { mode: { kind: 'in-operator', op: head.type.toLowerCase(), part: 'expression' } };
  return { mode: { kind: 'none' } };
}

/** Complete `let …;` statements before the frame's statement, so lets stay bound in the scope query. */
function leadText(text: string, tokens: Tok[], frame: Frame): string {
  if (frame.open >= 0 || frame.first === 0) return '';
  const semicolon = tokens[frame.first - 1]!;
  return text.slice(0, semicolon.end) + '\n';
}

/** Tokens in [from, to) that are not inside brackets opened within that span. */
function levelTokens(tokens: Tok[], from: number, to: number): Tok[] {
  const out: Tok[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const tok = tokens[i]!;
    if (CLOSERS.has(tok.type)) depth = Math.max(0, depth - 1);
    if (depth === 0) out.push(tok);
    if (OPENERS.has(tok.type)) depth++;
  }
  return out;
}

const COLUMN_LIST_OPS = new Set(['project-away', 'project-keep', 'project-reorder', 'project-rename', 'distinct', 'mv-expand']);
const EXPRESSION_OPS = new Set(['where', 'filter', 'project', 'extend', 'serialize', 'parse', 'print', 'range']);

function operatorPart(op: string, opTokens: Tok[], last: Tok): OperatorPart {
  const afterOperand = OPERAND_ENDS.has(last.type) && last !== opTokens[0];
  const hasBy = opTokens.some((t) => t.type === 'By');
  switch (op) {
    case 'where':
    case 'filter':
    case 'project':
    case 'extend':
    case 'serialize':
    case 'parse':
      return afterOperand ? 'after-operand' : 'expression';
    case 'summarize':
    case 'make-series':
      if (afterOperand) return 'after-operand';
      return hasBy ? 'expression' : 'aggregate';
    case 'sort':
    case 'order':
    case 'top':
      if (!hasBy) return op === 'top' && opTokens.length > 1 ? 'by-keyword' : op === 'top' ? 'nothing' : 'by-keyword';
      return afterOperand && last.type !== 'By' ? 'sort-direction' : 'expression';
    case 'join':
    case 'lookup':
      return joinPart(opTokens, last);
    case 'render':
      return opTokens.length === 1 ? 'visualization' : opTokens.length === 2 ? 'render-with' : 'nothing';
    default:
      if (COLUMN_LIST_OPS.has(op)) return afterOperand ? 'nothing' : 'column-list';
      return EXPRESSION_OPS.has(op) ? 'expression' : 'nothing';
  }
}

function joinPart(opTokens: Tok[], last: Tok): OperatorPart {
  if (opTokens.some((t) => t.type === 'On')) return OPERAND_ENDS.has(last.type) && last.type !== 'On' ? 'nothing' : 'column-list';
  if (last.type === 'Equals' && opTokens.at(-2)?.image === 'kind') return 'join-kind';
  return opTokens.length === 1 ? 'join-start' : 'nothing';
}

/** Inside brackets within operator `op`: call arguments and groups are values. */
function innerPart(op: string, inner: Inner, tokens: Tok[]): OperatorPart {
  if (op === 'render' && inner.opener?.type === 'With') return 'render-property';
  const last = tokens.at(-1)!;
  const isInside = tokens.indexOf(last) > inner.frame.open;
  if (isInside && OPERAND_ENDS.has(last.type)) return 'after-operand';
  if (op === 'summarize' && !inner.callee && !tokens.slice(0, inner.frame.open).some((t) => t.type === 'By')) return 'aggregate';
  return 'expression';
}
