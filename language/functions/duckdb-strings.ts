/** The DuckDB column of the string functions (strings.ts): regexes, lists, Kusto's text of each type. */
import { convertTo } from './duckdb-conversions.js';
import { toStringSql } from './duckdb-fragments.js';
import { constantText, type FunctionOverrides } from './entry.js';
import { typeFromName } from './conversions.js';
import type { EmitContext, SqlArg } from './spec.js';
import { countCaptureGroups, wrappedRegexSql } from './strings.js';

function trimSql(side: 'both' | 'start' | 'end') {
  return (args: SqlArg[], ctx: EmitContext): string => {
    const [re, source] = [args[0]!, args[1]!];
    let sql = source.sql;
    if (side !== 'end') sql = `regexp_replace(${sql}, ${wrappedRegexSql(re, '^(?:', ')+', ctx)}, '')`;
    if (side !== 'start') sql = `regexp_replace(${sql}, ${wrappedRegexSql(re, '(?:', ')+$', ctx)}, '')`;
    return sql;
  };
}

function extractSql(args: SqlArg[], ctx: EmitContext): string {
  const [re, group, source, typeName] = [args[0]!, args[1]!, args[2]!, args[3]];
  const groupIndex = Number.parseInt(constantText(group) ?? '0', 10) || 0; // DuckDB needs a plain integer literal here
  const matched = `regexp_extract(${source.sql}, ${re.sql}, ${groupIndex})`;
  const type = typeName ? typeFromName(constantText(typeName) ?? '') : undefined;
  if (!type || type === 'string') return `coalesce(${matched}, '')`; // no match is "", not null
  return convertTo({ sql: `nullif(${matched}, '')`, type: 'string' }, type, ctx);
}

function extractAllSql(args: SqlArg[]): string {
  const [re, source] = [args[0]!, args[1]!];
  const groups = countCaptureGroups(constantText(re) ?? '');
  let list: string;
  if (groups <= 1) {
    list = `regexp_extract_all(${source.sql}, ${re.sql}, ${groups})`;
  } else {
    // several groups: one array of captures per match, as Kusto returns them
    const captures = Array.from({ length: groups }, (_v, i) => `regexp_extract(m, ${re.sql}, ${i + 1})`);
    list = `list_transform(regexp_extract_all(${source.sql}, ${re.sql}), lambda m: [${captures.join(', ')}])`;
  }
  return `(CASE WHEN len(${list}) = 0 THEN NULL ELSE to_json(${list}) END)`;
}

function indexOfSql(args: SqlArg[]): string {
  const [source, lookup, start] = [args[0]!, args[1]!, args[2]];
  if (!start) return `(strpos(${source.sql}, ${lookup.sql}) - 1)`; // 0-based, -1 when missing
  const from = `greatest(${start.sql}, 0)`;
  const found = `strpos(substr(${source.sql}, ${from} + 1), ${lookup.sql})`;
  return `(CASE WHEN ${from} > length(${source.sql}) THEN -1 WHEN ${found} = 0 THEN -1 ELSE ${found} - 1 + ${from} END)`;
}

function countOfSql(args: SqlArg[]): string {
  const [text, search, kind] = [args[0]!, args[1]!, args[2]];
  if (constantText(kind)?.toLowerCase() === 'regex') return `CAST(len(regexp_extract_all(${text.sql}, ${search.sql})) AS BIGINT)`;
  // "normal" counting includes overlapping matches: countof("aaaa", "aa") is 3
  const n = `length(${search.sql})`;
  return `(CASE WHEN ${n} = 0 THEN 0 ELSE CAST(len(list_filter(range(length(${text.sql}) - ${n} + 1), ` +
    `lambda i: substr(${text.sql}, i + 1, ${n}) = ${search.sql})) AS BIGINT) END)`;
}

function strRepSql(args: SqlArg[], ctx: EmitContext): string {
  const [value, times, delimiter] = [toStringSql(args[0]!, ctx), args[1]!.sql, args[2]];
  if (!delimiter) return `repeat(${value}, greatest(${times}, 0))`;
  return `(CASE WHEN ${times} <= 0 THEN '' ELSE repeat(${value} || ${delimiter.sql}, ${times} - 1) || ${value} END)`;
}

function stringsOf(args: SqlArg[], ctx: EmitContext): string[] {
  return args.map((a) => toStringSql(a, ctx));
}

export const duckdbStringSql: FunctionOverrides = {
  strcat: (args, ctx) => `concat(${stringsOf(args, ctx).join(', ')})`,
  strcat_delim: (args, ctx) => `concat_ws(${args[0]!.sql}, ${stringsOf(args.slice(1), ctx).join(', ')})`,
  // 0-based; a start before 0 or a length past the end is clamped rather than an error
  substring: (args, ctx) => args[2]
    ? `substr(${toStringSql(args[0]!, ctx)}, greatest(${args[1]!.sql}, 0) + 1, greatest(${args[2].sql}, 0))`
    : `substr(${toStringSql(args[0]!, ctx)}, greatest(${args[1]!.sql}, 0) + 1)`,
  split: (args) => args[2]
    ? `to_json(list_slice(str_split(${args[0]!.sql}, ${args[1]!.sql}), ${args[2].sql} + 1, ${args[2].sql} + 1))`
    : `to_json(str_split(${args[0]!.sql}, ${args[1]!.sql}))`,
  trim: trimSql('both'),
  trim_start: trimSql('start'),
  trim_end: trimSql('end'),
  replace_regex: "regexp_replace({0}, {1}, {2}, 'g')",
  replace: "regexp_replace({2}, {0}, {1}, 'g')",
  extract: extractSql,
  extract_all: extractAllSql,
  indexof: indexOfSql,
  // the delimiter is constant: DuckDB's array_to_string refuses a per-row separator
  strcat_array: "coalesce(array_to_string(TRY_CAST({0} AS VARCHAR[]), {1}), '')",
  reverse: (args, ctx) => `reverse(${toStringSql(args[0]!, ctx)})`,
  countof: countOfSql,
  strrep: strRepSql,
};
