/** Datetime functions on a real DuckDB, against the results Kusto documents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDatetime } from './literals.js';
import type { SqlArg } from './spec.js';
import { call, k, op, openHarness, testNowNs, type Harness, type KustoValue } from './test-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

type Row = [label: string, expr: () => SqlArg, expected: KustoValue];
const check = (rows: Row[]) =>
  it.each(rows)('%s', async (_label, expr, expected) => expect(await h.value(expr())).toEqual(expected));

describe('bin counts from the epoch', () => {
  check([
    ['bin(1970-01-01 01:30, 1h)', () => call('bin', k.dt('1970-01-01 01:30'), k.ts('1h')), '1970-01-01T01:00:00Z'],
    ['bin of a pre-1970 time floors', () => call('bin', k.dt('1969-12-31 22:30'), k.ts('1h')), '1969-12-31T22:00:00Z'],
    ['bin(…, 7d) starts on a Thursday (the epoch)', () => call('bin', k.dt('2024-01-10 12:00'), k.ts('7d')), '2024-01-04T00:00:00Z'],
    ['bin keeps 100-ns ticks', () => call('bin', k.dt('2024-01-01 10:20:30.1234567'), k.ts('1tick')), '2024-01-01T10:20:30.1234567Z'],
    ['floor is bin', () => call('floor', k.dt('2024-01-01 10:59'), k.ts('30m')), '2024-01-01T10:30:00Z'],
    ['bin of a number', () => call('bin', k.long(17), k.long(5)), 15],
    ['bin of a negative number floors', () => call('bin', k.long(-7), k.long(5)), -10],
    ['bin of a real', () => call('bin', k.real(4.7), k.real(0.5)), 4.5],
    ['bin of a timespan', () => call('bin', k.ts('1h 20m'), k.ts('1h')), '01:00:00'],
    ['bin_at', () => call('bin_at', k.dt('2024-01-01 10:20'), k.ts('1h'), k.dt('2024-01-01 00:15')), '2024-01-01T10:15:00Z'],
    ['bin_at number', () => call('bin_at', k.long(6), k.long(5), k.long(2)), 2],
  ]);
});

describe('start and end of periods', () => {
  const t = () => k.dt('2024-02-15 13:14:15.5');
  check([
    ['startofday', () => call('startofday', t()), '2024-02-15T00:00:00Z'],
    ['startofday offset', () => call('startofday', t(), k.long(-1)), '2024-02-14T00:00:00Z'],
    ['startofweek is Sunday', () => call('startofweek', t()), '2024-02-11T00:00:00Z'],
    ['startofmonth', () => call('startofmonth', t()), '2024-02-01T00:00:00Z'],
    ['startofmonth offset', () => call('startofmonth', t(), k.long(1)), '2024-03-01T00:00:00Z'],
    ['startofyear', () => call('startofyear', t()), '2024-01-01T00:00:00Z'],
    ['endofday ends in .9999999', () => call('endofday', t()), '2024-02-15T23:59:59.9999999Z'],
    ['endofweek is Saturday', () => call('endofweek', t()), '2024-02-17T23:59:59.9999999Z'],
    ['endofmonth (leap year)', () => call('endofmonth', t()), '2024-02-29T23:59:59.9999999Z'],
    ['endofyear', () => call('endofyear', t()), '2024-12-31T23:59:59.9999999Z'],
  ]);
});

describe('calendar parts', () => {
  const t = () => k.dt('2024-02-15 13:14:15.1234567');
  check([
    ['dayofweek Thursday', () => call('dayofweek', t()), '4.00:00:00'],
    ['dayofweek Sunday', () => call('dayofweek', k.dt('2024-02-11')), '00:00:00'],
    ['dayofweek before 1970', () => call('dayofweek', k.dt('1969-12-28 05:00')), '00:00:00'],
    ['dayofmonth', () => call('dayofmonth', t()), 15],
    ['dayofyear', () => call('dayofyear', t()), 46],
    ['getmonth', () => call('getmonth', t()), 2],
    ['monthofyear', () => call('monthofyear', t()), 2],
    ['getyear', () => call('getyear', t()), 2024],
    ['hourofday', () => call('hourofday', t()), 13],
    ['datetime_part Millisecond', () => call('datetime_part', k.str('Millisecond'), t()), 123],
    ['datetime_part microsecond', () => call('datetime_part', k.str('microsecond'), t()), 123456],
    ['datetime_part nanosecond', () => call('datetime_part', k.str('nanosecond'), t()), 123456700],
    ['datetime_part quarter', () => call('datetime_part', k.str('quarter'), t()), 1],
  ]);
});

describe('datetime_add and datetime_diff', () => {
  check([
    ['add month clamps', () => call('datetime_add', k.str('month'), k.long(1), k.dt('2024-01-31')), '2024-02-29T00:00:00Z'],
    ['add year keeps ticks', () => call('datetime_add', k.str('year'), k.long(-1), k.dt('2024-03-01 10:00:00.1234567')), '2023-03-01T10:00:00.1234567Z'],
    ['add quarter', () => call('datetime_add', k.str('quarter'), k.long(1), k.dt('2024-01-15')), '2024-04-15T00:00:00Z'],
    ['add hours', () => call('datetime_add', k.str('hour'), k.long(-3), k.dt('2024-01-01')), '2023-12-31T21:00:00Z'],
    // the reference's documented examples
    ['diff year', () => call('datetime_diff', k.str('year'), k.dt('2017-01-01'), k.dt('2000-12-31')), 17],
    ['diff quarter', () => call('datetime_diff', k.str('quarter'), k.dt('2017-07-01'), k.dt('2017-03-30')), 2],
    ['diff month', () => call('datetime_diff', k.str('month'), k.dt('2017-01-01'), k.dt('2015-12-30')), 13],
    ['diff week', () => call('datetime_diff', k.str('week'), k.dt('2017-10-29 00:00'), k.dt('2017-09-30 23:59')), 5],
    ['diff day', () => call('datetime_diff', k.str('day'), k.dt('2017-10-29 00:00'), k.dt('2017-09-30 23:59')), 29],
    ['diff hour', () => call('datetime_diff', k.str('hour'), k.dt('2017-10-31 01:00'), k.dt('2017-10-30 23:59')), 2],
    ['diff minute', () => call('datetime_diff', k.str('minute'), k.dt('2017-10-30 23:05:01'), k.dt('2017-10-30 23:00:59')), 5],
    ['diff second', () => call('datetime_diff', k.str('second'), k.dt('2017-10-30 23:00:10.100'), k.dt('2017-10-30 23:00:00.900')), 10],
    ['diff millisecond', () => call('datetime_diff', k.str('millisecond'), k.dt('2017-10-30 23:00:00.200100'), k.dt('2017-10-30 23:00:00.100900')), 100],
    ['diff microsecond', () => call('datetime_diff', k.str('microsecond'), k.dt('2017-10-30 23:00:00.1009001'), k.dt('2017-10-30 23:00:00.1008009')), 100],
    ['diff nanosecond', () => call('datetime_diff', k.str('nanosecond'), k.dt('2017-10-30 23:00:00.0000000'), k.dt('2017-10-30 23:00:00.0000007')), -700],
  ]);
});

describe('format_datetime', () => {
  const t = () => k.dt('2024-02-05 13:04:09.1230000');
  check([
    ['yyyy-MM-dd HH:mm:ss', () => call('format_datetime', t(), k.str('yyyy-MM-dd HH:mm:ss')), '2024-02-05 13:04:09'],
    ['fractions', () => call('format_datetime', t(), k.str('ss.fffffff|ss.fff|ss.FFFFFFF')), '09.1230000|09.123|09.123'],
    ['unpadded and 12-hour', () => call('format_datetime', t(), k.str('M/d/yy h:m:s tt')), '2/5/24 1:4:9 PM'],
    ['literal percent', () => call('format_datetime', t(), k.str('yyyy%MM')), '2024%02'],
  ]);
});

describe('now and ago', () => {
  check([
    ['now() is the query constant', () => call('now'), formatDatetime(testNowNs)],
    ['now() - now() is zero', () => op('-', call('now'), call('now')), '00:00:00'],
    ['ago(1h)', () => call('ago', k.ts('1h')), formatDatetime(testNowNs - 3_600_000_000_000n)],
    ['now(-1d)', () => call('now', k.ts('-1d')), formatDatetime(testNowNs - 86_400_000_000_000n)],
  ]);

  it('renders now() as the same literal everywhere in a query', () => {
    expect(call('now').sql).toBe(call('now').sql);
    expect(call('now').sql).not.toMatch(/now\(\)|current_timestamp/i);
  });
});
