/**
 * The operator result cases (query → expected rows), shared by operators.test.ts (DuckDB) and
 * test/clickhouse (the same cases on both stores must agree).
 */

export const T = `datatable(Computer:string, OS:string, Missing:long, Seen:datetime)[
  "web1", "Linux", 3, datetime(2024-01-01 10:00),
  "web2", "Linux", 0, datetime(2024-01-02 11:30),
  "db1", "Windows", 5, datetime(2024-01-01 23:00),
  "db2", "Windows", 1, datetime(2024-01-03 08:15),
  "app1", "Windows", 5, datetime(2024-01-02 09:00)]`;

/** [name, query, expected rows in order]. */
export const operatorCases: [string, string, unknown[][]][] = [
  ['where', `${T} | where Missing > 2 | project Computer`, [['web1'], ['db1'], ['app1']]],
  ['filter alias', `${T} | filter OS == "Linux" | count`, [[2]]],
  ['project computed', `${T} | where Computer == "web1" | project Computer, Double = Missing * 2`, [['web1', 6]]],
  ['project-away', `${T} | project-away OS, Seen | take 1`, [['web1', 3]]],
  ['project-away wildcard', `${T} | project-away M*, S* | take 1`, [['web1', 'Linux']]],
  ['project-keep', `${T} | project-keep Missing, Computer | take 1`, [['web1', 3]]],
  ['project-rename', `${T} | project-rename Host = Computer | project Host | take 1`, [['web1']]],
  ['project-reorder', `${T} | project-reorder Missing, OS | take 1`, [[3, 'Linux', 'web1', '2024-01-01T10:00:00Z']]],
  ['extend chain', `${T} | take 1 | extend a = Missing + 1, b = a * 10 | project a, b`, [[4, 40]]],
  ['extend replaces in place', `${T} | take 1 | extend OS = "x" | project-away Seen`, [['web1', 'x', 3]]],
  ['summarize by', `${T} | summarize n = count(), total = sum(Missing) by OS | sort by OS asc`, [['Linux', 2, 3], ['Windows', 3, 11]]],
  ['summarize default names', `${T} | summarize count(), sum(Missing), max(Missing) | project-reorder count_`, [[5, 14, 5]]],
  ['summarize by only', `${T} | summarize by OS | sort by OS asc`, [['Linux'], ['Windows']]],
  ['summarize bin', `${T} | summarize count() by bin(Seen, 1d) | sort by Seen asc`, [['2024-01-01T00:00:00Z', 2], ['2024-01-02T00:00:00Z', 2], ['2024-01-03T00:00:00Z', 1]]],
  ['summarize computed key', `${T} | summarize count() by Upper = toupper(OS) | sort by Upper asc`, [['LINUX', 2], ['WINDOWS', 3]]],
  ['arg_max star', `${T} | summarize arg_max(Seen, *) by OS | sort by OS asc`, [['Linux', '2024-01-02T11:30:00Z', 'web2', 0], ['Windows', '2024-01-03T08:15:00Z', 'db2', 1]]],
  ['arg_min named', `${T} | summarize arg_min(Missing, Computer) by OS | sort by OS asc`, [['Linux', 0, 'web2'], ['Windows', 1, 'db2']]],
  ['arg_max with other aggregates', `${T} | summarize arg_max(Missing, Computer), n = count() by OS | sort by OS asc | project OS, Missing, n`, [['Linux', 3, 2], ['Windows', 5, 3]]],
  ['distinct', `${T} | distinct OS | sort by OS asc`, [['Linux'], ['Windows']]],
  ['distinct star', `${T} | project OS | distinct * | count`, [[2]]],
  ['top', `${T} | top 2 by Missing asc | project Computer`, [['web2'], ['db2']]],
  ['top with ties keeps order by key', `${T} | top 1 by Seen | project Computer`, [['db2']]],
  ['take', `${T} | take 2 | count`, [[2]]],
  ['limit', `${T} | limit 1 | project Computer`, [['web1']]],
  ['sort multiple keys', `${T} | sort by Missing desc, Computer asc | project Computer`, [['app1'], ['db1'], ['web1'], ['db2'], ['web2']]],
  ['order by', `${T} | order by Computer asc | take 1 | project Computer`, [['app1']]],
  ['count', `${T} | count`, [[5]]],
  ['getschema', `datatable(a:string, b:long)[] | getschema`, [['a', 0, 'System.String', 'string'], ['b', 1, 'System.Int64', 'long']]],
  ['as and serialize', `${T} | sort by Computer asc | serialize | take 1 | project Computer`, [['app1']]],
  ['print', `print 1, x = "a"`, [[1, 'a']]],
  ['range', `range i from 1 to 5 step 2`, [[1], [3], [5]]],
  ['range datetime', `range d from datetime(2024-01-01) to datetime(2024-01-01 02:00) step 1h | count`, [[3]]],
  ['union', `union (print a = 1), (print a = 2) | sort by a asc`, [[1], [2]]],
  // A missing string is "" (Kusto strings are never null); other types stay null.
  ['union outer columns', `union (print a = 1), (print b = "x") | project a, b`, [[1, ''], [null, 'x']]],
  ['union withsource', `let A = print v = 1; let B = print v = 2; union withsource=Src A, B | sort by v asc`, [['A', 1], ['B', 2]]],
  ['union operator', `print a = 1 | union (print a = 2) | count`, [[2]]],
  ['mv-expand', `print d = dynamic([10, 20]) | mv-expand d to typeof(long)`, [[10], [20]]],
  ['mv-expand with_itemindex', `print d = dynamic(["a", "b"]) | mv-expand with_itemindex = i d | project i, v = tostring(d)`, [[0, 'a'], [1, 'b']]],
  ['parse simple', `print s = "id=42 name=web1" | parse s with "id=" Id:long " name=" Name | project Id, Name`, [[42, 'web1']]],
  ['parse wildcard', `print s = "prefix: x=7;" | parse s with * "x=" X:long ";" | project X`, [[7]]],
  ['parse regex', `print s = "err 500 at /a" | parse kind=regex s with "err " Code:long " at " Path | project Code, Path`, [[500, '/a']]],
  ['parse relaxed', `print s = "n=abc" | parse kind=relaxed s with "n=" N:long | project N`, [[null]]],
  ['make-series', `${T} | make-series n = count() default = 0 on Seen from datetime(2024-01-01) to datetime(2024-01-04) step 1d by OS | sort by OS asc | project OS, n`, [['Linux', [1, 1, 0]], ['Windows', [1, 1, 1]]]],
  ['let scalar', `let threshold = 2; ${T} | where Missing > threshold | count`, [[3]]],
  ['let tabular', `let Linux = ${T} | where OS == "Linux"; Linux | count`, [[2]]],
  ['user scalar function', `let twice = (x:long) { x * 2 }; print twice(21)`, [[42]]],
  ['user tabular function', `let over = (T:(Missing:long), n:long) { T | where Missing > n }; over(${T}, 4) | count`, [[2]]],
  ['in subquery', `let W = ${T} | where OS == "Windows"; ${T} | where Computer in ((W | where Missing == 5 | project Computer)) | count`, [[2]]],
  ['in list', `${T} | where Computer in ("web1", "db1") | count`, [[2]]],
  ['!in list', `${T} | where Computer !in ("web1", "db1") | count`, [[3]]],
  ['in~', `${T} | where Computer in~ ("WEB1") | count`, [[1]]],
  ['between', `${T} | where Missing between (1 .. 3) | count`, [[2]]],
  ['!between', `${T} | where Missing !between (1 .. 3) | count`, [[3]]],
];

