/**
 * One case per function of the catalogue's ClickHouse column: [label, query]. Each runs on both
 * stores (engine-cases.test.ts) and the answers must agree, so every form was run on 18.16.
 */
const S = `datatable(s:string, n:long, r:real, t:datetime, b:bool)[
  "  Windows Update  ", 3, 2.5, datetime(2024-02-29 10:47:12.1234567), true,
  "web1.contoso.com", -7, -0.5, datetime(2023-12-31 23:59:59), false,
  "", long(null), real(null), datetime(null), bool(null),
  "id=42;name=db-1", 0, 1e3, datetime(2024-01-07 00:00), true]`;

const perRow = (label: string, expr: string): [string, string] => [label, `${S} | project v = ${expr}`];

export const functionCases: [string, string][] = [
  // strings
  perRow('strcat', 'strcat(s, "-", n, "-", b)'),
  perRow('strcat_delim', 'strcat_delim("|", s, n)'),
  perRow('substring', 'substring(s, 2, 5)'),
  perRow('substring to the end', 'substring(s, 4)'),
  perRow('indexof', 'indexof(s, "o")'),
  perRow('indexof from', 'indexof(s, "o", 6)'),
  perRow('replace_string', 'replace_string(s, "o", "0")'),
  perRow('replace_regex', 'replace_regex(s, @"([a-z])\\.", @"\\1_")'),
  perRow('trim', 'trim(" ", s)'),
  perRow('trim_start', 'trim_start(@"\\s+", s)'),
  perRow('trim_end', 'trim_end(@"[ m]", s)'),
  perRow('extract group 1', 'extract(@"id=(\\d+)", 1, s)'),
  perRow('extract group 2', 'extract(@"(\\w+)=(\\d+)", 2, s)'),
  perRow('extract whole match', 'extract(@"[a-z]+\\d", 0, s)'),
  perRow('split', 'split(s, ".")'),
  perRow('split index', 'split(s, ".", 1)'),
  perRow('reverse', 'reverse(s)'),
  perRow('tolower / toupper / strlen', 'strcat(tolower(s), toupper(s), strlen(s))'),
  // conversions
  perRow('tostring', 'strcat(tostring(n), tostring(b), tostring(s))'),
  perRow('toint of text', 'toint(extract(@"(\\d+)", 1, s))'),
  perRow('tolong', 'tolong(r)'),
  perRow('toreal', 'toreal(n)'),
  perRow('todouble of text', 'todouble(trim(" ", s))'),
  // datetime parts
  perRow('getyear', 'getyear(t)'),
  perRow('getmonth', 'getmonth(t)'),
  perRow('dayofmonth', 'dayofmonth(t)'),
  perRow('dayofyear', 'dayofyear(t)'),
  perRow('hourofday', 'hourofday(t)'),
  perRow('dayofweek', 'dayofweek(t)'),
  perRow('startofday', 'startofday(t)'),
  perRow('startofweek', 'startofweek(t, 1)'),
  perRow('startofmonth', 'startofmonth(t)'),
  perRow('startofyear', 'startofyear(t, -1)'),
  perRow('endofday', 'endofday(t)'),
  perRow('endofweek', 'endofweek(t)'),
  perRow('endofmonth', 'endofmonth(t)'),
  perRow('endofyear', 'endofyear(t)'),
  // math
  perRow('round', 'round(r)'),
  perRow('round precision', 'round(r * 3.14159, 2)'),
  perRow('ceiling', 'ceiling(r)'),
  perRow('log', 'log(r)'),
  perRow('log10', 'log10(r)'),
  perRow('sqrt', 'sqrt(r)'),
  perRow('exp', 'exp(r)'),
  perRow('pow', 'pow(r, 2)'),
  perRow('sign', 'sign(n)'),
  // conditionals
  perRow('coalesce', 'coalesce(s, "none")'),
  perRow('coalesce numbers', 'coalesce(n, 99)'),
  perRow('case', 'case(n > 0, "pos", n < 0, "neg", "zero-or-null")'),
  // aggregates
  ['countif / sumif', `${S} | summarize c = countif(n > 0), s = sumif(n, b)`],
  ['dcount / dcountif', `${S} | summarize d = dcount(b), di = dcountif(s, n >= 0)`],
  ['percentile', `range x from 1 to 100 step 1 | summarize p = percentile(x, 95), q = percentile(x, 0), m = percentile(x, 50)`],
  ['percentiles', `range x from 1 to 37 step 3 | summarize percentiles(x, 10, 50, 99.5)`],
  ['percentile of nothing', `${S} | where n > 100 | summarize percentile(n, 50)`],
  ['make_set', `${S} | where isnotnull(n) | summarize make_set(b) by n | sort by n asc`],
  ['make_list', `${S} | summarize make_list(n) by s | sort by s asc`],
  ['make_set of strings', `${S} | summarize make_set(s) by n | sort by n asc`],
  ['any', `${S} | where n == 3 | summarize any(s)`],
  ['stdev / variance', `${S} | summarize sd = stdev(r), v = variance(r)`],
];
