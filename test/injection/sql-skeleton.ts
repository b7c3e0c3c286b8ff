/**
 * A small lexer for the SQL the compiler writes, enough to see a statement's shape: string
 * literals ('…' with '' inside), quoted identifiers ("…" with "" inside), comments, words,
 * numbers and punctuation. The skeleton keeps every token but blanks the content of literals and
 * quoted names, so two statements with the same skeleton differ only inside quotes.
 */
export interface SqlToken {
  kind: 'string' | 'ident' | 'comment' | 'word' | 'number' | 'punct';
  text: string;
  /** The unquoted value of a string literal or quoted identifier. */
  value?: string;
}

export function sqlTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      const body = sql.slice(i + 1, end);
      tokens.push({ kind: c === "'" ? 'string' : 'ident', text: sql.slice(i, end + 1), value: body.replaceAll(c + c, c) });
      i = end + 1;
    } else if (sql.startsWith('--', i) || sql.startsWith('/*', i)) {
      const end = sql.startsWith('--', i) ? lineEnd(sql, i) : blockEnd(sql, i);
      tokens.push({ kind: 'comment', text: sql.slice(i, end) });
      i = end;
    } else {
      const m = /^(?:[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|::|\|\||\/\/|<=|>=|<>|!=|->>|->|[\s\S])/.exec(sql.slice(i, i + 64))!;
      const text = m[0];
      tokens.push({ kind: /^[A-Za-z_]/.test(text) ? 'word' : /^\d/.test(text) ? 'number' : 'punct', text });
      i += text.length;
    }
  }
  return tokens;
}

/** The index of the quote that closes the literal opened at `start`; a doubled quote is content. */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const next = sql.indexOf(quote, i);
    if (next < 0) throw new Error(`unterminated ${quote} at ${start} in SQL: ${sql.slice(start, start + 80)}`);
    if (sql[next + 1] === quote) i = next + 2;
    else return next;
  }
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end < 0 ? sql.length : end;
}

function blockEnd(sql: string, from: number): number {
  const end = sql.indexOf('*/', from + 2);
  return end < 0 ? sql.length : end + 2;
}

/** Token texts with literal and quoted-name contents blanked: the statement's shape. */
export function skeleton(sql: string): string[] {
  return sqlTokens(sql).map((t) => (t.kind === 'string' ? "'…'" : t.kind === 'ident' ? '"…"' : t.text));
}