export const joinLeft = `datatable(k:string, l:long)["a", 1, "a", 2, "b", 3, "c", 4]`;
export const joinRight = `datatable(k:string, r:long)["a", 10, "b", 20, "b", 21, "d", 40]`;
/** [join kind, expected rows in any order]. */
export const joinCases: [string, unknown[][]][] = [
  ['inner', [['a', 1, 'a', 10], ['a', 2, 'a', 10], ['b', 3, 'b', 20], ['b', 3, 'b', 21]]],
  ['innerunique', [['a', 'a', 10], ['b', 'b', 20], ['b', 'b', 21]]],
  ['leftouter', [['a', 1, 'a', 10], ['a', 2, 'a', 10], ['b', 3, 'b', 20], ['b', 3, 'b', 21], ['c', 4, '', null]]],
  ['rightouter', [['a', 1, 'a', 10], ['a', 2, 'a', 10], ['b', 3, 'b', 20], ['b', 3, 'b', 21], ['', null, 'd', 40]]],
  ['fullouter', [['a', 1, 'a', 10], ['a', 2, 'a', 10], ['b', 3, 'b', 20], ['b', 3, 'b', 21], ['c', 4, '', null], ['', null, 'd', 40]]],
  ['leftsemi', [['a', 1], ['a', 2], ['b', 3]]],
  ['leftanti', [['c', 4]]],
  ['rightsemi', [['a', 10], ['b', 20], ['b', 21]]],
  ['rightanti', [['d', 40]]],
];

/** The query of a join-kind case; innerunique keeps one arbitrary left row per key, so its left value is not compared. */
export function joinQuery(kind: string): string {
  const project = kind === 'innerunique' ? '| project k, k1, r' : '';
  return `${joinLeft} | join kind=${kind} (${joinRight}) on k ${project}`;
}

/** Joins on `$left.a == $right.b`: expected rows in order. */
export const joinOnDifferentNames: [string, unknown[][]] = [
  `${joinLeft} | join kind=inner (${joinRight} | project-rename key = k) on $left.k == $right.key | where l == 3 | project l, r | sort by r asc`,
  [
    [3, 20],
    [3, 21],
  ],
];

/** lookup keeps the key once and the left rows without a match: expected rows in order. */
export const lookupCase: [string, unknown[][]] = [
  `${joinLeft} | lookup (${joinRight} | summarize r = max(r) by k) on k | sort by l asc`,
  [['a', 1, 10], ['a', 2, 10], ['b', 3, 21], ['c', 4, null]],
];

/** A duplicated right column gets a 1 suffix. */
export const joinDuplicateNames = `${joinLeft} | join kind=inner (${joinRight}) on k`;
