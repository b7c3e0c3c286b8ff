/** Scalar functions on a real DuckDB, each row checked against the result Kusto documents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, col, k, openHarness, type Harness, type KustoValue } from './test-harness.js';
import type { SqlArg } from './spec.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

type Row = [label: string, expr: () => SqlArg, expected: KustoValue];
const check = (rows: Row[]) =>
  it.each(rows)('%s', async (_label, expr, expected) => expect(await h.value(expr())).toEqual(expected));

describe('conditionals', () => {
  check([
    ['iff(true, 1, 2)', () => call('iff', k.bool(true), k.long(1), k.long(2)), 1],
    ['iif(null, 1, 2) takes else', () => call('iif', k.null('bool'), k.long(1), k.long(2)), 2],
    ['iff widens int and real', () => call('iff', k.bool(false), k.int(1), k.real(2.5)), 2.5],
    ['case second branch', () => call('case', k.bool(false), k.str('a'), k.bool(true), k.str('b'), k.str('c')), 'b'],
    ['case else', () => call('case', k.bool(false), k.str('a'), k.str('c')), 'c'],
    ['coalesce(null, 5)', () => call('coalesce', k.null('long'), k.long(5)), 5],
    ['coalesce skips empty strings', () => call('coalesce', col('empty_string', 'string'), k.str('x')), 'x'],
    ['isnull("") is false', () => call('isnull', k.str('')), false],
    ['isnull(long null)', () => call('isnull', col('null_long', 'long')), true],
    ['isempty("")', () => call('isempty', k.str('')), true],
    ['isempty(null)', () => call('isempty', col('null_long', 'long')), true],
    ['isnotempty("a")', () => call('isnotempty', k.str('a')), true],
    ['isnull(missing dynamic property)', () => call('isnull', call('parse_json', k.str('{"a":null}'))), false],
    ['isnotnull(dynamic null)', () => call('isnotnull', col('null_dynamic', 'dynamic')), false],
    ['not(true)', () => call('not', k.bool(true)), false],
  ]);
});

describe('strings', () => {
  check([
    ['strcat', () => call('strcat', k.str('a'), k.long(1), k.bool(true), col('null_long', 'long')), 'a1true'],
    ['strcat of a datetime', () => call('strcat', k.dt('2024-01-01')), '2024-01-01T00:00:00Z'],
    ['strcat_delim', () => call('strcat_delim', k.str('-'), k.str('a'), k.str(''), k.long(2)), 'a--2'],
    ['strlen', () => call('strlen', k.str('hello')), 5],
    ['tolower', () => call('tolower', k.str('HeLLo')), 'hello'],
    ['toupper', () => call('toupper', k.str('HeLLo')), 'HELLO'],
    ['substring(…, 1, 2)', () => call('substring', k.str('123456'), k.long(1), k.long(2)), '23'],
    ['substring(…, 2)', () => call('substring', k.str('123456'), k.long(2)), '3456'],
    ['substring clamps a negative start', () => call('substring', k.str('123456'), k.long(-2), k.long(2)), '12'],
    ['substring clamps a long length', () => call('substring', k.str('ABCD'), k.long(2), k.long(100)), 'CD'],
    ['split', () => call('split', k.str('a,b,c'), k.str(',')), '["a","b","c"]'],
    ['split with index', () => call('split', k.str('a,b,c'), k.str(','), k.long(1)), '["b"]'],
    ['split index out of range', () => call('split', k.str('a,b,c'), k.str(','), k.long(5)), '[]'],
    ['trim', () => call('trim', k.str('--'), k.str('--abc--')), 'abc'],
    ['trim regex', () => call('trim', k.str('[^\\w]+'), k.str('  ..abc.. ')), 'abc'],
    ['trim_start', () => call('trim_start', k.str('-'), k.str('--abc--')), 'abc--'],
    ['trim_end', () => call('trim_end', k.str('-'), k.str('--abc--')), '--abc'],
    ['replace_string', () => call('replace_string', k.str('a.b.c'), k.str('.'), k.str('/')), 'a/b/c'],
    ['replace_regex', () => call('replace_regex', k.str('ab12cd3'), k.str('([0-9]+)'), k.str('<\\1>')), 'ab<12>cd<3>'],
    ['extract', () => call('extract', k.str('x=([0-9]+)'), k.long(1), k.str('a x=42 b')), '42'],
    ['extract without a match is ""', () => call('extract', k.str('x=([0-9]+)'), k.long(1), k.str('none')), ''],
    ['extract typed', () => call('extract', k.str('x=([0-9]+)'), k.long(1), k.str('x=42'), k.str('long')), 42],
    ['extract typed without a match is null', () => call('extract', k.str('x=([0-9]+)'), k.long(1), k.str('y'), k.str('long')), null],
    ['extract_all one group', () => call('extract_all', k.str('([a-z])[0-9]'), k.str('a1 b2 c3')), '["a","b","c"]'],
    ['extract_all two groups', () => call('extract_all', k.str('([a-z])([0-9])'), k.str('a1 b2')), '[["a","1"],["b","2"]]'],
    ['indexof', () => call('indexof', k.str('abcdef'), k.str('cd')), 2],
    ['indexof missing', () => call('indexof', k.str('abcdef'), k.str('x')), -1],
    ['indexof from start', () => call('indexof', k.str('abcabc'), k.str('b'), k.long(2)), 4],
    ['strcat_array', () => call('strcat_array', k.dyn('["a",1,"c"]'), k.str(',')), 'a,1,c'],
    ['reverse', () => call('reverse', k.str('abc')), 'cba'],
    ['countof overlapping', () => call('countof', k.str('aaaa'), k.str('aa')), 3],
    ['countof regex', () => call('countof', k.str('ababa'), k.str('ab'), k.str('regex')), 2],
    ['strrep', () => call('strrep', k.str('ab'), k.long(3), k.str(',')), 'ab,ab,ab'],
    ['strrep no delimiter', () => call('strrep', k.str('ab'), k.long(2)), 'abab'],
  ]);
});

describe('conversions return null on bad input', () => {
  check([
    ['toint("abc")', () => call('toint', k.str('abc')), null],
    ['toint("12")', () => call('toint', k.str('12')), 12],
    ['toint(2.7) truncates', () => call('toint', k.real(2.7)), 2],
    ['tolong("1.5") is null', () => call('tolong', k.str('1.5')), null],
    ['tolong(1s) is ticks', () => call('tolong', k.ts('1s')), 10000000],
    ['todouble("1.5")', () => call('todouble', k.str('1.5')), 1.5],
    ['toreal("x")', () => call('toreal', k.str('x')), null],
    ['tobool("true")', () => call('tobool', k.str('TRUE')), true],
    ['tobool("false")', () => call('toboolean', k.str('false')), false],
    ['tobool(0)', () => call('tobool', k.long(0)), false],
    ['tobool("maybe")', () => call('tobool', k.str('maybe')), null],
    ['toguid', () => call('toguid', k.str('74BE27DE-1E4E-49D9-B579-FE0B331D3642')), '74be27de-1e4e-49d9-b579-fe0b331d3642'],
    ['toguid bad', () => call('toguid', k.str('nope')), null],
    ['todecimal', () => call('todouble', call('todecimal', k.str('1.25'))), 1.25],
    ['todatetime constant', () => call('todatetime', k.str('2024-01-01 10:00')), '2024-01-01T10:00:00Z'],
    ['todatetime column', () => call('todatetime', call('strcat', k.str('2024-01-01T10:00:00.5Z'))), '2024-01-01T10:00:00.5000000Z'],
    ['todatetime bad', () => call('todatetime', call('strcat', k.str('nope'))), null],
    ['totimespan constant', () => call('totimespan', k.str('1.02:03:04')), '1.02:03:04'],
    ['totimespan text', () => call('totimespan', call('strcat', k.str('-00:30:00.25'))), '-00:30:00.2500000'],
    ['totimespan bad', () => call('totimespan', call('strcat', k.str('x'))), null],
    ['tostring(datetime)', () => call('tostring', k.dt('2024-01-01')), '2024-01-01T00:00:00Z'],
    ['tostring(datetime with ticks)', () => call('tostring', k.dt('2024-01-01 23:59:59.9999999')), '2024-01-01T23:59:59.9999999Z'],
    ['tostring(pre-1970 datetime)', () => call('tostring', k.dt('1969-12-31 23:59:59.5')), '1969-12-31T23:59:59.5000000Z'],
    ['tostring(timespan)', () => call('tostring', k.ts('1.02:03:04.5')), '1.02:03:04.5000000'],
    ['tostring(negative timespan)', () => call('tostring', k.ts('-30m')), '-00:30:00'],
    ['tostring(dynamic object)', () => call('tostring', k.dyn('{"a":1}')), '{"a":1}'],
    ['tostring(dynamic string)', () => call('tostring', k.dyn('"abc"')), 'abc'],
    ['tostring(bool)', () => call('tostring', k.bool(false)), 'false'],
    ['tostring(null) is ""', () => call('tostring', col('null_long', 'long')), ''],
    ['tostring(1.0)', () => call('tostring', k.real(1)), '1'],
    ['tostring(0.5)', () => call('tostring', k.real(0.5)), '0.5'],
  ]);
});

describe('math', () => {
  check([
    ['abs', () => call('abs', k.long(-3)), 3],
    ['round(2.5)', () => call('round', k.real(2.5)), 3],
    ['round(1.2345, 2)', () => call('round', k.real(1.2345), k.long(2)), 1.23],
    ['ceiling', () => call('ceiling', k.real(1.1)), 2],
    ['log(e)', () => call('round', call('log', call('exp', k.real(1))), k.long(6)), 1],
    ['log(0) is null', () => call('log', k.real(0)), null],
    ['log10', () => call('log10', k.real(1000)), 3],
    ['log2', () => call('log2', k.long(8)), 3],
    ['pow', () => call('pow', k.long(2), k.long(10)), 1024],
    ['sqrt', () => call('sqrt', k.real(9)), 3],
    ['sqrt(-1) is null', () => call('sqrt', k.real(-1)), null],
    ['sign', () => call('sign', k.real(-2.5)), -1],
    ['tohex', () => call('tohex', k.long(256)), '100'],
    ['tohex padded', () => call('tohex', k.long(255), k.long(4)), '00ff'],
  ]);
});

describe('dynamic', () => {
  check([
    ['bag_pack', () => call('bag_pack', k.str('a'), k.long(1), k.str('b'), k.str('x')), '{"a":1,"b":"x"}'],
    ['pack keeps datetimes as Kusto text', () => call('pack', k.str('t'), k.dt('2024-01-01')), '{"t":"2024-01-01T00:00:00Z"}'],
    ['pack_array', () => call('pack_array', k.long(1), k.str('a'), k.dyn('[2]')), '[1,"a",[2]]'],
    ['array_length', () => call('array_length', k.dyn('[1,2,3]')), 3],
    ['array_length of a non-array is null', () => call('array_length', k.dyn('{"a":1}')), null],
    ['parse_json', () => call('parse_json', k.str('{"a":[1]}')), '{"a":[1]}'],
    ['parse_json of plain text', () => call('todynamic', k.str('hello')), '"hello"'],
    ['bag_keys', () => call('bag_keys', k.dyn('{"a":1,"b":2}')), '["a","b"]'],
    ['set_has_element', () => call('set_has_element', k.dyn('["a","b"]'), k.str('b')), true],
    ['set_has_element missing', () => call('set_has_element', k.dyn('[1,2]'), k.long(3)), false],
    ['gettype(dynamic array)', () => call('gettype', k.dyn('[1]')), 'array'],
    ['gettype(long)', () => call('gettype', k.long(1)), 'long'],
  ]);
});
