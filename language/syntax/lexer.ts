/**
 * Text → tokens. Lexing never fails: unknown characters, unterminated strings and unclosed
 * typed literals become diagnostics, and the offending token is re-typed so parsing can go on.
 */
import { Lexer, type IToken, type TokenType } from 'chevrotain';
import { Codes, diagnostic, type Diagnostic } from './diagnostics.js';
import {
  allTokens,
  BadTypedLiteral,
  DatetimeLiteral,
  GuidLiteral,
  StringLiteral,
  TimespanCall,
  UnterminatedString,
} from './tokens.js';

// The token pattern checks run whenever the lexer runs from its TypeScript source, as in every
// test; compiled JavaScript skips them (half the lexer's construction, on every start).
const lexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'onlyOffset', skipValidations: import.meta.url.endsWith('.js') });

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

export function lex(text: string): LexResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => {
    const ch = text.charAt(e.offset);
    return diagnostic(
      Codes.syntax,
      { start: e.offset, end: e.offset + Math.max(1, e.length) },
      `Unexpected character '${ch}'${e.length > 1 ? ` (and ${e.length - 1} more)` : ''}: remove it or put it inside a string.`,
    );
  });
  for (const token of result.tokens) {
    // Offset-only tracking is the fastest lexer mode but leaves `endOffset` out; the parser's
    // node locations and the wildcard-name gate need it.
    token.endOffset = token.startOffset + token.image.length - 1;
    if (token.tokenType === UnterminatedString) {
      diagnostics.push(
        diagnostic(
          Codes.unterminatedString,
          rangeOf(token),
          `Unterminated string: add the closing ${closingQuote(token.image)} before the end of the line.`,
        ),
      );
      retype(token, StringLiteral);
    } else if (token.tokenType === StringLiteral) {
      const bad = badEscape(token.image);
      if (bad >= 0) {
        const at = token.startOffset + bad;
        const escape = token.image.slice(bad, bad + 2);
        diagnostics.push(
          diagnostic(
            Codes.badLiteral,
            { start: at, end: at + 2 },
            `Unknown escape '${escape}' in a string: use \\\\ for a backslash, or a verbatim string @"…".`,
          ),
        );
      }
    } else if (token.tokenType === BadTypedLiteral) {
      const word = /^[a-z]+/.exec(token.image)?.[0] ?? 'literal';
      diagnostics.push(
        diagnostic(Codes.badLiteral, rangeOf(token), `Unclosed ${word}(…) literal: add ')' on the same line.`),
      );
      retype(token, word === 'datetime' ? DatetimeLiteral : word === 'guid' ? GuidLiteral : TimespanCall);
    }
  }
  const comments = result.groups['comments'] ?? [];
  return { tokens: result.tokens, comments, diagnostics };
}

const validEscape = /^\\(?:[\\'"ntr0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/;

/** Offset of the first invalid `\` escape in a quoted (non-verbatim) string, or -1. */
function badEscape(image: string): number {
  if (!image.includes('\\') || /^[hH]?@|^```|^~~~/.test(image)) return -1;
  for (let i = image.indexOf('\\'); i >= 0; i = image.indexOf('\\', i + 2)) {
    if (!validEscape.test(image.slice(i, i + 6))) return i;
  }
  return -1;
}

function retype(token: IToken, type: TokenType): void {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

function closingQuote(image: string): string {
  if (image.startsWith('```')) return '```';
  if (image.startsWith('~~~')) return '~~~';
  return /"/.test(image.slice(0, 3)) ? '"' : "'";
}

export function rangeOf(token: IToken): { start: number; end: number } {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}
