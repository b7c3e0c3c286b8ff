import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, ScalarType } from '../../language/schema/types.js';
import { runSql } from './run.js';
import type { ResultValue } from '../../language/values/result.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

/** The values one SQL expression per row converts to, read as a column of the given Kusto type. */
async function convert(type: ScalarType, ...sqlValues: string[]): Promise<ResultValue[]> {
  const sql = sqlValues.map((v, i) => `SELECT ${i} AS i, ${v} AS v`).join(' UNION ALL ');
  const columns: Column[] = [{ name: 'v', type }];
  const { rows } = await runSql(conn, `SELECT v FROM (${sql}) ORDER BY i`, columns, { maxRows: 100 });
  return rows.map((r) => r[0]!);
}

describe('datetime', () => {
  it.each([
    ["'2024-01-01 23:59:59.9999999'::TIMESTAMP_NS", '2024-01-01T23:59:59.9999999Z'],
    ["'2024-01-01 00:00:00'::TIMESTAMP_NS", '2024-01-01T00:00:00Z'],
    ["'2024-01-01 00:00:00.5'::TIMESTAMP_NS", '2024-01-01T00:00:00.5000000Z'],
    ['make_timestamp_ns(1704067200000000123)', '2024-01-01T00:00:00.0000001Z'],
    ['make_timestamp_ns(1704067200000000099)', '2024-01-01T00:00:00Z'],
    ["'1969-12-31 23:59:59.9'::TIMESTAMP_NS", '1969-12-31T23:59:59.9000000Z'],
    ["'2024-03-05 06:07:08.123456'::TIMESTAMP", '2024-03-05T06:07:08.1234560Z'],
    ["'2024-03-05 06:07:08+02'::TIMESTAMPTZ", '2024-03-05T04:07:08Z'],
    ["'2024-03-05'::DATE", '2024-03-05T00:00:00Z'],
    ['NULL::TIMESTAMP_NS', null],
  ])('%s → %s', async (sql, expected) => {
    expect(await convert('datetime', sql)).toEqual([expected]);
  });
});

describe('timespan', () => {
  it.each([
    [String(((24 + 2) * 3600 + 3 * 60 + 4) * 1e9 + 5e8), '1.02:03:04.5000000'],
    [String(30 * 60 * 1e9), '00:30:00'],
    ['-1000000000', '-00:00:01'],
    ['-90061000000100', '-1.01:01:01.0000001'],
    ['100', '00:00:00.0000001'],
    ['0', '00:00:00'],
    ['9223372036854775807', '106751.23:47:16.8547758'],
    ["INTERVAL '90 minutes'", '01:30:00'],
    ['NULL::BIGINT', null],
  ])('%s ns → %s', async (sql, expected) => {
    expect(await convert('timespan', sql)).toEqual([expected]);
  });
});

describe('long', () => {
  it('keeps safe integers as numbers and larger ones as exact bigints', async () => {
    expect(
      await convert('long', '42::BIGINT', '9007199254740991::BIGINT', '9007199254740992::BIGINT', '9223372036854775807::BIGINT', '(-9223372036854775807 - 1)::BIGINT', 'NULL::BIGINT'),
    ).toEqual([42, 9007199254740991, 9007199254740992n, 9223372036854775807n, -9223372036854775808n, null]);
  });

  it('accepts HUGEINT sums and INTEGER counts', async () => {
    expect(await convert('long', '(SELECT sum(x) FROM range(4) t(x))')).toEqual([6]);
    expect(await convert('long', '7::INTEGER')).toEqual([7]);
  });
});

describe('int, real, decimal, bool', () => {
  it('int is a number', async () => {
    expect(await convert('int', '-5::INTEGER', '2147483647::BIGINT', 'NULL::INTEGER')).toEqual([-5, 2147483647, null]);
  });

  it('real prints non-finite values as Kusto does', async () => {
    expect(
      await convert('real', '1.25::DOUBLE', "'NaN'::DOUBLE", "'Infinity'::DOUBLE", "'-Infinity'::DOUBLE", 'NULL::DOUBLE'),
    ).toEqual([1.25, 'NaN', 'Infinity', '-Infinity', null]);
  });

  it('decimal is an exact string without trailing zeros', async () => {
    expect(
      await convert('decimal', '1.5::DECIMAL(38,18)', '2::DECIMAL(38,18)', "'12345678901234567890.123456789'::DECIMAL(38,18)"),
    ).toEqual(['1.5', '2', '12345678901234567890.123456789']);
  });

  it('bool is a boolean', async () => {
    expect(await convert('bool', 'true', 'false', 'NULL::BOOLEAN')).toEqual([true, false, null]);
  });
});

describe('string, guid, dynamic', () => {
  it('a null string is the empty string', async () => {
    expect(await convert('string', "'héllo'", "''", 'NULL::VARCHAR')).toEqual(['héllo', '', '']);
  });

  it('guid is a lowercase string', async () => {
    expect(await convert('guid', "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID", 'NULL::UUID')).toEqual([
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      null,
    ]);
  });

  it('dynamic is parsed JSON and SQL null stays null', async () => {
    expect(
      await convert('dynamic', `'{"a":[1,"x",null],"b":{"c":true}}'::JSON`, "'[1,2]'::JSON", "'null'::JSON", 'NULL::JSON', `'"text"'::JSON`),
    ).toEqual([{ a: [1, 'x', null], b: { c: true } }, [1, 2], null, null, 'text']);
  });

  it('nested DuckDB values in a dynamic column become JSON', async () => {
    expect(await convert('dynamic', '[1, 2, 3]')).toEqual([[1, 2, 3]]);
    expect(await convert('dynamic', "{'k': 'v'}")).toEqual([{ k: 'v' }]);
  });
});

describe('type mismatches', () => {
  it('a DuckDB type that cannot carry the Kusto type is an internal error naming the column', async () => {
    await expect(convert('long', "'abc'")).rejects.toMatchObject({
      diagnostic: { code: 'E901', message: expect.stringContaining("Column 'v' is typed long") },
    });
  });
});
