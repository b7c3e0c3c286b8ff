/** parse: extract typed columns from a string by a pattern of literals, columns and `*`. */
import type { Operator, ParsePart } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import { lookupFunction, resolveCall } from '../../functions/catalogue.js';
import { maxCaptureGroup } from '../../functions/strings.js';
import { constantSql } from '../../functions/literals.js';
import { convertTo } from '../../functions/operators.js';
import type { SqlArg } from '../../functions/spec.js';
import type { Rel } from '../../plan/plan.js';
import type { ScalarType } from '../../schema/types.js';
import { fail } from '../context.js';
import { resolveScalar } from '../expressions.js';
import type { PipeState } from './apply.js';
import { quote, rowEnv } from './shared.js';

type Parse = Extract<Operator, { kind: 'parse' }>;

/** In simple mode a typed column only matches text of its type, so a mismatch fails the whole row. */
const typedPatterns: Partial<Record<ScalarType, string>> = {
  int: '(-?\\d+)',
  long: '(-?\\d+)',
  real: '(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)',
  bool: '(true|false|True|False|TRUE|FALSE|0|1)',
};

export function resolveParse(op: Parse, input: Rel, state: PipeState): Rel {
  let source = resolveScalar(op.source, rowEnv(input, state));
  if (source.type !== 'string') source = { sql: convertTo(source, 'string', state.resolver.emit), type: 'string' };
  const regex = buildRegex(op);
  const columns = op.pattern.filter((p): p is Extract<ParsePart, { kind: 'column' }> => p.kind === 'column');
  if (columns.length > maxCaptureGroup) {
    fail(Codes.unsupported, op, `parse extracts at most ${maxCaptureGroup} columns at once (this pattern has ${columns.length}); split it into two parse steps.`);
  }
  const extracted = columns.map((column, i) => ({
    name: column.name.name,
    type: column.type ?? 'string',
    sql: extractGroup(source, regex, i + 1, column.type ?? 'string', op, state),
  }));
  const schema = input.schema.map((c) => extracted.find((e) => e.name === c.name) ?? c).map((c) => ({ name: c.name, type: c.type }));
  const outputs = input.schema.map((c) => {
    const e = extracted.find((x) => x.name === c.name);
    return { name: c.name, sql: e ? e.sql : quote(state, c.name) };
  });
  for (const e of extracted) {
    if (input.schema.some((c) => c.name === e.name)) continue;
    schema.push({ name: e.name, type: e.type });
    outputs.push({ name: e.name, sql: e.sql });
  }
  return { kind: 'project', input, columns: outputs, schema };
}

function buildRegex(op: Parse): string {
  const parts = op.pattern;
  if (!parts.some((p) => p.kind === 'column')) fail(Codes.syntax, op, 'The parse pattern needs at least one column to extract, e.g. `parse Text with "id=" Id:long *`.');
  const pieces = parts.map((part, i) => {
    const last = i === parts.length - 1;
    if (part.kind === 'text') return op.parseKind === 'regex' ? part.value : escapeRegex(part.value);
    if (part.kind === 'wildcard') return last ? '.*' : '.*?';
    const typed = op.parseKind === 'simple' && part.type ? typedPatterns[part.type] : undefined;
    return typed ?? (last ? '(.*)' : '(.*?)');
  });
  const flags = op.flags ? `(?${op.flags.replace(/[^imsU]/g, '')})` : '';
  // The pattern matches from the start of the text, as the reference's parse does.
  return `${flags}^${pieces.join('')}${parts[parts.length - 1]?.kind === 'text' ? '' : '$'}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function extractGroup(source: SqlArg, regex: string, group: number, type: ScalarType, op: Parse, state: PipeState): string {
  const spec = lookupFunction('extract');
  if (!spec) return fail(Codes.internal, op, 'The extract function is missing from the catalogue.');
  const ctx = state.resolver.emit;
  const regexArg: SqlArg = { sql: constantSql({ type: 'string', value: regex }, ctx), type: 'string', constant: { type: 'string', value: regex } };
  const groupArg: SqlArg = { sql: constantSql({ type: 'long', value: BigInt(group) }, ctx), type: 'long', constant: { type: 'long', value: BigInt(group) } };
  const result = resolveCall(spec, [regexArg, groupArg, source], ctx);
  if ('error' in result) return fail(result.code, op, result.error);
  if (type === 'string') return result.sql;
  return convertTo({ sql: result.sql, type: 'string' }, type, ctx);
}
