/** The Kusto rules the issue names, each with its own test, on a real DuckDB. */
import { describe, expect, it } from 'vitest';
import { Codes } from '../../grammar/diagnostics.js';
import { errorsOf, kql, rows } from './run.js';

const words = `datatable(s:string)["Windows Update", "windows-update", "WindowsUpdate", "update", ""]`;

describe('Kusto semantics', () => {
  it('== is case-sensitive and =~ is not', async () => {
    expect(await rows(`${words} | where s == "update" | count`)).toEqual([[1]]);
    expect(await rows(`${words} | where s =~ "UPDATE" | count`)).toEqual([[1]]);
    expect(await rows(`${words} | where s =~ "windows update" | count`)).toEqual([[1]]);
    expect(await rows(`${words} | where s != "update" | count`)).toEqual([[4]]);
  });

  it('has matches whole terms, contains matches substrings, both case-insensitive', async () => {
    expect(await rows(`${words} | where s has "UPDATE" | project s`)).toEqual([['Windows Update'], ['windows-update'], ['update']]);
    expect(await rows(`${words} | where s contains "UPDATE" | count`)).toEqual([[4]]);
    expect(await rows(`${words} | where s has_cs "Update" | project s`)).toEqual([['Windows Update']]);
    expect(await rows(`${words} | where s hasprefix "win" | count`)).toEqual([[3]]);
  });

  it('a negated operator is true when the operand is null', async () => {
    const t = `datatable(n:long, d:dynamic)[1, dynamic({"k": "x"}), long(null), dynamic({})]`;
    expect(await rows(`${t} | where n != 1 | count`)).toEqual([[1]]);
    expect(await rows(`${t} | where n !in (1, 2) | count`)).toEqual([[1]]);
    expect(await rows(`${t} | where tostring(d.k) !contains "x" | count`)).toEqual([[1]]);
    expect(await rows(`${t} | where n !between (0 .. 5) | count`)).toEqual([[1]]);
  });

  it('a bare join is innerunique: one left row per key', async () => {
    const result = await rows(`datatable(k:string, l:long)["a", 1, "a", 2] | join (datatable(k:string, r:long)["a", 10]) on k | count`);
    expect(result).toEqual([[1]]);
  });

  it('sort defaults to descending, nulls last', async () => {
    expect(await rows(`datatable(n:long)[2, long(null), 3, 1] | sort by n`)).toEqual([[3], [2], [1], [null]]);
    expect(await rows(`datatable(n:long)[2, long(null), 3, 1] | sort by n asc`)).toEqual([[null], [1], [2], [3]]);
    expect(await rows(`datatable(n:long)[2, long(null), 3] | sort by n asc nulls last`)).toEqual([[2], [3], [null]]);
  });

  it('conversions return null instead of failing', async () => {
    expect(await rows(`print toint("abc"), tolong("12x"), todouble("x"), todatetime("not a date"), tobool("maybe")`)).toEqual([[null, null, null, null, null]]);
    expect(await rows(`print toint("42"), todouble("2.5")`)).toEqual([[42, 2.5]]);
  });

  it('keeps operator order: take 3 | sort differs from sort | take 3', async () => {
    const t = `range i from 1 to 10 step 1`;
    expect(await rows(`${t} | take 3 | sort by i`)).toEqual([[3], [2], [1]]);
    expect(await rows(`${t} | sort by i | take 3`)).toEqual([[10], [9], [8]]);
  });

  it('keeps the sort order through later where and project', async () => {
    expect(await rows(`range i from 1 to 2000 step 1 | sort by i | where i % 500 == 0 | project j = i * 2`)).toEqual([[4000], [3000], [2000], [1000]]);
  });

  it('evaluates now() once per query', async () => {
    const result = await rows(`range i from 1 to 50000 step 1 | extend t = now() | summarize dcount(t)`);
    expect(result).toEqual([[1]]);
  });

  it('bin counts from the epoch', async () => {
    expect(await rows(`print bin(datetime(2024-01-01 10:47), 1h), bin(datetime(1969-12-31 23:30), 1h), bin(17, 5), bin(-3, 5)`)).toEqual([
      ['2024-01-01T10:00:00Z', '1969-12-31T23:00:00Z', 15, -5],
    ]);
  });

  it('identifiers are case-sensitive', async () => {
    const errors = await errorsOf(`datatable(Computer:string)["a"] | project computer`);
    expect(errors[0]!.code).toBe(Codes.unknownColumn);
    expect(errors[0]!.message).toContain("'Computer'");
  });
});

