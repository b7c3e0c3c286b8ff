/** union: columns of all inputs by name (missing ones null), optionally a column naming each row's source. */
import type { Expr, UnionSource } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { Rel } from '../../plan/plan.js';
import type { Column } from '../../schema/types.js';
import { fail, quoted, type Resolver } from '../context.js';
import type { Bindings } from '../scope.js';

interface UnionState {
  resolver: Resolver;
  bindings: Bindings;
}

/** `T | union U` has T as its first input; `union T, U` as a source has none. */
export function resolveUnion(source: UnionSource, first: Rel | undefined, state: UnionState): Rel {
  const inputs: { rel: Rel; label: string }[] = first ? [{ rel: first, label: 'union_arg0' }] : [];
  for (const table of source.tables) inputs.push(...expandTable(table, state, inputs.length));
  if (inputs.length === 0) fail(Codes.syntax, source, 'union needs at least one table.');
  const schema = source.unionKind === 'inner' ? innerSchema(inputs.map((i) => i.rel)) : outerSchema(inputs.map((i) => i.rel), source);
  const withSource = source.withSource?.name;
  return {
    kind: 'union',
    inputs: inputs.map((i) => i.rel),
    ...(withSource ? { sourceColumn: { name: withSource, labels: inputs.map((i) => i.label) } } : {}),
    schema: withSource ? [{ name: withSource, type: 'string' }, ...schema] : schema,
  };
}

/** A table name may hold `*` wildcards (`union Update*`); a parenthesised query is one input. */
function expandTable(table: Expr, state: UnionState, position: number): { rel: Rel; label: string }[] {
  if (table.kind === 'name' && table.name.name.includes('*')) {
    const pattern = new RegExp(`^${table.name.name.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const names = state.bindings.catalog.tableNames().filter((n) => pattern.test(n));
    if (names.length === 0) fail(Codes.unknownTable, table, `No table matches ${quoted(table.name.name)}.`);
    return names.map((name) => ({ rel: state.resolver.tabular({ ...table, name: { ...table.name, name } }, state.bindings), label: name }));
  }
  const label = table.kind === 'name' ? table.name.name : `union_arg${position}`;
  return [{ rel: state.resolver.tabular(table, state.bindings), label }];
}

function outerSchema(rels: Rel[], at: UnionSource): Column[] {
  const columns: Column[] = [];
  for (const rel of rels) {
    for (const c of rel.schema) {
      const existing = columns.find((e) => e.name === c.name);
      if (!existing) columns.push(c);
      // The reference splits differently-typed columns into name_type; we ask for a conversion instead.
      else if (existing.type !== c.type) {
        fail(Codes.typeMismatch, at, `Column ${quoted(c.name)} is ${existing.type} in one input and ${c.type} in another; convert one of them with extend before the union.`);
      }
    }
  }
  return columns;
}

function innerSchema(rels: Rel[]): Column[] {
  const [first, ...rest] = rels;
  return (first?.schema ?? []).filter((c) => rest.every((r) => r.schema.some((o) => o.name === c.name && o.type === c.type)));
}
