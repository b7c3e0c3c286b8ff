/**
 * The grammar's public API: `parse` (text → AST + diagnostics, never throws) and `tokenize`
 * (text → highlighting tokens). lex → CST (parser.ts) → AST (cst-to-ast.ts).
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Script } from './ast.js';
import { Codes, diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { AstBuilder } from './cst-to-ast.js';
import { errorMessages, TooManySyntaxErrors } from './error-messages.js';
import { lex } from './lexer.js';
import { limitError } from './limits.js';
import { parser } from './parser.js';
import { tokenKindOf, type TokenKind } from './tokens.js';

export type { TokenKind } from './tokens.js';

/**
 * Brackets nested deeper than this are refused rather than risk exhausting the stack: each
 * nested call costs the Chevrotain parser about forty frames, and in a fresh process (before the
 * JIT shrinks them) 185 nested calls overflowed Node's default stack.
 */
export const maxNestingDepth = 100;

/** Syntax errors reported before parsing stops (recovery from each one costs real time). */
export const maxSyntaxErrors = 50;

const builder = new AstBuilder();

export interface ParseResult {
  script: Script;
  diagnostics: Diagnostic[];
}

export function parse(text: string): ParseResult {
  const whole: Range = { start: 0, end: text.length };
  try {
    const lexed = lex(text);
    const tooDeep = nestingError(lexed.tokens);
    if (tooDeep || lexed.diagnostics.length >= maxSyntaxErrors) return { script: emptyScript(whole), diagnostics: tooManyErrors(lexed.diagnostics, tooDeep ? [tooDeep] : []) };
    errorMessages.tokens = lexed.tokens;
    errorMessages.text = text;
    errorMessages.stopWhen = () => parser.errors.length >= maxSyntaxErrors;
    parser.input = lexed.tokens;
    let cst;
    try {
      cst = parser.script();
    } catch (error) {
      if (!(error instanceof TooManySyntaxErrors)) throw error;
      return { script: emptyScript(whole), diagnostics: tooManyErrors(lexed.diagnostics, parser.errors.map((e) => syntaxDiagnostic(e, text.length))) };
    }
    const syntaxErrors = parser.errors.map((e) => syntaxDiagnostic(e, text.length));
    const script = builder.build(cst, whole);
    const overLimit = limitError(script);
    const diagnostics = dedupe([...lexed.diagnostics, ...syntaxErrors, ...builder.diagnostics, ...(overLimit ? [overLimit] : [])]);
    return { script, diagnostics };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { script: emptyScript(whole), diagnostics: [diagnostic(Codes.internal, whole, `The parser failed: ${message}`)] };
  } finally {
    errorMessages.tokens = [];
    errorMessages.stopWhen = () => false;
    parser.input = [];
  }
}

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

/** Tokens and comments in source order, for highlighting. Characters that lex to nothing are left out. */
export function tokenize(text: string): Token[] {
  const { tokens, comments } = lex(text);
  const all = comments.length ? [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset) : tokens;
  return all.map((t) => ({ kind: tokenKindOf(t.tokenType), start: t.startOffset, end: t.startOffset + t.image.length }));
}

/** The first `maxSyntaxErrors` problems in text order, then one saying the rest were not looked at. */
function tooManyErrors(lexical: Diagnostic[], syntax: Diagnostic[]): Diagnostic[] {
  const all = dedupe([...lexical, ...syntax]);
  if (all.length < maxSyntaxErrors) return all;
  const shown = all.slice(0, maxSyntaxErrors);
  const last = shown[shown.length - 1]!.range;
  const stop = diagnostic(Codes.syntax, { start: last.end, end: last.end }, `More than ${maxSyntaxErrors} syntax errors: the rest of the query was not checked. Fix these first.`);
  return [...shown, stop];
}

function emptyScript(range: Range): Script {
  return { kind: 'script', statements: [], range };
}

function syntaxDiagnostic(error: IRecognitionException, textLength: number): Diagnostic {
  const t = error.token;
  const range = Number.isNaN(t.startOffset) ? { start: textLength, end: textLength } : { start: t.startOffset, end: t.startOffset + t.image.length };
  return diagnostic(Codes.syntax, range, error.message);
}

/** Recovery can report the same spot twice; keep the first message per start offset. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => {
      const key = `${d.code}:${d.range.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.range.start - b.range.start);
}

function nestingError(tokens: IToken[]): Diagnostic | undefined {
  let depth = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === 'LParen' || name === 'LBracket' || name === 'LCurly') {
      if (++depth > maxNestingDepth) {
        return diagnostic(
          Codes.tooComplex,
          { start: t.startOffset, end: t.startOffset + 1 },
          `Brackets are nested more than ${maxNestingDepth} deep: simplify the query, for example with 'let' statements.`,
        );
      }
    } else if (name === 'RParen' || name === 'RBracket' || name === 'RCurly') depth = Math.max(0, depth - 1);
  }
  return undefined;
}
