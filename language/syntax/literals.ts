/**
 * Literal text → values: string unescaping, numbers, the raw content of `datetime(…)`-style
 * literals, and type names with their aliases. Pure functions, shared by the AST builder.
 */
import type { TypeName } from './ast.js';

const typeNames: Record<string, TypeName> = {
  bool: 'bool',
  boolean: 'bool',
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  decimal: 'decimal',
  string: 'string',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  guid: 'guid',
  uniqueid: 'guid',
  dynamic: 'dynamic',
};

/** `double` → `real`, `boolean` → `bool` …; undefined for an unknown name. */
export function typeNameOf(word: string): TypeName | undefined {
  return Object.hasOwn(typeNames, word) ? typeNames[word] : undefined;
}

export const knownTypeNames = Object.keys(typeNames);

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

/**
 * The value of a string token: `'a\n'`, `"b"`, `@"c""d"` (verbatim: no escapes, a doubled quote
 * is a quote), `h"secret"` (obfuscated: same value), ```` ```multi-line``` ````. Tolerates the
 * missing closing quote of a token the lexer already reported as unterminated.
 */
export function decodeString(image: string): string {
  let text = image;
  if (text.startsWith('```') || text.startsWith('~~~')) {
    const fence = text.slice(0, 3);
    return text.endsWith(fence) && text.length >= 6 ? text.slice(3, -3) : text.slice(3);
  }
  if (text.startsWith('h') || text.startsWith('H')) text = text.slice(1);
  const verbatim = text.startsWith('@');
  if (verbatim) text = text.slice(1);
  const quote = text.charAt(0);
  const body = text.length >= 2 && text.endsWith(quote) && !endsWithEscape(text, verbatim) ? text.slice(1, -1) : text.slice(1);
  if (verbatim) return body.split(quote + quote).join(quote);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return escapes[e] ?? e;
  });
}

/** `"abc\"` is an unterminated string whose last quote is escaped. */
function endsWithEscape(text: string, verbatim: boolean): boolean {
  if (verbatim) return false;
  let slashes = 0;
  for (let i = text.length - 2; i > 0 && text.charAt(i) === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** Integers are `long`, anything with a fraction or exponent `real`; hex becomes decimal text. */
export function numberOf(image: string): { text: string; type: 'long' | 'real' } {
  if (/^0[xX]/.test(image)) return { text: BigInt(image).toString(), type: 'long' };
  return { text: image, type: /[.eE]/.test(image) ? 'real' : 'long' };
}

/**
 * The content of `datetime( 2024-01-01 )`, `timespan(1d)`, `guid("…")`: trimmed, with one layer
 * of quotes removed. An unclosed literal (already reported) yields what follows the `(`.
 */
export function innerText(image: string): string {
  const open = image.indexOf('(');
  const close = image.endsWith(')') ? image.length - 1 : image.length;
  const inner = image.slice(open + 1, close).trim();
  return /^[hH]?@?(["'])[\s\S]*\1$/.test(inner) ? decodeString(inner) : inner;
}
