/**
 * Where user text enters a query: as a string literal (comparisons, the has/contains/startswith
 * family, parse patterns, regexes, conversions) and as a name (columns, tables, union's source
 * column). Each context is a query template and the tables the query may read, whatever the text.
 */
export interface InjectionContext {
  name: string;
  /** The query with `lit` (a KQL string literal, as written in some quoting form) in place. */
  query: (lit: string) => string;
  /** The tables the query may read; `value` is the text written as `lit`. */
  tables: readonly string[] | ((value: string) => readonly string[]);
}

const none: readonly string[] = [];
const heartbeat = ['Heartbeat'];

const stringOperators = [
  '==', '!=', '=~', '!~', 'has', '!has', 'has_cs', '!has_cs', 'hasprefix', 'hassuffix_cs', 'contains', '!contains', 'contains_cs',
  'startswith', '!startswith', 'startswith_cs', 'endswith', '!endswith_cs', 'matches regex',
];

export const literalContexts: InjectionContext[] = [
  { name: 'print', query: (l) => `print x = ${l}`, tables: none },
  { name: 'let', query: (l) => `let s = ${l};\nprint s, strlen(s)`, tables: none },
  ...stringOperators.map((op) => ({ name: `where Computer ${op}`, query: (l: string) => `Heartbeat | where Computer ${op} ${l} | project Computer`, tables: heartbeat })),
  { name: 'in~ list', query: (l) => `Heartbeat | where Computer in~ (${l}, "x") | count`, tables: heartbeat },
  { name: '!in list', query: (l) => `Heartbeat | where Computer !in (${l}) | count`, tables: heartbeat },
  { name: 'has_any', query: (l) => `Heartbeat | where Computer has_any (${l}, "b") | count`, tables: heartbeat },
  { name: 'has_all', query: (l) => `Heartbeat | where Computer has_all (${l}) | count`, tables: heartbeat },
  { name: 'parse simple', query: (l) => `Event | parse RenderedDescription with ${l} Reason:string ${l} * | project Reason`, tables: ['Event'] },
  { name: 'parse typed', query: (l) => `Event | parse RenderedDescription with * ${l} N:long | project N`, tables: ['Event'] },
  { name: 'parse regex', query: (l) => `Event | parse kind=regex RenderedDescription with ${l} Reason:string | project Reason`, tables: ['Event'] },
  { name: 'parse relaxed', query: (l) => `Event | parse kind=relaxed RenderedDescription with ${l} Reason ${l} | project Reason`, tables: ['Event'] },
  { name: 'extract', query: (l) => `Heartbeat | project x = extract(${l}, 0, Computer)`, tables: heartbeat },
  { name: 'extract_all', query: (l) => `print extract_all(${l}, "abc")`, tables: none },
  { name: 'replace_regex', query: (l) => `print replace_regex("abc", ${l}, ${l})`, tables: none },
  { name: 'replace_string', query: (l) => `print replace_string("abc", ${l}, ${l})`, tables: none },
  { name: 'countof regex', query: (l) => `print countof("abc", ${l}, "regex")`, tables: none },
  { name: 'trim', query: (l) => `print trim(${l}, "abc")`, tables: none },
  { name: 'split', query: (l) => `print split(${l}, ${l})`, tables: none },
  { name: 'indexof', query: (l) => `print indexof("abc", ${l})`, tables: none },
  { name: 'parse_json', query: (l) => `print parse_json(${l})`, tables: none },
  { name: 'conversions', query: (l) => `print todatetime(${l}), totimespan(${l}), toguid(${l}), tolong(${l}), toreal(${l}), tobool(${l})`, tables: none },
  { name: 'format_datetime', query: (l) => `print format_datetime(datetime(2024-01-01), ${l})`, tables: none },
  { name: 'datetime_add part', query: (l) => `print datetime_add(${l}, 1, datetime(2024-01-01))`, tables: none },
  { name: 'dynamic array', query: (l) => `print dynamic([${l}])`, tables: none },
  { name: 'bag_pack key', query: (l) => `print bag_pack(${l}, 1)`, tables: none },
  { name: 'dynamic member', query: (l) => `print dynamic({"a": 1})[${l}]`, tables: none },
  { name: 'strcat with a column', query: (l) => `Heartbeat | project s = strcat(${l}, Computer, ${l})`, tables: heartbeat },
  { name: 'datatable cell', query: (l) => `datatable(s:string)[${l}, "b"] | where s != ${l}`, tables: none },
  { name: 'render title', query: (l) => `Heartbeat | count | render table with (title=${l})`, tables: heartbeat },
];

