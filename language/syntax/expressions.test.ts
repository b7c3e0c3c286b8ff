/** Expressions and literals: input → tree shape (as an S-expression), one row per case. */
import { describe, expect, it } from 'vitest';
import type { Expr, Operator } from './ast.js';
import { parse } from './parse.js';
import { sexpr } from './sexpr.js';

/** The expression of `print <text>`, which must parse without diagnostics. */
function scalar(text: string): Expr {
  const { script, diagnostics } = parse(`print ${text}`);
  expect(diagnostics, text).toEqual([]);
  if (script.query?.kind !== 'print') throw new Error(`not a print: ${text}`);
  return script.query.columns[0]!.expr;
}

function where(text: string): Expr {
  const { script, diagnostics } = parse(`T | where ${text}`);
  expect(diagnostics, text).toEqual([]);
  const op = script.query?.kind === 'pipeline' ? script.query.operators[0] : undefined;
  if (op?.kind !== 'where') throw new Error(`not a where: ${text}`);
  return op.predicate;
}

describe('precedence', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a == 1 and b != 2', '(and (== a 1) (!= b 2))'],
    ['a + b * c', '(+ a (* b c))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a * b % c / d', '(/ (% (* a b) c) d)'],
    ['-a * b', '(* (- a) b)'],
    ['a + b > c - d', '(> (+ a b) (- c d))'],
    ['(a + b) * c', '(* [(+ a b)] c)'],
    ['not(a) or b', '(or not(a) b)'],
    ['a <> b', '(!= a b)'],
    ['x =~ "a" or x !~ "b"', '(or (=~ x "a") (!~ x "b"))'],
    ['d.k.j[0]', 'd.k.j[0]'],
    ["d['key'] == 1", '(== d["key"] 1)'],
    ['$left.a', '$left.a'],
    ['-x.y', '(- x.y)'],
    ['t > ago(1d) + 2h', '(> t (+ ago(timespan(1d)) timespan(2h)))'],
  ])('%s', (text, expected) => {
    expect(sexpr(where(text))).toBe(expected);
  });
});

describe('string and list operators', () => {
  const stringOps = ['has', 'hasprefix', 'hassuffix', 'contains', 'startswith', 'endswith'];
  const spellings = stringOps.flatMap((op) => [op, `!${op}`, `${op}_cs`, `!${op}_cs`]);
  it.each(spellings)('%s', (op) => {
    expect(sexpr(where(`s ${op} "x"`))).toBe(`(${op} s "x")`);
  });

  it.each([
    ['s matches regex "a.*"', '(matches regex s "a.*")'],
    ['x in (1, 2)', '(in x 1 2)'],
    ['x !in ("a")', '(!in x "a")'],
    ['x in~ ("a", "b")', '(in~ x "a" "b")'],
    ['x !in~ ("a")', '(!in~ x "a")'],
    ['s has_any ("a", "b")', '(has_any s "a" "b")'],
    ['s has_all ("a")', '(has_all s "a")'],
    ['x between (1 .. 10)', '(between x 1 10)'],
    ['x !between (1 .. 10)', '(!between x 1 10)'],
    ['t between (ago(1d) .. now())', '(between t ago(timespan(1d)) now())'],
    ['Computer in (Update | distinct Computer)', '(in Computer Update | distinct)'],
    ['Computer in ((Update | distinct Computer))', '(in Computer [Update | distinct])'],
  ])('%s', (text, expected) => {
    expect(sexpr(where(text))).toBe(expected);
  });

  it('records the operator range', () => {
    const e = where('abc !has_cs "x"');
    expect(e).toMatchObject({ kind: 'binary', opRange: { start: 14, end: 21 }, range: { start: 10, end: 25 } });
  });
});

