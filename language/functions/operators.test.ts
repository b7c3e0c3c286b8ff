/** Operators on a real DuckDB: each semantic rule of the language gets its own rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betweenOperator, indexAccess, inOperator, memberAccess, unaryMinus, type OperatorResult } from './operators.js';
import type { SqlArg } from './spec.js';
import { col, ctx, k, op, openHarness, type Harness, type KustoValue } from './test-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

type Row = [label: string, expr: () => SqlArg, expected: KustoValue];
const check = (rows: Row[]) =>
  it.each(rows)('%s', async (_label, expr, expected) => expect(await h.value(expr())).toEqual(expected));

function ok(result: OperatorResult): SqlArg {
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('== is case-sensitive, =~ is not', () => {
  check([
    ['"abc" == "ABC"', () => op('==', k.str('abc'), k.str('ABC')), false],
    ['"abc" =~ "ABC"', () => op('=~', k.str('abc'), k.str('ABC')), true],
    ['"abc" !~ "ABC"', () => op('!~', k.str('abc'), k.str('ABC')), false],
    ['"abc" != "ABC"', () => op('!=', k.str('abc'), k.str('ABC')), true],
    ['guid == string', () => op('==', k.guid('74be27de-1e4e-49d9-b579-fe0b331d3642'), k.str('74BE27DE-1E4E-49D9-B579-FE0B331D3642')), true],
    ['dynamic == string converts the dynamic', () => ok(memberAccess(k.dyn('{"a":"x"}'), 'a', ctx)), '"x"'],
    ['d.a == "x"', () => op('==', ok(memberAccess(k.dyn('{"a":"x"}'), 'a', ctx)), k.str('x')), true],
    ['d.n > 5', () => op('>', ok(memberAccess(k.dyn('{"n":7}'), 'n', ctx)), k.long(5)), true],
    ['datetime < datetime', () => op('<', k.dt('2024-01-01'), k.dt('2024-01-02')), true],
    ['int == real', () => op('==', k.int(2), k.real(2)), true],
  ]);
});

describe('has matches whole terms, contains substrings, both case-insensitive', () => {
  check([
    ['"a-b c" has "b"', () => op('has', k.str('a-b c'), k.str('b')), true],
    ['"abc" has "b"', () => op('has', k.str('abc'), k.str('b')), false],
    ['"Hello World" has "world"', () => op('has', k.str('Hello World'), k.str('world')), true],
    ['"Hello World" has_cs "world"', () => op('has_cs', k.str('Hello World'), k.str('world')), false],
    ['"Hello World" has_cs "World"', () => op('has_cs', k.str('Hello World'), k.str('World')), true],
    ['has a phrase with punctuation', () => op('has', k.str('KB123 (x86-64) pack'), k.str('x86-64')), true],
    ['has needle with a regex character', () => op('has', k.str('value a.b here'), k.str('a.b')), true],
    ['has does not treat . as a wildcard', () => op('has', k.str('value axb here'), k.str('a.b')), false],
    ['hasprefix', () => op('hasprefix', k.str('Security Updates'), k.str('upd')), true],
    ['hasprefix mid-term', () => op('hasprefix', k.str('Security Updates'), k.str('pdat')), false],
    ['hassuffix', () => op('hassuffix', k.str('Security Updates'), k.str('rity')), true],
    ['hassuffix_cs', () => op('hassuffix_cs', k.str('Security Updates'), k.str('RITY')), false],
    ['has with a column needle', () => op('has', k.str('a-b c'), col('text', 'string')), false],
    ['"abc" contains "B"', () => op('contains', k.str('abc'), k.str('B')), true],
    ['"abc" contains_cs "B"', () => op('contains_cs', k.str('abc'), k.str('B')), false],
    ['startswith', () => op('startswith', k.str('Hello'), k.str('hE')), true],
    ['startswith with a LIKE wildcard', () => op('startswith', k.str('50% off'), k.str('50%')), true],
    ['startswith_cs', () => op('startswith_cs', k.str('Hello'), k.str('hE')), false],
    ['endswith', () => op('endswith', k.str('Hello'), k.str('LO')), true],
    ['endswith_cs', () => op('endswith_cs', k.str('Hello'), k.str('LO')), false],
    ['matches regex', () => op('matches regex', k.str('KB5034441'), k.str('^KB[0-9]+$')), true],
    ['has on a number uses its text', () => op('has', k.long(42), k.str('42')), true],
  ]);
});

describe('a negated operator is true on null, a positive one false', () => {
  const nullText = () => col('null_string', 'string');
  check([
    ['null !has "x"', () => op('!has', nullText(), k.str('x')), true],
    ['null has "x"', () => op('has', nullText(), k.str('x')), false],
    ['null !contains "x"', () => op('!contains', nullText(), k.str('x')), true],
    ['null contains "x"', () => op('contains', nullText(), k.str('x')), false],
    ['null !startswith "x"', () => op('!startswith', nullText(), k.str('x')), true],
    ['null !endswith_cs "x"', () => op('!endswith_cs', nullText(), k.str('x')), true],
    ['null !~ "x"', () => op('!~', nullText(), k.str('x')), true],
    ['null !in ("x")', () => ok(inOperator('!in', nullText(), [k.str('x')], ctx)), true],
    ['null in ("x")', () => ok(inOperator('in', nullText(), [k.str('x')], ctx)), false],
    ['long null !between (1 .. 2)', () => ok(betweenOperator(true, col('null_long', 'long'), k.long(1), k.long(2), ctx)), true],
    ['missing d.x !has "x"', () => op('!has', ok(memberAccess(col('null_dynamic', 'dynamic'), 'x', ctx)), k.str('x')), true],
  ]);
});

describe('arithmetic', () => {
  check([
    ['7 / 2 is whole', () => op('/', k.long(7), k.long(2)), 3],
    ['-7 / 2 truncates', () => op('/', k.long(-7), k.long(2)), -3],
    ['7 / 2.0', () => op('/', k.long(7), k.real(2)), 3.5],
    ['7 / 0 is null for whole numbers', () => op('/', k.long(7), k.long(0)), null],
    ['7.0 / 0 is infinity', () => op('/', k.real(7), k.long(0)), Infinity],
    ['-7 % 3', () => op('%', k.long(-7), k.long(3)), -1],
    ['datetime - datetime is a timespan', () => op('-', k.dt('2024-01-02 01:00'), k.dt('2024-01-01')), '1.01:00:00'],
    ['datetime + timespan', () => op('+', k.dt('2024-01-01'), k.ts('1.5h')), '2024-01-01T01:30:00Z'],
    ['timespan + datetime', () => op('+', k.ts('1d'), k.dt('2024-01-01')), '2024-01-02T00:00:00Z'],
    ['datetime - timespan', () => op('-', k.dt('2024-01-01'), k.ts('100ms')), '2023-12-31T23:59:59.9000000Z'],
    ['timespan / timespan is real', () => op('/', k.ts('1h'), k.ts('30m')), 2],
    ['timespan * number', () => op('*', k.ts('1h'), k.long(3)), '03:00:00'],
    ['number * timespan', () => op('*', k.real(1.5), k.ts('1h')), '01:30:00'],
    ['timespan / number', () => op('/', k.ts('1h'), k.long(4)), '00:15:00'],
    ['timespan - timespan', () => op('-', k.ts('1h'), k.ts('2h')), '-01:00:00'],
    ['unary minus', () => ok(unaryMinus(k.ts('1h'), ctx)), '-01:00:00'],
    ['and', () => op('and', k.bool(true), k.bool(false)), false],
    ['or', () => op('or', k.bool(true), k.bool(false)), true],
  ]);

  it.each([
    ['+', k.str('a'), k.str('b')],
    ['*', k.ts('1h'), k.ts('1h')],
    ['-', k.long(1), k.dt('2024-01-01')],
  ])('rejects %s on these types with a typed error', (operator, l, r) => {
    expect(() => op(operator, l, r)).toThrow(/Cannot apply/);
  });
});

describe('in, has_any, has_all, between', () => {
  check([
    ['in is case-sensitive', () => ok(inOperator('in', k.str('A'), [k.str('a'), k.str('b')], ctx)), false],
    ['in~ is not', () => ok(inOperator('in~', k.str('A'), [k.str('a'), k.str('b')], ctx)), true],
    ['!in~', () => ok(inOperator('!in~', k.str('A'), [k.str('a')], ctx)), false],
    ['in a dynamic array', () => ok(inOperator('in', k.str('b'), [k.dyn('["a","b"]')], ctx)), true],
    ['d.name in ("a", "b")', () => ok(inOperator('in', ok(memberAccess(k.dyn('{"name":"b"}'), 'name', ctx)), [k.str('a'), k.str('b')], ctx)), true],
    ['long in (1, 2)', () => ok(inOperator('in', k.long(2), [k.int(1), k.long(2)], ctx)), true],
    ['in a subquery', () => ok(inOperator('in', k.long(7), { subquerySql: 'SELECT seven FROM t', type: 'long' }, ctx)), true],
    ['in~ a subquery', () => ok(inOperator('in~', k.str('HELLO WORLD'), { subquerySql: 'SELECT text FROM t', type: 'string' }, ctx)), true],
    ['!in a subquery', () => ok(inOperator('!in', k.long(8), { subquerySql: 'SELECT seven FROM t', type: 'long' }, ctx)), true],
    ['has_any', () => ok(inOperator('has_any', k.str('Security Updates'), [k.str('critical'), k.str('security')], ctx)), true],
    ['has_any whole terms only', () => ok(inOperator('has_any', k.str('Security Updates'), [k.str('secur'), k.str('date')], ctx)), false],
    ['has_any of a dynamic array', () => ok(inOperator('has_any', k.str('a b'), [k.dyn('["x","b"]')], ctx)), true],
    ['has_all', () => ok(inOperator('has_all', k.str('Security Updates'), [k.str('updates'), k.str('security')], ctx)), true],
    ['has_all missing one', () => ok(inOperator('has_all', k.str('Security Updates'), [k.str('updates'), k.str('critical')], ctx)), false],
    ['between', () => ok(betweenOperator(false, k.long(5), k.long(1), k.long(5), ctx)), true],
    ['!between', () => ok(betweenOperator(true, k.long(5), k.long(1), k.long(5), ctx)), false],
    ['datetime between (a .. timespan)', () => ok(betweenOperator(false, k.dt('2024-01-01 12:00'), k.dt('2024-01-01'), k.ts('1d'), ctx)), true],
    ['datetime between (a .. timespan) outside', () => ok(betweenOperator(false, k.dt('2024-01-03'), k.dt('2024-01-01'), k.ts('1d'), ctx)), false],
  ]);
});

describe('dynamic access', () => {
  const d = () => k.dyn('{"a":{"b.c":[10,20,30]},"n":null,"s":"x"}');
  check([
    ['d.a', () => ok(memberAccess(d(), 'a', ctx)), '{"b.c":[10,20,30]}'],
    ["d.a['b.c'][0]", () => ok(indexAccess(ok(indexAccess(ok(memberAccess(d(), 'a', ctx)), k.str('b.c'), ctx)), k.long(0), ctx)), '10'],
    ["d.a['b.c'][-1] counts from the end", () => ok(indexAccess(ok(indexAccess(ok(memberAccess(d(), 'a', ctx)), k.str('b.c'), ctx)), k.long(-1), ctx)), '30'],
    ['d.missing is null', () => ok(memberAccess(d(), 'missing', ctx)), null],
    ['d.n (JSON null) is null', () => ok(memberAccess(d(), 'n', ctx)), null],
    ['a key with quotes is safe', () => ok(memberAccess(d(), `x"]') --`, ctx)), null],
    ['index by a column', () => ok(indexAccess(k.dyn('[1,2,3,4,5,6,7,8]'), col('seven', 'long'), ctx)), '8'],
  ]);
});
