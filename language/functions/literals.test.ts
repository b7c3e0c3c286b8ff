import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datetimeInRange, formatDatetime, formatTimespan, parseDatetimeLiteral, parseTimespanLiteral, timespanInRange } from './literals.js';
import { k, openHarness, type Harness } from './test-harness.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('parseDatetimeLiteral', () => {
  it.each([
    ['2024-01-01', ns('2024-01-01T00:00:00Z')],
    ['2024-01-01 10:20', ns('2024-01-01T10:20:00Z')],
    ['2024-01-01 10:20:30.1234567', ns('2024-01-01T10:20:30Z') + 123456700n],
    ['2024-01-01T10:20:30Z', ns('2024-01-01T10:20:30Z')],
    ['2024-01-01T10:20:30+02:00', ns('2024-01-01T08:20:30Z')],
    ['Mon, 01 Jan 2024 10:00:00 GMT', ns('2024-01-01T10:00:00Z')],
    ['1969-12-31 23:00', ns('1969-12-31T23:00:00Z')],
  ])('%s', (text, expected) => expect(parseDatetimeLiteral(text)).toBe(expected));

  it.each(['2024-13-01', '2024-02-30', 'yesterday', '2024-01-01 25:00'])('rejects %s', (text) => {
    expect(parseDatetimeLiteral(text)).toBeUndefined();
  });
});

describe('the range a datetime or timespan can hold (64-bit nanoseconds)', () => {
  it.each([
    ['1678-01-01', true], ['2261-12-31 23:59:59.9999999', true], ['1677-12-31 23:59:59', false], ['2262-01-01', false], ['9999-12-31', false], ['1601-01-01', false],
  ])('datetime %s in range: %s', (text, inRange) => expect(datetimeInRange(parseDatetimeLiteral(text)!)).toBe(inRange));

  it.each([['106751d', true], ['-106751d', true], ['106752d', false], ['1000000000d', false]])('timespan %s in range: %s', (text, inRange) => {
    expect(timespanInRange(parseTimespanLiteral(text)!)).toBe(inRange);
  });
});

describe('parseTimespanLiteral', () => {
  const s = 1_000_000_000n;
  it.each([
    ['1d', 86400n * s], ['2h', 7200n * s], ['30m', 1800n * s], ['10s', 10n * s], ['100ms', 100_000_000n],
    ['1.5h', 5400n * s], ['10microsecond', 10_000n], ['5tick', 500n], ['2min', 120n * s], ['3sec', 3n * s],
    ['1day', 86400n * s], ['2hours', 7200n * s], ['1d 2h 30m 10s', (86400n + 7200n + 1800n + 10n) * s],
    ['1.02:03:04.5', (86400n + 7384n) * s + 500_000_000n], ['02:03', 7380n * s], ['10', 864000n * s], ['-1h', -3600n * s],
  ])('%s', (text, expected) => expect(parseTimespanLiteral(text)).toBe(expected));

  it.each(['1x', '', 'h'])('rejects %j', (text) => expect(parseTimespanLiteral(text)).toBeUndefined());
});

describe('formatting', () => {
  it.each([
    ['2024-01-01T00:00:00Z', 0n, '2024-01-01T00:00:00Z'],
    ['2024-01-01T23:59:59Z', 999_999_900n, '2024-01-01T23:59:59.9999999Z'],
    ['1969-12-31T23:59:59Z', 500_000_000n, '1969-12-31T23:59:59.5000000Z'],
  ])('formatDatetime %s + %s ns', (base, extra, expected) => expect(formatDatetime(ns(base) + extra)).toBe(expected));

  it.each([
    [parseTimespanLiteral('1.02:03:04.5')!, '1.02:03:04.5000000'],
    [parseTimespanLiteral('30m')!, '00:30:00'],
    [-parseTimespanLiteral('1d 1s')!, '-1.00:00:01'],
    [0n, '00:00:00'],
  ])('formatTimespan %s', (value, expected) => expect(formatTimespan(value)).toBe(expected));
});

describe('constantSql on DuckDB', () => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(); });
  afterAll(() => h.close());

  it.each([
    [k.long(9007199254740993n), 9007199254740993n],
    [k.int(-5), -5],
    [k.real(0.25), 0.25],
    [k.str("it's"), "it's"],
    [k.bool(true), true],
    [k.dt('2024-01-01 10:20:30.1234567'), '2024-01-01T10:20:30.1234567Z'],
    [k.ts('1.02:03:04.5'), '1.02:03:04.5000000'],
    [k.dyn('{"a":[1,2]}'), '{"a":[1,2]}'],
    [k.guid('74be27de-1e4e-49d9-b579-fe0b331d3642'), '74be27de-1e4e-49d9-b579-fe0b331d3642'],
    [k.null('long'), null],
  ])('constant %#', async (arg, expected) => expect(await h.value(arg)).toEqual(expected));

  it('keeps typed nulls typed', async () => {
    const r = await h.conn.runAndReadAll(`SELECT typeof(${k.null('datetime').sql})`);
    expect(r.getRows()[0]?.[0]).toBe('TIMESTAMP_NS');
  });
});
