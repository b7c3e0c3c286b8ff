/**
 * String functions. Kusto strings are never null, so every string result is coalesced to "".
 * SQL beyond the standard lower/upper/length/replace is each dialect's (duckdb-strings.ts, clickhouse-scalars.ts).
 */
import { Codes } from '../syntax/diagnostics.js';
import { typeFromName } from './conversions.js';
import { arg, constantText, optional, type FunctionEntry } from './entry.js';
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

/** DuckDB's regexp_extract reads capture groups 0 to 9 only. */
export const maxCaptureGroup = 9;

function captureGroupProblem(group: SqlArg): { message: string; argIndex: number } | undefined {
  const n = Number.parseInt(constantText(group) ?? '0', 10) || 0;
  if (n >= 0 && n <= maxCaptureGroup) return undefined;
  return { message: `extract() reads capture groups 0 to ${maxCaptureGroup} (0 is the whole match), got ${n}.`, argIndex: 1 };
}

export const stringFunctions: readonly FunctionEntry[] = [
  {
    name: 'strcat', kind: 'scalar', args: [arg('value', 'any'), arg('more', 'any', { variadic: true, optional: true })], returns: 'string',
    sql: {},
    doc: 'Concatenates values as text (null counts as "").',
  },
  {
    name: 'strcat_delim', kind: 'scalar',
    args: [arg('delimiter', 'string'), arg('value', 'any'), arg('more', 'any', { variadic: true })], returns: 'string',
    sql: {},
    doc: 'Concatenates values as text, separated by the delimiter.',
  },
  { name: 'strlen', kind: 'scalar', args: [arg('source', 'string')], returns: 'long', sql: { duckdb: 'length({0})' }, doc: 'Number of characters.' },
  { name: 'tolower', kind: 'scalar', args: [arg('source', 'string')], returns: 'string', sql: { duckdb: 'lower({0})' }, doc: 'Lower-case text.' },
  { name: 'toupper', kind: 'scalar', args: [arg('source', 'string')], returns: 'string', sql: { duckdb: 'upper({0})' }, doc: 'Upper-case text.' },
  {
    name: 'substring', kind: 'scalar', args: [arg('source', 'any'), arg('startingIndex', 'long'), optional('length', 'long')], returns: 'string',
    sql: {},
    doc: 'The part of the text from a 0-based index, optionally of a given length.',
  },
  {
    name: 'split', kind: 'scalar', args: [arg('source', 'string'), arg('delimiter', 'string'), optional('requestedIndex', 'long')], returns: 'dynamic',
    sql: {},
    doc: 'A dynamic array of the parts between delimiters (or just the requested part).',
  },
  { name: 'trim', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: {}, doc: 'Removes leading and trailing matches of the regex.' },
  { name: 'trim_start', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: {}, doc: 'Removes leading matches of the regex.' },
  { name: 'trim_end', kind: 'scalar', args: [arg('regex', 'string'), arg('source', 'string')], returns: 'string', sql: {}, doc: 'Removes trailing matches of the regex.' },
  {
    name: 'replace_string', kind: 'scalar', args: [arg('text', 'string'), arg('lookup', 'string'), arg('rewrite', 'string')], returns: 'string',
    sql: { duckdb: 'replace({0}, {1}, {2})' }, doc: 'Replaces every occurrence of lookup.',
  },
  {
    name: 'replace_regex', kind: 'scalar', args: [arg('source', 'string'), arg('lookupRegex', 'string'), arg('rewrite', 'string')], returns: 'string',
    sql: {}, doc: 'Replaces every regex match; \\1 refers to a captured group.',
  },
  {
    name: 'replace', kind: 'scalar', args: [arg('regex', 'string'), arg('rewrite', 'string'), arg('source', 'string')], returns: 'string',
    sql: {}, doc: 'Older form of replace_regex(source, regex, rewrite).',
  },
  {
    name: 'extract', kind: 'scalar',
    args: [arg('regex', 'string'), arg('captureGroup', ['int', 'long'], { constant: true }), arg('source', 'string'), optional('typeof', 'string', { constant: true })],
    returns: (args) => (args[3] ? typeFromName(constantText(args[3]) ?? '') : undefined) ?? 'string',
    validate: (args) => captureGroupProblem(args[1]!) ?? (args[3] && !typeFromName(constantText(args[3]) ?? '')
      ? { message: `extract() expects a type name such as typeof(long) as argument 4, got '${constantText(args[3])}'.`, argIndex: 3 }
      : undefined),
    sql: {},
    doc: 'The text of a regex capture group ("" when there is no match), optionally converted.',
  },
  {
    name: 'extract_all', kind: 'scalar', args: [arg('regex', 'string', { constant: true }), arg('source', 'string')], returns: 'dynamic',
    validate: (args) => countCaptureGroups(constantText(args[0]!) ?? '') > maxCaptureGroup
      ? { message: `extract_all() reads at most ${maxCaptureGroup} capture groups; this regex has ${countCaptureGroups(constantText(args[0]!) ?? '')}.`, argIndex: 0 }
      : undefined,
    sql: {}, doc: 'A dynamic array of all matches (of the capture group(s) when the regex has any).',
  },
  {
    name: 'indexof', kind: 'scalar', args: [arg('source', 'string'), arg('lookup', 'string'), optional('startIndex', 'long')], returns: 'long',
    sql: {}, doc: '0-based position of lookup, or -1 when it is missing.',
  },
  {
    // the delimiter is constant: DuckDB's array_to_string refuses a per-row separator
    name: 'strcat_array', kind: 'scalar', args: [arg('array', 'dynamic'), arg('delimiter', 'string', { constant: true })], returns: 'string',
    sql: {}, doc: 'The elements of a dynamic array joined by the delimiter.',
  },
  { name: 'reverse', kind: 'scalar', args: [arg('value', 'any')], returns: 'string', sql: {}, doc: 'The text reversed.' },
  {
    name: 'countof', kind: 'scalar', args: [arg('text', 'string'), arg('search', 'string'), optional('kind', 'string', { constant: true })], returns: 'long',
    validate: (args) => args[2] && !['normal', 'regex'].includes(constantText(args[2])?.toLowerCase() ?? '')
      ? { message: `countof() expects 'normal' or 'regex' as argument 3, got '${constantText(args[2])}'.`, argIndex: 2, code: Codes.typeMismatch }
      : undefined,
    sql: {}, doc: 'How many times search occurs in text (overlapping), or how many regex matches.',
  },
  {
    name: 'strrep', kind: 'scalar', args: [arg('value', 'any'), arg('multiplier', 'long'), optional('delimiter', 'string')], returns: 'string',
    sql: {}, doc: 'The value repeated, optionally with a delimiter between copies.',
  },
];
