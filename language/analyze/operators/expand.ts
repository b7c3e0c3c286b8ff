/** mv-expand: one row per element of dynamic arrays (in lock step), optionally with the index. */
import type { Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { Rel } from '../../plan/plan.js';
import type { Column, ScalarType } from '../../schema/types.js';
import { convertTo } from '../../functions/operators.js';
import { fail } from '../context.js';
import { resolveScalar } from '../expressions.js';
import { ColumnNamer } from '../naming.js';
import type { PipeState } from './apply.js';
import { rowEnv } from './shared.js';

type Expand = Extract<Operator, { kind: 'mv-expand' }>;

export function resolveExpand(op: Expand, input: Rel, state: PipeState): Rel {
  const env = rowEnv(input, state);
  const namer = new ColumnNamer(new Set(input.schema.map((c) => c.name)));
  const expanded = op.columns.map((column) => {
    const value = resolveScalar(column.expr, env);
    if (value.type !== 'dynamic') {
      fail(Codes.typeMismatch, column.expr, `mv-expand needs a dynamic array or bag, but this is ${value.type}. Build one with split(), pack_array() or parse_json().`);
    }
    const name = namer.nameFor({ names: column.name ? [column.name] : undefined, expr: column.expr, range: column.range });
    return { name, sql: value.sql, type: column.toType ?? ('dynamic' as ScalarType) };
  });
  const dynamicSchema: Column[] = input.schema.map((c) => ({ name: c.name, type: expanded.some((e) => e.name === c.name) ? 'dynamic' : c.type }));
  for (const e of expanded) if (!dynamicSchema.some((c) => c.name === e.name)) dynamicSchema.push({ name: e.name, type: 'dynamic' });
  const itemIndex = op.itemIndex?.name;
  if (itemIndex) dynamicSchema.push({ name: itemIndex, type: 'long' });
  const limit = op.limit ? resolveScalar(op.limit, { ...env, row: undefined }).sql : undefined;
  const rel: Rel = {
    kind: 'expand',
    input,
    expanded: expanded.map(({ name, sql }) => ({ name, sql })),
    ...(itemIndex ? { itemIndex } : {}),
    ...(limit ? { limit } : {}),
    schema: dynamicSchema,
  };
  return convertExpanded(rel, expanded, state);
}

/** `to typeof(long)`: the elements arrive as dynamic and are converted in a projection above. */
function convertExpanded(rel: Rel, expanded: { name: string; type: ScalarType }[], state: PipeState): Rel {
  if (expanded.every((e) => e.type === 'dynamic')) return rel;
  const dialect = state.resolver.emit.dialect;
  const columns = rel.schema.map((c) => {
    const target = expanded.find((e) => e.name === c.name)?.type ?? c.type;
    const sql = dialect.quoteIdent(c.name);
    return { name: c.name, sql: target === c.type ? sql : convertTo({ sql, type: c.type }, target, state.resolver.emit), type: target };
  });
  return { kind: 'project', input: rel, columns: columns.map(({ name, sql }) => ({ name, sql })), schema: columns.map(({ name, type }) => ({ name, type })) };
}
