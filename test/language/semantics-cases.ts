/**
 * The Kusto-rule cases of semantics.test.ts as data: per describe block, per test, the queries
 * and the rows each must give (in order). Shared with test/clickhouse, where every query runs
 * on both stores and the answers must agree.
 */

const words = `datatable(s:string)["Windows Update", "windows-update", "WindowsUpdate", "update", ""]`;
const nullable = `datatable(n:long, d:dynamic)[1, dynamic({"k": "x"}), long(null), dynamic({})]`;
const filterRows = `datatable(s:string, n:long)["a b", 1, "c", long(null), "", 3]`;

export type QueryCheck = [query: string, expected: unknown[][]];

/** describe → test name → queries with their expected rows. */
export const semanticsCases: Record<string, Record<string, QueryCheck[]>> = {
  'Kusto semantics': {
    '== is case-sensitive and =~ is not': [
      [`${words} | where s == "update" | count`, [[1]]],
      [`${words} | where s =~ "UPDATE" | count`, [[1]]],
      [`${words} | where s =~ "windows update" | count`, [[1]]],
      [`${words} | where s != "update" | count`, [[4]]],
    ],
    'has matches whole terms, contains matches substrings, both case-insensitive': [
      [`${words} | where s has "UPDATE" | project s`, [['Windows Update'], ['windows-update'], ['update']]],
      [`${words} | where s contains "UPDATE" | count`, [[4]]],
      [`${words} | where s has_cs "Update" | project s`, [['Windows Update']]],
      [`${words} | where s hasprefix "win" | count`, [[3]]],
    ],
    'a negated operator is true when the operand is null': [
      [`${nullable} | where n != 1 | count`, [[1]]],
      [`${nullable} | where n !in (1, 2) | count`, [[1]]],
      [`${nullable} | where tostring(d.k) !contains "x" | count`, [[1]]],
      [`${nullable} | where n !between (0 .. 5) | count`, [[1]]],
    ],
    'a bare join is innerunique: one left row per key': [
      [`datatable(k:string, l:long)["a", 1, "a", 2] | join (datatable(k:string, r:long)["a", 10]) on k | count`, [[1]]],
    ],
    'sort defaults to descending, nulls last': [
      [`datatable(n:long)[2, long(null), 3, 1] | sort by n`, [[3], [2], [1], [null]]],
      [`datatable(n:long)[2, long(null), 3, 1] | sort by n asc`, [[null], [1], [2], [3]]],
      [`datatable(n:long)[2, long(null), 3] | sort by n asc nulls last`, [[2], [3], [null]]],
    ],
    'conversions return null instead of failing': [
      [`print toint("abc"), tolong("12x"), todouble("x"), todatetime("not a date"), tobool("maybe")`, [[null, null, null, null, null]]],
      [`print toint("42"), todouble("2.5")`, [[42, 2.5]]],
    ],
    'keeps operator order: take 3 | sort differs from sort | take 3': [
      [`range i from 1 to 10 step 1 | take 3 | sort by i`, [[3], [2], [1]]],
      [`range i from 1 to 10 step 1 | sort by i | take 3`, [[10], [9], [8]]],
    ],
    'keeps the sort order through later where and project': [
      [`range i from 1 to 2000 step 1 | sort by i | where i % 500 == 0 | project j = i * 2`, [[4000], [3000], [2000], [1000]]],
    ],
    'evaluates now() once per query': [[`range i from 1 to 50000 step 1 | extend t = now() | summarize dcount(t)`, [[1]]]],
    'bin counts from the epoch': [
      [`print bin(datetime(2024-01-01 10:47), 1h), bin(datetime(1969-12-31 23:30), 1h), bin(17, 5), bin(-3, 5)`, [['2024-01-01T10:00:00Z', '1969-12-31T23:00:00Z', 15, -5]]],
    ],
  },
  'result types': {
    'datetimes keep 100-ns precision and print as ISO 8601 UTC': [
      [`print endofday(datetime(2024-02-29 10:00)), datetime(2024-01-01)`, [['2024-02-29T23:59:59.9999999Z', '2024-01-01T00:00:00Z']]],
    ],
    'timespans print in the [d.]hh:mm:ss[.fffffff] form': [
      [`print 1d + 2h + 3m + 4s + 500ms, 30m, datetime(2024-01-02) - datetime(2024-01-01 12:00), -1s`, [['1.02:03:04.5000000', '00:30:00', '12:00:00', '-00:00:01']]],
    ],
    'longs beyond 2^53 keep their precision': [[`print x = 9223372036854775807, y = 9007199254740993`, [[9223372036854775807n, 9007199254740993n]]]],
    'dynamic values come back as JSON': [
      [`print d = dynamic({"a": [1, 2], "b": "x"}), e = pack_array(1, "a")`, [[{ a: [1, 2], b: 'x' }, [1, 'a']]]],
      [`print d = dynamic({"a": [1, 2]}) | project x = d.a[1], y = d['a'][0]`, [[2, 1]]],
      // A dynamic value where text is expected is read as its text.
      [`print d = dynamic({"name": "web1"}) | project n = strlen(d.name), u = toupper(d.name)`, [[4, 'WEB1']]],
    ],
  },
  'aggregate names': {
    'names percentiles by their point': [[`range x from 1 to 100 step 1 | summarize percentile(x, 95), percentiles(x, 50, 99.5)`, [[95, 50, 100]]]],
  },
  'serialized rows': {
    'numbers rows and reads neighbours in the sorted order': [
      [
        `range i from 1 to 3000 step 1 | sort by i desc | serialize rn = row_number(), before = prev(i) | where rn <= 3 or rn == 3000 | project i, rn, before`,
        [[3000, 1, null], [2999, 2, 3000], [2998, 3, 2999], [1, 3000, 2]],
      ],
    ],
  },
  filters: {
    'treat null as false in and/or but keep negations true on null': [
      [`${filterRows} | where s has "a" or n > 2 | project n`, [[1], [3]]],
      [`${filterRows} | where not(n in (1, 3)) | project s`, [['c']]],
      [`${filterRows} | where n !in (1) and not(s has "zz") | project s`, [['c'], ['']]],
      [`${filterRows} | extend h = n in (1) | project h`, [[true], [false], [false]]],
    ],
  },
};

/** Output column names as the reference gives them: query → names. */
export const columnNameCases: [query: string, names: string[]][] = [
  [`print 1, 2`, ['print_0', 'print_1']],
  [`datatable(x:long)[1] | summarize count(), sum(x), avg(x), dcount(x)`, ['count_', 'sum_x', 'avg_x', 'dcount_x']],
  [`datatable(x:long)[1] | extend x + 1, strlen("a")`, ['x', 'Column1', 'Column2']],
  [`print d = dynamic({"k": 1}) | project d.k`, ['d_k']],
];

/** Percentile columns are named by their point. */
export const percentileNames = ['percentile_x_95', 'percentile_x_50', 'percentile_x_99_5'];

/** Every row case of this file, flattened: [describe › test #n, query, expected rows]. */
export function allSemanticsRowCases(): [string, string, unknown[][]][] {
  return Object.entries(semanticsCases).flatMap(([group, tests]) =>
    Object.entries(tests).flatMap(([name, checks]) => checks.map(([query, expected], i): [string, string, unknown[][]] => [`${group} › ${name}${checks.length > 1 ? ` #${i + 1}` : ''}`, query, expected])),
  );
}
