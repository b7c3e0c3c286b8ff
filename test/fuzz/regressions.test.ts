/**
 * Every failure the fuzzer and the injection properties found, as a fixed input: each once ended
 * in a raw DuckDB error (E901) or broken SQL. Now each either gives the right rows or a
 * diagnostic naming the problem. New finds go here with the query the fuzzer shrank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codes, QueryError } from '../../language/syntax/diagnostics.js';
import { compile } from '../../language/compile.js';
import { runSql } from '../../query/duckdb/run.js';
import { checkQuery } from './check.js';
import { openFleet, type Fleet } from './fleet.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await openFleet(2);
});
afterAll(() => fleet.close());

type Expected = { rows: unknown[][] } | { code: string };

async function outcome(query: string): Promise<Expected> {
  const compiled = compile(query, { now: fleet.now });
  if (!compiled.ok) return { code: compiled.diagnostics.find((d) => d.severity === 'error')!.code };
  try {
    const { rows } = await runSql(fleet.conn, compiled.sql, compiled.columns, { maxRows: 10, timeoutMs: 10_000 });
    return { rows };
  } catch (error) {
    if (error instanceof QueryError) return { code: error.diagnostic.code };
    throw error;
  }
}

const deep = `print ${Array.from({ length: 1200 }, () => '1').join(' + ')}`;

const found: [name: string, query: string, expected: Expected][] = [
  // datetimes are 64-bit nanoseconds: 1678–2261 (was: Conversion Error INT128 → INT64)
  ['datetime literal past 2261', 'print datetime(9999-12-31 23:59:59.9) - 1h', { code: Codes.badLiteral }],
  ['datetime literal before 1678', 'print getyear(datetime(1601-01-01))', { code: Codes.badLiteral }],
  ['timespan literal past 64-bit ns', 'print 1000000000d', { code: Codes.badLiteral }],
  ['todatetime of a date the store cannot hold is null', 'print isnull(todatetime("9999-12-31"))', { rows: [[true]] }],
  // overflow while running is the query's problem (was: raw Out of Range Error)
  ['long multiplication overflow', 'datatable(c0:bool)[true] | extend e = 9223372036854775807 * 7', { code: Codes.valueOutOfRange }],
  ['datetime + timespan past 2262', 'print strcat(now() + 106751d)', { code: Codes.valueOutOfRange }],
  // a table without columns (was: "the SQL returns 1 columns but the query's schema has 0")
  ['project-away of every column', 'let Src = range x from 1 to 5 step 2 | distinct x; Src | project-away x', { code: Codes.unsupported }],
  // regexes are user text (was: raw RE2 errors)
  ['parse kind=regex with an unbalanced (', 'Heartbeat | parse kind=regex ResourceId with * "(" P', { code: Codes.invalidRegex }],
  ['a computed regex with a bad class range', 'print replace_regex("Windows Update", strcat(@"C:\\path", 1), "x")', { code: Codes.invalidRegex }],
  ['extract_all with a trailing backslash', 'print extract_all("\\\\", "a\\\\b")', { code: Codes.invalidRegex }],
  ['extract capture group 10', 'print extract(strcat("(a)"), 1000000, "aaa")', { code: Codes.typeMismatch }],
  ['extract_all of ten groups', 'print extract_all("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "abcdefghij")', { code: Codes.typeMismatch }],
  ['parse of ten columns', 'print s = "1,2,3,4,5,6,7,8,9,10" | parse s with a "," b "," c "," d "," e "," f "," g "," h "," i "," j', { code: Codes.unsupported }],
  // dynamic access (was: JSON path error near '.""' / list_contains(JSON, JSON))
  ['the empty key of a dynamic bag', 'print dynamic({"": 1, "b": 2})[""], dynamic({"b": 1})[""], dynamic({"": 3})[strcat("")]', { rows: [[1, null, 3]] }],
  ['set_has_element on a constant null', 'print set_has_element(dynamic({"a": 1}).a.a, strcat("x", 1))', { rows: [[false]] }],
  ['a null computed index or key', 'print dynamic([1, 2])[long(null) % 3], dynamic({"a": 5})[tostring(dynamic(null))], dynamic([1, 2])[tolong("1")]', { rows: [[null, null, 2]] }],
  ['abs of the smallest int', 'print abs(int(-2147483648))', { code: Codes.valueOutOfRange }],
  ['strcat_array with a computed delimiter', 'range x from 1 to 2 step 1 | project strcat_array(pack_array(1, 2), strcat("-", x))', { code: Codes.constantRequired }],
  ['round of a decimal to a computed precision', 'range x from 1 to 2 step 1 | project r = round(decimal(1.2345), x)', { rows: [['1.2'], ['1.23']] }],
  ['a huge month offset', 'print endofmonth(datetime(2024-02-29), -9223372036854775807)', { code: Codes.valueOutOfRange }],
  ['a timespan times a huge real', 'datatable(c1:real)[1e19] | extend c1 = -1h * c1', { code: Codes.valueOutOfRange }],
  ['a product of three decimals (DuckDB needs scale 54)', 'print decimal(1.5) * decimal(2) * decimal(3)', { code: Codes.valueOutOfRange }],
  ['variance of values that overflow', 'datatable(x:real)[1e308, -1e308, 1e308] | summarize variancep(x * 10)', { code: Codes.valueOutOfRange }],
  ['endofyear past 2261', 'print endofyear(datetime(2261-12-31 23:59:59.9999999) + 1d)', { code: Codes.valueOutOfRange }],
  // DuckDB folds an always-false filter over DISTINCT to an empty result typed BOOLEAN
  ['an empty folded result', 'print p0 = strcat(int(0) * real(null), 0), p1 = strcat(0) !has "x" | project p0, p1 | parse p0 with P1:long | distinct P1 | where isnull(datetime(2261-12-31))', { rows: [] }],
  // a thousand-term flat expression (was: raw Parser Error: Max expression depth)
  ['expressions deeper than DuckDB parses', deep, { code: Codes.tooComplex }],
  // names (was: zero-length delimited identifier; a NUL cut the SQL short)
  ['an empty bracketed name', "print [''] = 1", { code: Codes.syntax }],
  ['a NUL in a bracketed name', 'print ["a\\0b"] = 1', { code: Codes.syntax }],
];

describe('fuzzer finds, fixed', () => {
  it.each(found)('%s', async (_name, query, expected) => {
    expect(await outcome(query)).toEqual(expected);
    const checked = await checkQuery(query, { conn: fleet.conn, now: fleet.now, timeoutMs: 10_000, slowCompileMs: 5_000 });
    expect(checked.ok ? 'ok' : checked.failure.detail).toBe('ok');
  });
});

// A query stopped by its time limit kept DuckDB's buffers until V8 collected the statement: the
// fleet's query connection reached its 1 GB limit after ~10,000 fuzzed queries and every later
// query failed with "Out of Memory". runSql now destroys the statement itself.
it('queries stopped by the time limit leave no memory behind', async () => {
  const query = "Heartbeat | lookup kind=leftouter (Heartbeat | union (UpdateRunProgress)) on Computer | order by ResourceId, ['ResourceType'] desc";
  const compiled = compile(query, { now: fleet.now });
  if (!compiled.ok) throw new Error(compiled.diagnostics[0]!.message);
  for (let i = 0; i < 3; i++) {
    const error = await runSql(fleet.conn, compiled.sql, compiled.columns, { maxRows: 200, timeoutMs: 1500 }).catch((e: unknown) => e);
    if (error) expect((error as QueryError).diagnostic.code).toBe(Codes.timeout);
  }
  const reader = await fleet.conn.runAndReadAll('SELECT (sum(memory_usage_bytes) / 1048576)::INTEGER FROM duckdb_memory()');
  expect(Number(reader.getRows()[0]![0])).toBeLessThan(100);
}, 30_000);