describe('literals', () => {
  it.each([
    ['"a"', '"a"'],
    ["'b'", '"b"'],
    ['"a\\tb\\n\\\\\\"\\u0041\\x42"', JSON.stringify('a\tb\n\\"AB')],
    ["'it\\'s'", JSON.stringify("it's")],
    ['@"c:\\dir\\""x"""', JSON.stringify('c:\\dir\\"x"')],
    ["@'a''b'", JSON.stringify("a'b")],
    ['"a" "b" \'c\'', '"abc"'],
    ['```line1\nline2```', JSON.stringify('line1\nline2')],
    ['h"secret"', '"secret"'],
    ['42', '42'],
    ['1.5', 'real(1.5)'],
    ['1e3', 'real(1e3)'],
    ['2.5E-3', 'real(2.5E-3)'],
    ['0x1F', '31'],
    ['true', 'true'],
    ['False', 'false'],
    ['TRUE', 'true'],
    ['int(5)', 'int(5)'],
    ['long(-5)', '-5'],
    ['real(1.5)', 'real(1.5)'],
    ['double(2)', 'real(2)'],
    ['decimal(1.5)', 'decimal(1.5)'],
    ['bool(true)', 'true'],
    ['int(null)', 'int(null)'],
    ['long(null)', 'long(null)'],
    ['real(null)', 'real(null)'],
    ['bool(null)', 'bool(null)'],
    ['datetime(null)', 'datetime(null)'],
    ['timespan(null)', 'timespan(null)'],
    ['guid(null)', 'guid(null)'],
    ['dynamic(null)', 'dynamic(null)'],
    ['datetime(2024-01-01)', 'datetime(2024-01-01)'],
    ['datetime(2024-01-01 10:20:30.1234567)', 'datetime(2024-01-01 10:20:30.1234567)'],
    ['datetime("2024-01-01T10:00:00Z")', 'datetime(2024-01-01T10:00:00Z)'],
    ['datetime(2024-01-01T10:00:00Z)', 'datetime(2024-01-01T10:00:00Z)'],
    ['time(1.02:03:04)', 'timespan(1.02:03:04)'],
    ['timespan(2d)', 'timespan(2d)'],
    ['guid(74be27de-1e4e-49d9-b579-fe0b331d3642)', 'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)'],
    ['dynamic([1, "a", {"k": [true, null]}])', 'dynamic([1,"a",{"k":[true,null]}])'],
    ['dynamic({})', 'dynamic({})'],
    ['dynamic([-1.5, 2e2])', 'dynamic([-1.5,200])'],
    ['dynamic("a")', 'dynamic("a")'],
  ])('%s', (text, expected) => {
    expect(sexpr(scalar(text))).toBe(expected);
  });

  const timespans = ['1d', '2h', '30m', '10s', '100ms', '1.5h', '10microsecond', '5tick', '3sec', '2min', '1day', '2hours', '7days', '1ms'];
  it.each(timespans)('timespan %s', (text) => {
    expect(scalar(text)).toMatchObject({ kind: 'timespan', text });
  });

  it('keeps the source range of every literal', () => {
    expect(scalar('datetime( 2024-01-01 )').range).toEqual({ start: 6, end: 28 });
    expect(scalar('"a" "b"').range).toEqual({ start: 6, end: 13 });
  });
});

describe('names', () => {
  it.each([
    ["['my column']", 'my column'],
    ['["x y"]', 'x y'],
    ['_private', '_private'],
    ['a1_b2', 'a1_b2'],
  ])('%s', (text, name) => {
    expect(scalar(text)).toMatchObject({ kind: 'name', name: { kind: 'ident', name } });
  });

  it('calls functions whose names are keywords', () => {
    expect(sexpr(scalar('count()'))).toBe('count()');
    expect(sexpr(scalar('datetime_add("day", 1, now())'))).toBe('datetime_add("day", 1, now())');
    expect(sexpr(scalar('todatetime("2024-01-01")'))).toBe('todatetime("2024-01-01")');
    expect(sexpr(scalar('arg_max(t, *)'))).toBe('arg_max(t, *)');
  });
});

describe('tabular sources', () => {
  function query(text: string): Expr {
    const { script, diagnostics } = parse(text);
    expect(diagnostics, text).toEqual([]);
    return script.query!;
  }

  it.each([
    ['datatable(a:string, b:long)[ "x", 1, "y", 2 ]', 'datatable(a:string, b:long)["x", 1, "y", 2]'],
    ['datatable(d:date, x:double)[datetime(2024-01-01), -1.5,]', 'datatable(d:datetime, x:real)[datetime(2024-01-01), (- real(1.5))]'],
    ['print a = 1, 2', 'print(a=1, 2)'],
    ['range x from 1 to 10 step 1', 'range(x, 1, 10, 1)'],
    ['union T1, (T2 | take 1), Event*', 'union(T1, [T2 | take], Event*)'],
    ['f(1) | take 1', 'f(1) | take'],
  ])('%s', (text, expected) => {
    expect(sexpr(query(text))).toBe(expected);
  });

  it('reads union parameters', () => {
    expect(query("union kind=outer withsource=['Source Table'] isfuzzy=true A, B")).toMatchObject({
      kind: 'union',
      unionKind: 'outer',
      withSource: { name: 'Source Table' },
      isFuzzy: true,
    });
  });

  it('gives a pipeline the range from its source to its last operator', () => {
    const q = query('T | where a | take 1');
    expect(q.range).toEqual({ start: 0, end: 20 });
    const ops = (q as { operators: Operator[] }).operators;
    expect(ops.map((o) => o.range)).toEqual([
      { start: 4, end: 11 },
      { start: 14, end: 20 },
    ]);
  });
});
