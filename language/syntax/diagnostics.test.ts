/** Syntax errors: codes and ranges, recovery into partial trees, and `parse` never throwing. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Codes } from './diagnostics.js';
import { maxNestingDepth, parse, tokenize } from './parse.js';

/** [code, start, end] of each diagnostic. */
function errors(text: string): [string, number, number][] {
  return parse(text).diagnostics.map((d) => [d.code, d.range.start, d.range.end]);
}

describe('diagnostics by code and range', () => {
  it.each<[string, [string, number, number][]]>([
    ['Update | where | project Computer', [[Codes.syntax, 15, 16]]],
    ['T | ', [[Codes.syntax, 4, 4]]],
    ['T | frobnicate x', [[Codes.syntax, 4, 14]]],
    ['T | where (a == 1', [[Codes.syntax, 17, 17]]],
    ['T | take 1 )', [[Codes.syntax, 11, 12]]],
    ['T | where x == "abc', [[Codes.unterminatedString, 15, 19]]],
    ["print 'it", [[Codes.unterminatedString, 6, 9]]],
    ['print datetime(garbage', [[Codes.badLiteral, 6, 22]]],
    ["print 'a\\qb'", [[Codes.badLiteral, 8, 10]]],
    ['print a == b == c', [[Codes.syntax, 13, 15]]],
    ['T | top 5 by a, b', [[Codes.syntax, 14, 15]]],
    ['T | project first', [[Codes.syntax, 12, 17]]],
    ['T | extend kind = 1', [[Codes.syntax, 11, 15]]],
    ["T | extend ['kind'] = 1", []],
    ['print string(null)', [[Codes.syntax, 6, 12]]],
    ['datatable(a:long)[x]', [[Codes.syntax, 18, 19]]],
    ['datatable(a:lng)[1]', [[Codes.syntax, 12, 15]]],
    ['let x = 1;; T', [[Codes.syntax, 10, 11]]],
    ['T | join U on a + 1', [[Codes.syntax, 16, 17]]],
    ['T | join U on $left.a == b', [[Codes.syntax, 14, 26]]],
    ['print 1 § 2', [[Codes.syntax, 8, 9], [Codes.syntax, 10, 11]]],
    ['print x in ()', [[Codes.syntax, 12, 13]]],
    // Found by the injection properties (test/injection): both reached DuckDB as broken SQL.
    ["print [''] = 1", [[Codes.syntax, 6, 10]]],
    ['print ["a\\0b"] = 1', [[Codes.syntax, 6, 14]]],
  ])('%s', (text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it.each([
    ['T | ', /Expected an operator after '\|' such as where, project, summarize/],
    ['T | where (a == 1', /Expected '\)' to close '\(' at 1:11/],
    ['T\n| where f(a,\n  b', /Expected '\)' to close '\(' at 2:10/],
    ['T | where', /Expected an expression .* after 'where', but the query ended/],
    ['T | summarize count() by', /Expected a name or expression|Expected an expression/],
  ])('message for %s names what was expected', (text, message) => {
    expect(parse(text).diagnostics[0]!.message).toMatch(message);
  });

  it('messages never dump token type names', () => {
    for (const text of ['T | where', 'T | join', 'T | parse s with', 'print dynamic(', 'let f = (a:) { a }']) {
      for (const d of parse(text).diagnostics) expect(d.message, text).not.toMatch(/-->|Identifier|LParen|NumberLiteral/);
    }
  });
});

describe('recovery keeps a partial tree', () => {
  it('a broken where still yields the later project', () => {
    const { script } = parse('Update | where | project Computer');
    expect(script.query).toMatchObject({
      kind: 'pipeline',
      source: { kind: 'name', name: { name: 'Update' } },
      operators: [
        { kind: 'where', predicate: { kind: 'error' } },
        { kind: 'project', columns: [{ expr: { kind: 'name', name: { name: 'Computer' } } }] },
      ],
    });
  });

  it('an unknown operator becomes an error-operator and the pipeline goes on', () => {
    const { script } = parse('T | frobnicate x | take 1');
    expect(script.query).toMatchObject({ operators: [{ kind: 'error-operator' }, { kind: 'take' }] });
  });

  it('a missing right operand becomes an error expression', () => {
    const { script } = parse('T | where a == ');
    expect(script.query).toMatchObject({ operators: [{ kind: 'where', predicate: { kind: 'binary', right: { kind: 'error' } } }] });
  });

  it('a broken let keeps the statements around it', () => {
    const { script } = parse('let a = ;\nlet b = 2;\nT');
    expect(script.statements.map((s) => s.name.name)).toEqual(['a', 'b']);
    expect(script.query).toMatchObject({ kind: 'name' });
  });
});

describe('parse never throws', () => {
  /** mulberry32: a tiny seeded PRNG, so failures reproduce. */
  function prng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const fragments = [
    'T', '|', 'where', 'project', 'summarize', 'by', 'count()', '(', ')', '[', ']', '{', '}', ',', ';', '=', '==', 'and',
    'or', '"s', '"str"', "'", '@"', '1', '1.5', '1d', 'datetime(', 'datetime(2024-01-01)', 'dynamic([', 'let', 'x', '$left',
    '.', '..', 'in', '!in', 'between', 'join', 'on', 'kind', '=', 'make-series', 'mv-expand', 'parse', 'with', '*', '-',
    'render', '//', '\n', '```', 'é', '😀', '\u0000', 'h"', 'union', 'datatable', 'print', 'range', 'from', 'to', 'step',
  ];

  it('on random token soup', () => {
    const random = prng(20240101);
    for (let i = 0; i < 1500; i++) {
      const n = 1 + Math.floor(random() * 25);
      const text = Array.from({ length: n }, () => fragments[Math.floor(random() * fragments.length)]).join(random() < 0.5 ? ' ' : '');
      const result = parse(text);
      expect(result.diagnostics.every((d) => d.code !== Codes.internal), text).toBe(true);
      for (const d of result.diagnostics) {
        expect(d.range.start, text).toBeGreaterThanOrEqual(0);
        expect(d.range.end, text).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('on random characters', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
      expect(() => parse(text)).not.toThrow();
      expect(() => tokenize(text)).not.toThrow();
    }
  });

  it('on deep nesting: a diagnostic, not a stack overflow', () => {
    const deep = `print ${'('.repeat(5000)}1${')'.repeat(5000)}`;
    const { diagnostics } = parse(deep);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: Codes.tooComplex, range: { start: 6 + maxNestingDepth, end: 7 + maxNestingDepth } });
    const fine = `print ${'('.repeat(maxNestingDepth)}1${')'.repeat(maxNestingDepth)}`;
    expect(parse(fine).diagnostics).toEqual([]);
  });

  it('on long flat input: parsed whole, then refused by the limits (language/syntax/limits.test.ts)', () => {
    const long = parse(`print ${Array.from({ length: 5000 }, (_, i) => `${i}`).join(' + ')}`);
    expect(long.script.query).toBeDefined();
    expect(long.diagnostics.map((d) => d.code)).toEqual([Codes.tooComplex]);
    const pipes = parse(`T${' | take 1'.repeat(2000)}`);
    expect(pipes.script.query).toMatchObject({ kind: 'pipeline', operators: { length: 2000 } });
    expect(pipes.diagnostics.map((d) => d.code)).toEqual([Codes.tooComplex]);
  });
});

describe('the sample queries', () => {
  const dir = join(import.meta.dirname, '../../samples/queries');
  const files = readdirSync(dir).filter((f) => f.endsWith('.kql'));

  it('exist', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s parses without diagnostics', (file) => {
    const { script, diagnostics } = parse(readFileSync(join(dir, file), 'utf8'));
    expect(diagnostics).toEqual([]);
    expect(script.query?.kind).toBe('pipeline');
  });
});

describe('tokenize', () => {
  it('classifies tokens with offsets, comments included', () => {
    const text = 'T // hi\n| where x has "a" and t > ago(1d) + datetime(2024-01-01) | project-away y, 1.5';
    const shown = tokenize(text).map((t) => `${t.kind}:${text.slice(t.start, t.end)}`);
    expect(shown).toEqual([
      'identifier:T', 'comment:// hi', 'punctuation:|', 'operator-keyword:where', 'identifier:x', 'keyword:has',
      'string:"a"', 'keyword:and', 'identifier:t', 'punctuation:>', 'identifier:ago', 'punctuation:(', 'timespan:1d',
      'punctuation:)', 'punctuation:+', 'datetime:datetime(2024-01-01)', 'punctuation:|', 'operator-keyword:project-away',
      'identifier:y', 'punctuation:,', 'number:1.5',
    ]);
  });

  it('reads project-away as one token but x-away as subtraction', () => {
    expect(tokenize('x-away').map((t) => t.kind)).toEqual(['identifier', 'punctuation', 'identifier']);
  });
});
