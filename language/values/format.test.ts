import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../schema/types.js';
import { formatCsv, formatJson, formatTable } from './format.js';
import type { QueryResult, RenderSpec } from './result.js';
import { runSql } from '../../query/duckdb/run.js';

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

/** A result as the engine produces it, from real SQL. */
async function query(sql: string, columns: Column[], maxRows = 100, render: RenderSpec | null = null): Promise<QueryResult> {
  const { rows, truncated, durationMs } = await runSql(conn, sql, columns, { maxRows });
  return { columns, rows, truncated, render, stats: { durationMs, rowCount: rows.length } };
}

const mixedColumns: Column[] = [
  { name: 'Computer', type: 'string' },
  { name: 'Big', type: 'long' },
  { name: 'At', type: 'datetime' },
  { name: 'Took', type: 'timespan' },
  { name: 'Props', type: 'dynamic' },
  { name: 'Ok', type: 'bool' },
];
const mixedSql = `SELECT 'web-01' AS Computer, 9223372036854775807::BIGINT AS Big,
  '2024-01-01 23:59:59.9999999'::TIMESTAMP_NS AS At, -1000000000::BIGINT AS Took,
  '{"k":[1,"a,b"]}'::JSON AS Props, true AS Ok
  UNION ALL SELECT NULL, 5, NULL, NULL, NULL, NULL`;

describe('formatJson', () => {
  it('prints the exact documented shape, with longs beyond 2^53 as exact numbers', async () => {
    const result = await query(`${mixedSql} ORDER BY Big DESC`, mixedColumns);
    expect(formatJson(result)).toBe(
      '{"columns":[{"name":"Computer","type":"string"},{"name":"Big","type":"long"},{"name":"At","type":"datetime"},' +
        '{"name":"Took","type":"timespan"},{"name":"Props","type":"dynamic"},{"name":"Ok","type":"bool"}],' +
        '"rows":[["web-01",9223372036854775807,"2024-01-01T23:59:59.9999999Z","-00:00:01",{"k":[1,"a,b"]},true],' +
        '["",5,null,null,null,null]],"truncated":false,"render":null}',
    );
  });

  it('includes the render spec and the truncation flag', async () => {
    const render: RenderSpec = { visualization: 'timechart', properties: { title: 'Beats', ycolumns: ['n'], legend: false } };
    const result = await query('SELECT range AS n FROM range(3)', [{ name: 'n', type: 'long' }], 2, render);
    expect(formatJson(result)).toBe(
      '{"columns":[{"name":"n","type":"long"}],"rows":[[0],[1]],"truncated":true,' +
        '"render":{"visualization":"timechart","properties":{"title":"Beats","ycolumns":["n"],"legend":false}}}',
    );
  });

  it('is valid JSON that round-trips strings with quotes and control characters', async () => {
    const result = await query(`SELECT 'say "hi"\n\tnow' AS s`, [{ name: 's', type: 'string' }]);
    expect(JSON.parse(formatJson(result)).rows).toEqual([['say "hi"\n\tnow']]);
  });
});

describe('formatCsv', () => {
  it('quotes fields with commas, quotes and line breaks, and prints dynamic as compact JSON', async () => {
    const result = await query(`${mixedSql} ORDER BY Big DESC`, mixedColumns);
    expect(formatCsv(result)).toBe(
      'Computer,Big,At,Took,Props,Ok\r\n' +
        'web-01,9223372036854775807,2024-01-01T23:59:59.9999999Z,-00:00:01,"{""k"":[1,""a,b""]}",true\r\n' +
        ',5,,,,\r\n',
    );
  });

  it('quotes headers and multi-line values', async () => {
    const result = await query(`SELECT 'line 1\nline 2' AS "a,b"`, [{ name: 'a,b', type: 'string' }]);
    expect(formatCsv(result, { newline: '\n' })).toBe('"a,b"\n"line 1\nline 2"\n');
  });
});

describe('formatTable', () => {
  const columns: Column[] = [
    { name: 'Computer', type: 'string' },
    { name: 'count_', type: 'long' },
    { name: 'ratio', type: 'real' },
  ];
  const sql = `SELECT * FROM (VALUES ('web-01', 12, 0.5), ('database-server-07', 3456, 12.25), ('x', NULL, NULL)) t(c, n, r)`;

  it('aligns columns, right-aligns numbers and counts rows', async () => {
    const result = await query(sql, columns);
    expect(formatTable(result)).toBe(
      [
        'Computer            count_  ratio',
        '------------------  ------  -----',
        'web-01                  12    0.5',
        'database-server-07    3456  12.25',
        'x',
        '3 rows',
        '',
      ].join('\n'),
    );
  });

  it('cuts values past the column width with an ellipsis', async () => {
    const result = await query(sql, columns);
    const lines = formatTable(result, { maxWidth: 8 }).split('\n');
    expect(lines[0]).toBe('Computer  count_  ratio');
    expect(lines[3]).toBe('databas…    3456  12.25');
  });

  it('says when the result was truncated and escapes line breaks', async () => {
    const result = await query(`SELECT 'a' || chr(10) || 'b' AS s FROM range(3)`, [{ name: 's', type: 'string' }], 2);
    expect(formatTable(result)).toBe('s\n----\na\\nb\na\\nb\n2 rows (truncated at 2 rows)\n');
  });

  it('styles headers when color is on, without changing the layout', async () => {
    const result = await query(sql, columns);
    const colored = formatTable(result, { color: true });
    expect(colored).toContain('\x1b[1mComputer');
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(formatTable(result));
  });

  it('prints one row in the singular', async () => {
    const result = await query('SELECT 1 AS n', [{ name: 'n', type: 'int' }]);
    expect(formatTable(result).endsWith('1 row\n')).toBe(true);
  });
});