describe('result types', () => {
  it('datetimes keep 100-ns precision and print as ISO 8601 UTC', async () => {
    expect(await rows(`print endofday(datetime(2024-02-29 10:00)), datetime(2024-01-01)`)).toEqual([['2024-02-29T23:59:59.9999999Z', '2024-01-01T00:00:00Z']]);
  });

  it('timespans print in the [d.]hh:mm:ss[.fffffff] form', async () => {
    expect(await rows(`print 1d + 2h + 3m + 4s + 500ms, 30m, datetime(2024-01-02) - datetime(2024-01-01 12:00), -1s`)).toEqual([
      ['1.02:03:04.5000000', '00:30:00', '12:00:00', '-00:00:01'],
    ]);
  });

  it('longs beyond 2^53 keep their precision', async () => {
    const result = await kql(`print x = 9223372036854775807, y = 9007199254740993`);
    expect(result.rows).toEqual([[9223372036854775807n, 9007199254740993n]]);
  });

  it('dynamic values come back as JSON', async () => {
    expect(await rows(`print d = dynamic({"a": [1, 2], "b": "x"}), e = pack_array(1, "a")`)).toEqual([[{ a: [1, 2], b: 'x' }, [1, 'a']]]);
    expect(await rows(`print d = dynamic({"a": [1, 2]}) | project x = d.a[1], y = d['a'][0]`)).toEqual([[2, 1]]);
    // A dynamic value where text is expected is read as its text.
    expect(await rows(`print d = dynamic({"name": "web1"}) | project n = strlen(d.name), u = toupper(d.name)`)).toEqual([[4, 'WEB1']]);
  });

  it('names output columns as the reference does', async () => {
    const names = async (q: string): Promise<string[]> => (await kql(q)).columns.map((c) => c.name);
    expect(await names(`print 1, 2`)).toEqual(['print_0', 'print_1']);
    expect(await names(`datatable(x:long)[1] | summarize count(), sum(x), avg(x), dcount(x)`)).toEqual(['count_', 'sum_x', 'avg_x', 'dcount_x']);
    expect(await names(`datatable(x:long)[1] | extend x + 1, strlen("a")`)).toEqual(['x', 'Column1', 'Column2']);
    expect(await names(`print d = dynamic({"k": 1}) | project d.k`)).toEqual(['d_k']);
  });

  it('truncates at the row limit and says so', async () => {
    const { runQuery } = await import('../run-query.js');
    const outcome = await runQuery(`range i from 1 to 100 step 1`, { maxRows: 10 });
    expect(outcome.ok && outcome.result.truncated).toBe(true);
    expect(outcome.ok && outcome.result.rows.length).toBe(10);
  });
});

describe('aggregate names', () => {
  it('names percentiles by their point', async () => {
    const result = await kql(`range x from 1 to 100 step 1 | summarize percentile(x, 95), percentiles(x, 50, 99.5)`);
    expect(result.columns.map((c) => c.name)).toEqual(['percentile_x_95', 'percentile_x_50', 'percentile_x_99_5']);
    expect(result.rows).toEqual([[95, 50, 100]]);
  });
});

describe('serialized rows', () => {
  it('numbers rows and reads neighbours in the sorted order', async () => {
    const result = await rows(`range i from 1 to 3000 step 1 | sort by i desc | serialize rn = row_number(), before = prev(i) | where rn <= 3 or rn == 3000 | project i, rn, before`);
    expect(result).toEqual([[3000, 1, null], [2999, 2, 3000], [2998, 3, 2999], [1, 3000, 2]]);
  });
});

describe('filters', () => {
  it('treat null as false in and/or but keep negations true on null', async () => {
    const t = `datatable(s:string, n:long)["a b", 1, "c", long(null), "", 3]`;
    expect(await rows(`${t} | where s has "a" or n > 2 | project n`)).toEqual([[1], [3]]);
    expect(await rows(`${t} | where not(n in (1, 3)) | project s`)).toEqual([['c']]);
    expect(await rows(`${t} | where n !in (1) and not(s has "zz") | project s`)).toEqual([['c'], ['']]);
    expect(await rows(`${t} | extend h = n in (1) | project h`)).toEqual([[true], [false], [false]]);
  });
});