/** `lit` here is written inside brackets: `[lit]` names a column or a table. */
export const nameContexts: InjectionContext[] = [
  { name: 'extend and project', query: (l) => `Heartbeat | extend [${l}] = 1 | project [${l}], Computer`, tables: heartbeat },
  { name: 'project-rename', query: (l) => `Heartbeat | project-rename [${l}] = Computer | take 1`, tables: heartbeat },
  { name: 'project-away', query: (l) => `Heartbeat | project Computer, OSType | project-away [${l}]`, tables: heartbeat },
  { name: 'summarize aggregate name', query: (l) => `Heartbeat | summarize [${l}] = count() by Computer`, tables: heartbeat },
  { name: 'summarize key name', query: (l) => `Heartbeat | summarize count() by [${l}] = Computer`, tables: heartbeat },
  { name: 'sort by a new column', query: (l) => `Heartbeat | extend [${l}] = strlen(Computer) | sort by [${l}] desc | take 3`, tables: heartbeat },
  { name: 'where on an unknown column', query: (l) => `Heartbeat | where [${l}] == "x"`, tables: heartbeat },
  { name: 'union withsource', query: (l) => `union withsource=[${l}] Heartbeat, Event | take 1`, tables: ['Heartbeat', 'Event'] },
  { name: 'datatable column', query: (l) => `datatable([${l}]:string)["a"] | project [${l}]`, tables: none },
  { name: 'print column', query: (l) => `print [${l}] = 1 | extend y = [${l}] + 1`, tables: none },
  { name: 'make-series name', query: (l) => `Heartbeat | make-series [${l}] = count() on TimeGenerated step 1h`, tables: heartbeat },
  { name: 'mv-expand name', query: (l) => `print d = dynamic([1, 2]) | mv-expand [${l}] = d`, tables: none },
  { name: 'join on a named key', query: (l) => `Heartbeat | extend [${l}] = Computer | join kind=inner (Event | extend [${l}] = Computer) on [${l}] | count`, tables: ['Heartbeat', 'Event'] },
  // A name reads the table of exactly that name, or nothing (E201).
  { name: 'a table', query: (l) => `[${l}] | take 1`, tables: (value) => [value] },
  { name: 'union with a table', query: (l) => `union Heartbeat, [${l}] | take 1`, tables: (value) => ['Heartbeat', value] },
];

/** Known attacks and near-misses: SQL and KQL terminators, comments, file readers, escapes. */
export const attackStrings = [
  "'; DROP TABLE Heartbeat; --",
  "' OR 1=1 --",
  '" OR ""="',
  "x') UNION ALL SELECT * FROM read_csv('/etc/passwd') --",
  "' || (SELECT string_agg(Computer, ',') FROM Update) || '",
  '"; COPY Heartbeat TO \'/tmp/x.csv\'; --',
  "\\'; ATTACH '/tmp/other.duckdb' AS o; --",
  '*/ SELECT 1 /*',
  '$$ || 1 || $$',
  "\u0000'; SELECT 1; --",
  'a\u0000b',
  '\\',
  '\\\\\'',
  "''",
  '"',
  '```',
  '\n| take 1\n',
  '" | union Update | where "1" == "1',
  "['Update']",
  '\u202e\u200f',
  '\ud800',
  '(?i)(a',
  '[z-a]',
  '%_',
  'Heartbeat',
  'Update',
];
