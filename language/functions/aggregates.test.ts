/** Aggregates over a small real table, with the names Kusto gives their columns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupFunction, resolveCall } from './catalogue.js';
import type { SqlArg } from './spec.js';
import { col, ctx, k, op, openHarness, type Harness } from './test-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
  await h.conn.run(`CREATE TABLE v AS SELECT * FROM (VALUES
    (1::BIGINT, 'a', 1.5::DOUBLE, 3600000000000::BIGINT), (2, 'b', 2.5, 7200000000000), (3, 'a', NULL, 0),
    (4, 'c', 4.0, 0), (5, 'a', 5.0, 0), (6, 'b', 6.0, 0), (7, 'a', 7.0, 0), (8, 'c', 8.0, 0), (9, 'a', 9.0, 0), (10, 'b', 10.0, 0)
  ) AS v(n, s, r, span)`);
});
afterAll(() => h.close());

function aggregate(name: string, ...args: SqlArg[]): SqlArg {
  const result = resolveCall(lookupFunction(name)!, args, ctx);
  if ('error' in result) throw new Error(result.error);
  return result;
}

async function over(arg: SqlArg): Promise<string | null> {
  const r = await h.conn.runAndReadAll(`SELECT CAST(${arg.sql} AS VARCHAR) FROM v`);
  const value = r.getRows()[0]?.[0];
  return value === null || value === undefined ? null : String(value);
}

const n = () => col('n', 'long');
const s = () => col('s', 'string');
const r = () => col('r', 'real');
const isA = () => op('==', s(), k.str('a'));

describe('aggregates', () => {
  it.each([
    ['count()', () => aggregate('count'), '10'],
    ['countif(s == "a")', () => aggregate('countif', isA()), '5'],
    ['sum(n)', () => aggregate('sum', n()), '55'],
    ['sumif(n, s == "a")', () => aggregate('sumif', n(), isA()), '25'],
    ['sum(timespan)', () => aggregate('sum', col('span', 'timespan')), '10800000000000'],
    ['avg(n)', () => aggregate('avg', n()), '5.5'],
    ['avgif(n, s == "a")', () => aggregate('avgif', n(), isA()), '5.0'],
    ['min(s)', () => aggregate('min', s()), 'a'],
    ['max(n)', () => aggregate('max', n()), '10'],
    ['maxif(n, s == "a")', () => aggregate('maxif', n(), isA()), '9'],
    ['dcount(s)', () => aggregate('dcount', s()), '3'],
    ['dcountif(s, n > 5)', () => aggregate('dcountif', s(), op('>', n(), k.long(5))), '3'],
    ['make_list(r) skips nulls', () => aggregate('make_list', r(), k.long(3)), '[1.5,2.5,4.0]'],
    ['make_list_if', () => aggregate('make_list_if', n(), op('>', n(), k.long(8))), '[9,10]'],
    ['make_set_if of nothing is []', () => aggregate('make_set_if', n(), k.bool(false)), '[]'],
    ['take_any', () => aggregate('take_any', op('*', n(), k.long(0))), '0'],
    ['stdev', () => aggregate('round', aggregate('stdev', n()), k.long(4)), '3.0277'],
    ['stdevp', () => aggregate('round', aggregate('stdevp', n()), k.long(4)), '2.8723'],
    ['variance', () => aggregate('round', aggregate('variance', n()), k.long(4)), '9.1667'],
    ['variancep', () => aggregate('variancep', n()), '8.25'],
    // nearest rank: the smallest value with at least p% of the values at or below it
    ['percentile(n, 50)', () => aggregate('percentile', n(), k.long(50)), '5'],
    ['percentile(n, 95)', () => aggregate('percentile', n(), k.long(95)), '10'],
    ['percentile(n, 25)', () => aggregate('percentile', n(), k.real(25)), '3'],
    ['percentile(n, 11)', () => aggregate('percentile', n(), k.long(11)), '2'],
  ])('%s', async (_label, expr, expected) => expect(await over(expr())).toBe(expected));

  it('make_set keeps each value once (in no particular order, as in Kusto)', async () => {
    const set = JSON.parse((await over(aggregate('make_set', s())))!) as string[];
    expect(set.sort()).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['count', [], 'count_'],
    ['countif', [], 'countif_'],
    ['sum', ['x'], 'sum_x'],
    ['avg', ['x'], 'avg_x'],
    ['dcount', ['Computer'], 'dcount_Computer'],
    ['make_set', ['x'], 'make_set_x'],
    ['take_any', ['x'], 'take_any_x'],
    ['stdev', ['x'], 'stdev_x'],
    ['sum', [undefined], 'sum_'],
  ] as const)('%s names its column %s', (name, [first], expected) => {
    expect(lookupFunction(name)!.defaultName!(first)).toBe(expected);
  });

  it('names percentile columns after the percentage', () => {
    const spec = lookupFunction('percentile')!;
    expect(spec.defaultName!('x', [n(), k.long(50)])).toBe('percentile_x_50');
    expect(spec.defaultName!('x', [n(), k.real(99.5)])).toBe('percentile_x_99_5');
  });
});
