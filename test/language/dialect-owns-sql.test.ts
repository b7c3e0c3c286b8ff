/**
 * The dialect owns every engine-specific SQL form: outside the DuckDB dialect's files, no SQL
 * text in language/ spells a DuckDB-only construct. Shared code asks `ctx.dialect.forms` (or
 * the catalogue's per-dialect column) instead, so the ClickHouse dialect supplies its own form
 * or leaves it out and the query is refused with E402, never sent as DuckDB SQL.
 *
 * Only SQL text is scanned: the contents of string and template literals (not comments, not
 * code), so a Kusto name such as 'arg_max' or a comment about DuckDB is fine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const languageDir = join(root, 'language');

/**
 * The DuckDB dialect: its object and forms (language/sql/duckdb*.ts) and the catalogue's DuckDB
 * column (language/functions/duckdb-*.ts: duckdb-sql.ts and the SQL helpers only it and the
 * forms use). The ClickHouse column of the same functions is clickhouse-sql.ts /
 * clickhouse-scalars.ts; the family files hold only SQL both engines accept.
 */
function isDuckdbDialectFile(file: string): boolean {
  return /^language\/(sql\/duckdb[\w-]*|functions\/duckdb-[\w-]+)\.ts$/.test(file);
}

/** DuckDB-only spellings, each with what to use instead. */
const duckdbOnly: [RegExp, string][] = [
  [/\bTRY_CAST\b/, 'TRY_CAST: dialect.forms.tryCast or forms.convert'],
  [/\s\/\/\s/, 'integer division `//`: dialect.forms.intDiv'],
  [/\barg_(max|min)\s*\(/, 'arg_max/arg_min: dialect.forms.argExtreme'],
  [/\bQUALIFY\b/, 'QUALIFY: dialect.forms.qualify'],
  [/\bregexp_\w+\s*\(/, 'regexp_*: dialect.forms.regexMatch / regexEscape'],
  [/\bepoch_ns\s*\(|\bmake_timestamp\w*\s*\(/, 'epoch_ns / make_timestamp: dialect.epochNanos / fromEpochNanos'],
  [/\blist_\w+\s*\(|\blist\s*\(\s*\$\{|\blen\s*\(|\blambda\b/, 'DuckDB lists: a dialect form'],
  [/\bjson_\w+\s*\(|\bto_json\s*\(/, 'DuckDB JSON functions: dialect.forms.dynamicAccess or another dialect form'],
  [/::/, '`::` casts: CAST(… AS dialect.types[…])'],
  [/\bstrftime\s*\(|\bdate_trunc\s*\(|\bdate_part\s*\(|\bdate_diff\s*\(/, 'DuckDB date functions: the catalogue column or a dialect form'],
  [/\b[A-Z]+\[\]/, 'DuckDB array types (VARCHAR[]): a dialect form'],
  [/\bunnest\s*\(|\bgenerate_subscripts\s*\(/, 'unnest: dialect.forms.unnestDynamic'],
  [/\brange\s*\(\s*0\s*,/, 'the range() table function: dialect.forms.integerRange / binNumbers'],
  [/\b(starts_with|suffix|contains|regexp_matches)\s*\(/, 'DuckDB text predicates: dialect.forms.startsWith / endsWith / containsText'],
];

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'test-harness.ts' ? [path] : [];
  });
}

/** The text inside string and template literals, by line (template `${…}` code excluded). */
export function literalTextByLine(source: string): Map<number, string> {
  const out = new Map<number, string>();
  let line = 1;
  const add = (c: string) => out.set(line, (out.get(line) ?? '') + c);
  // a stack of what we are inside: a template literal, or code opened by `${` (counting braces)
  const stack: ('template' | number)[] = [];
  let i = 0;
  const inTemplate = () => stack[stack.length - 1] === 'template';
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') line++;
    if (inTemplate()) {
      if (c === '\\') { add(source.slice(i, i + 2)); i += 2; continue; }
      if (c === '`') { stack.pop(); add(' '); i++; continue; }
      if (c === '$' && source[i + 1] === '{') { stack.push(0); add(' '); i += 2; continue; }
      if (c !== '\n') add(c);
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') { while (i < source.length && source[i] !== '\n') i++; continue; }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      for (const ch of source.slice(i, end + 2)) if (ch === '\n') line++;
      i = end + 2;
      continue;
    }
    if (c === '/' && /[(,=:[!&|?{};]|^$/.test(lastCode(source, i))) {
      i = afterRegexLiteral(source, i);
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < source.length && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\') { add(source.slice(i, i + 2)); i += 2; } else add(source[i++]!);
      }
      add(' ');
      i++;
      continue;
    }
    if (c === '`') { stack.push('template'); i++; continue; }
    const top = stack[stack.length - 1];
    if (typeof top === 'number') {
      if (c === '{') stack[stack.length - 1] = top + 1;
      else if (c === '}') { if (top === 0) { stack.pop(); i++; continue; } stack[stack.length - 1] = top - 1; }
    }
    i++;
  }
  return out;
}

/** The last non-blank character before `i` ('' at the start). */
function lastCode(source: string, i: number): string {
  let j = i - 1;
  while (j >= 0 && /\s/.test(source[j]!)) j--;
  return j < 0 ? '' : source[j]!;
}

/** The index after a regex literal starting at `i` (its flags included). */
function afterRegexLiteral(source: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < source.length && source[j] !== '\n'; j++) {
    const c = source[j]!;
    if (c === '\\') j++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '/') {
      let end = j + 1;
      while (/[a-z]/.test(source[end] ?? '')) end++;
      return end;
    }
  }
  return i + 1;
}

describe('the dialect owns every engine-specific SQL form', () => {
  it('reads SQL out of literals only', () => {
    const text = literalTextByLine("const a = 'arg_max'; // arg_max(x, y)\nconst b = `${f(`x // ${y}`)} ok`;\n/* QUALIFY */ const r = /`[']/g;\nconst c = 'TRY_CAST(';");
    expect(text.get(1)).toBe('arg_max ');
    expect(text.get(2)?.replace(/\s+/g, ' ')).toBe(' x // ok ');
    expect(text.get(3)).toBeUndefined();
    expect(text.get(4)).toBe('TRY_CAST( ');
  });

  it('no file in language/ outside the DuckDB dialect writes DuckDB-only SQL', () => {
    const found: string[] = [];
    for (const path of typescriptFiles(languageDir)) {
      const file = relative(root, path).replaceAll('\\', '/');
      if (isDuckdbDialectFile(file)) continue;
      for (const [line, text] of literalTextByLine(readFileSync(path, 'utf8'))) {
        for (const [pattern, instead] of duckdbOnly) {
          if (pattern.test(text)) found.push(`${file}:${line}: ${instead} — ${text.trim().slice(0, 100)}`);
        }
      }
    }
    expect(found, `DuckDB-only SQL outside the DuckDB dialect; move it into a dialect form:\n${found.join('\n')}`).toEqual([]);
  });

  it('shared code reads the DuckDB column only through the catalogue and the DuckDB dialect', () => {
    const found: string[] = [];
    for (const path of typescriptFiles(languageDir)) {
      const file = relative(root, path).replaceAll('\\', '/');
      if (isDuckdbDialectFile(file)) continue;
      readFileSync(path, 'utf8').split('\n').forEach((text, i) => {
        const from = /from '[./]*(?:functions\/|sql\/)?(duckdb-[\w-]+)\.js'/.exec(text)?.[1];
        // the catalogue merges the DuckDB column, as it merges the ClickHouse one
        if (from && !(file === 'language/functions/catalogue.ts' && from === 'duckdb-sql')) found.push(`${file}:${i + 1}: ${text.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
