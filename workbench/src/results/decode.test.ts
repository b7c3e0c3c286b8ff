import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../../language/values/format.js';
import { resultCells } from './cells.js';
import { resultCsv } from './csv.js';
import { decodeArrowResult } from './decode.js';
import { nextSort, sortedOrder } from './sort.js';
import { arrowResult } from './testing.js';

const everyType = `datatable(s:string, l:long, d:dynamic, dt:datetime, ts:timespan, r:real, g:guid, b:bool, i:int, dec:decimal)[
  "x", 1, dynamic({"k":[1,2]}), datetime(2024-01-01 23:59:59.9999999), timespan(1.02:00:03.00001), 1.5, guid(00000000-0000-0000-0000-000000000001), true, 3, decimal(1.25),
  "y,\\"z", 9007199254740993, dynamic(null), datetime(1969-12-31 23:59:59.5), timespan(-00:00:01), -0.25, guid(00000000-0000-0000-0000-000000000002), false, -7, decimal(-0.5),
  "", long(null), dynamic("a\\nb"), datetime(null), timespan(null), real(null), guid(null), bool(null), int(null), decimal(null)
]`;

describe('decodeArrowResult over the server wire format', () => {
  it('reads Kusto types, truncation and render from the metadata', async () => {
    const { arrow } = await arrowResult('range x from 1 to 3 step 1 | extend y = x * 2 | render columnchart with (title="T", ycolumns=y)');
    expect(arrow.columns).toEqual([
      { name: 'x', type: 'long' },
      { name: 'y', type: 'long' },
    ]);
    expect(arrow.rowCount).toBe(3);
    expect(arrow.truncated).toBe(false);
    expect(arrow.render).toEqual({ visualization: 'columnchart', properties: { title: 'T', ycolumns: 'y' } });
  });

  it('prints every cell as the CLI does: 7-digit datetimes, timespans, exact longs, JSON dynamics, empty nulls', async () => {
    const { arrow, engine } = await arrowResult(everyType);
    expect(resultCsv(arrow)).toBe(formatCsv(engine));
    const cells = resultCells(arrow);
    const byName = (name: string) => cells.find((c) => c.column.name === name)!;
    expect(byName('dt').text(0)).toBe('2024-01-01T23:59:59.9999999Z');
    expect(byName('dt').text(1)).toBe('1969-12-31T23:59:59.5000000Z');
    expect(byName('ts').text(0)).toBe('1.02:00:03.0000100');
    expect(byName('ts').text(1)).toBe('-00:00:01');
    expect(byName('l').value(1)).toBe(9007199254740993n);
    expect(byName('d').text(0)).toBe('{"k":[1,2]}');
    expect(byName('l').value(2)).toBeNull();
    expect(byName('dt').value(2)).toBeNull();
    expect(byName('b').value(1)).toBe(false);
  });

  it('marks a truncated answer', async () => {
    const { engine } = await arrowResult('range x from 1 to 3 step 1');
    const { resultToArrow } = await import('../../../server/arrow-result.js');
    const decoded = decodeArrowResult(resultToArrow({ ...engine, truncated: true }), 5);
    expect(decoded.truncated).toBe(true);
    expect(decoded.durationMs).toBe(5);
  });

  it('names the problem when a column has no Kusto type', () => {
    const bytes = tableToIPC(tableFromArrays({ a: Int32Array.from([1]) }), 'stream');
    expect(() => decodeArrowResult(bytes, 0)).toThrow(/Column 'a' has no Kusto type/);
  });
});

describe('sorting sorts indices', () => {
  it('orders longs beyond 2^53 exactly, nulls lowest, and is stable', async () => {
    const { arrow } = await arrowResult(
      'datatable(k:long, tag:string)[9007199254740993, "a", long(null), "b", 9007199254740992, "c", 1, "d", 9007199254740993, "e"]',
    );
    const [k, tag] = resultCells(arrow);
    const asc = sortedOrder(k!, arrow.rowCount, 'asc');
    expect(Array.from(asc, (row) => tag!.text(row))).toEqual(['b', 'd', 'c', 'a', 'e']);
    const desc = sortedOrder(k!, arrow.rowCount, 'desc');
    expect(Array.from(desc, (row) => tag!.text(row))).toEqual(['a', 'e', 'c', 'd', 'b']);
    expect(resultCsv(arrow, asc).split('\r\n')[1]).toBe(',b');
  });

  it('sorts datetimes by nanoseconds and strings ordinally', async () => {
    const { arrow } = await arrowResult(
      'datatable(t:datetime, s:string)[datetime(2024-01-01 00:00:00.0000002), "b", datetime(2024-01-01 00:00:00.0000001), "B", datetime(2023-12-31), "a"]',
    );
    const [t, s] = resultCells(arrow);
    expect(Array.from(sortedOrder(t!, 3, 'asc'))).toEqual([2, 1, 0]);
    expect(Array.from(sortedOrder(s!, 3, 'asc'), (row) => s!.text(row))).toEqual(['B', 'a', 'b']);
  });

  it('cycles ascending, descending, unsorted on repeated header clicks', () => {
    const first = nextSort(null, 2);
    expect(first).toEqual({ column: 2, direction: 'asc' });
    const second = nextSort(first, 2);
    expect(second).toEqual({ column: 2, direction: 'desc' });
    expect(nextSort(second, 2)).toBeNull();
    expect(nextSort(second, 0)).toEqual({ column: 0, direction: 'asc' });
  });
});
