/** String functions. Kusto strings are never null, so every string result is coalesced to "". */
import { Codes } from '../syntax/diagnostics.js';
import { convertTo, typeFromName } from './conversions.js';
import { arg, constantText, optional, type FunctionEntry } from './entry.js';
import { toStringSql } from './sql-fragments.js';
import type { EmitContext, SqlArg } from './spec.js';

/** A regex argument wrapped in `prefix…suffix`: built at compile time when constant, in SQL otherwise. */
export function wrappedRegexSql(re: SqlArg, prefix: string, suffix: string, ctx: EmitContext): string {
  const text = constantText(re);
  if (text !== undefined) return ctx.dialect.stringLiteral(`${prefix}${text}${suffix}`);
  return `(${ctx.dialect.stringLiteral(prefix)} || ${re.sql} || ${ctx.dialect.stringLiteral(suffix)})`;
}

/** Capturing groups in a regex: `(` not escaped, not `(?:`/`(?i)`, outside a character class. */
export function countCaptureGroups(re: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (re[i + 1] !== '?' || re[i + 2] === 'P' || re[i + 2] === '<')) count++;
  }
  return count;
}

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

/** DuckDB's regexp_extract reads capture groups 0 to 9 only. */
export const maxCaptureGroup = 9;

function captureGroupProblem(group: SqlArg): { message: string; argIndex: number } | undefined {
  const n = Number.parseInt(constantText(group) ?? '0', 10) || 0;
  if (n >= 0 && n <= maxCaptureGroup) return undefined;
  return { message: `extract() reads capture groups 0 to ${maxCaptureGroup} (0 is the whole match), got ${n}.`, argIndex: 1 };
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

export const stringFunctions: readonly FunctionEntry[] = [
  {
    name: 'strcat', kind: 'scalar', args: [arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })], returns: 'string',
    sql: { duckdb: (args, ctx) => `concat(${stringsOf(args, ctx).join(', ')})` },
    doc: 'Concatenates values as text (null counts as "").',
  },
  {
    name: 'strcat_delim', kind: 'scalar',
    args: [arg('delimiter', 'string'), arg('value', 'any'), arg('more', 'any', { variadic: true })], returns: 'string',
    sql: { duckdb: (args, ctx) => `concat_ws(${args[0]!.sql}, ${stringsOf(args.slice(1), ctx).join(', ')})` },
    doc: 'Concatenates values as text, separated by the delimiter.',
  },
  { name: 'strlen', kind: 'scalar', args: [arg('source', 'string')], returns: 'long', sql: { duckdb: 'length({0})' }, doc: 'Number of characters.' },
  { name: 'tolower', kind: 'scalar', args: [arg('source', 'string')], returns: 'string', sql: { duckdb: 'lower({0})' }, doc: 'Lower-case text.' },
  { name: 'toupper', kind: 'scalar', args: [arg('source', 'string')], returns: 'string', sql: { duckdb: 'upper({0})' }, doc: 'Upper-case text.' },
  {
    name: 'substring', kind: 'scalar', args: [arg('source', 'any'), arg('startingIndex', 'long'), optional('length', 'long')], returns: 'string',
    sql: {
      // 0-based; a start before 0 or a length past the end is clamped rather than an error
      duckdb: (args, ctx) => args[2]
        ? `substr(${toStringSql(args[0]!, ctx)}, greatest(${args[1]!.sql}, 0) + 1, greatest(${args[2].sql}, 0))`
        : `substr(${toStringSql(args[0]!, ctx)}, greatest(${args[1]!.sql}, 0) + 1)`,
    },
    doc: 'The part of the text from a 0-based index, optionally of a given length.',
  },
  {
    name: 'split', kind: 'scalar', args: [arg('source', 'string'), arg('delimiter', 'string'), optional('requestedIndex', 'long')], returns: 'dynamic',
    sql: {
      duckdb: (args) => args[2]
        ? `to_json(list_slice(str_split(${args[0]!.sql}, ${args[1]!.sql}), ${args[2].sql} + 1, ${args[2].sql} + 1))`
        : `to_json(str_split(${args[0]!.sql}, ${args[1]!.sql}))`,
    },
    doc: 'A dynamic array of the parts between delimiters (or just the requested part).',
  },
  { name: 'trim', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: { duckdb: trimSql('both') }, doc: 'Removes leading and trailing matches of the regex.' },
  { name: 'trim_start', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: { duckdb: trimSql('start') }, doc: 'Removes leading matches of the regex.' },
  { name: 'trim_end', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: { duckdb: trimSql('end') }, doc: 'Removes trailing matches of the regex.' },
  {
    name: 'replace_string', kind: 'scalar', args: [arg('text', 'string'), arg('lookup', 'string'), arg('rewrite', 'string')], returns: 'string',
    sql: { duckdb: 'replace({0}, {1}, {2})' }, doc: 'Replaces every occurrence of lookup.',
  },
  {
    name: 'replace_regex', kind: 'scalar', args: [arg('source', 'string'), arg('lookupRegex', 'string'), arg('rewrite', 'string')], returns: 'string',
    sql: { duckdb: "regexp_replace({0}, {1}, {2}, 'g')" }, doc: 'Replaces every regex match; \\1 refers to a captured group.',
  },
  {
    name: 'replace', kind: 'scalar', args: [arg('regex', 'string'), arg('rewrite', 'string'), arg('source', 'string')], returns: 'string',
    sql: { duckdb: "regexp_replace({2}, {0}, {1}, 'g')" }, doc: 'Older form of replace_regex(source, regex, rewrite).',
  },
  {
    name: 'extract', kind: 'scalar',
    args: [arg('regex', 'string'), arg('captureGroup', ['int', 'long'], { constant: true }), arg('source', 'string'), optional('typeof', 'string', { constant: true })],
    returns: (args) => (args[3] ? typeFromName(constantText(args[3]) ?? '') : undefined) ?? 'string',
    validate: (args) => captureGroupProblem(args[1]!) ?? (args[3] && !typeFromName(constantText(args[3]) ?? '')
      ? { message: `extract() expects a type name such as typeof(long) as argument 4, got '${constantText(args[3])}'.`, argIndex: 3 }
      : undefined),
    sql: { duckdb: extractSql },
    doc: 'The text of a regex capture group ("" when there is no match), optionally converted.',
  },
  {
    name: 'extract_all', kind: 'scalar', args: [arg('regex', 'string', { constant: true }), arg('source', 'string')], returns: 'dynamic',
    validate: (args) => countCaptureGroups(constantText(args[0]!) ?? '') > maxCaptureGroup
      ? { message: `extract_all() reads at most ${maxCaptureGroup} capture groups; this regex has ${countCaptureGroups(constantText(args[0]!) ?? '')}.`, argIndex: 0 }
      : undefined,
    sql: { duckdb: extractAllSql }, doc: 'A dynamic array of all matches (of the capture group(s) when the regex has any).',
  },
  {
    name: 'indexof', kind: 'scalar', args: [arg('source', 'string'), arg('lookup', 'string'), optional('startIndex', 'long')], returns: 'long',
    sql: { duckdb: indexOfSql }, doc: '0-based position of lookup, or -1 when it is missing.',
  },
  {
    // the delimiter is constant: DuckDB's array_to_string refuses a per-row separator
    name: 'strcat_array', kind: 'scalar', args: [arg('array', 'dynamic'), arg('delimiter', 'string', { constant: true })], returns: 'string',
    sql: { duckdb: "coalesce(array_to_string(TRY_CAST({0} AS VARCHAR[]), {1}), '')" }, doc: 'The elements of a dynamic array joined by the delimiter.',
  },
  { name: 'reverse', kind: 'scalar', args: [arg('value', 'any')], returns: 'string', sql: { duckdb: (args, ctx) => `reverse(${toStringSql(args[0]!, ctx)})` }, doc: 'The text reversed.' },
  {
    name: 'countof', kind: 'scalar', args: [arg('text', 'string'), arg('search', 'string'), optional('kind', 'string', { constant: true })], returns: 'long',
    validate: (args) => args[2] && !['normal', 'regex'].includes(constantText(args[2])?.toLowerCase() ?? '')
      ? { message: `countof() expects 'normal' or 'regex' as argument 3, got '${constantText(args[2])}'.`, argIndex: 2, code: Codes.typeMismatch }
      : undefined,
    sql: { duckdb: countOfSql }, doc: 'How many times search occurs in text (overlapping), or how many regex matches.',
  },
  {
    name: 'strrep', kind: 'scalar', args: [arg('value', 'any'), arg('multiplier', 'long'), optional('delimiter', 'string')], returns: 'string',
    sql: { duckdb: strRepSql }, doc: 'The value repeated, optionally with a delimiter between copies.',
  },
];
