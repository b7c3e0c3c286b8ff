/** project, extend, project-away, project-keep, project-rename, project-reorder. */
import type { Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { NamedSql, Rel } from '../../plan/plan.js';
import type { Column } from '../../schema/types.js';
import { fail, quoted } from '../context.js';
import type { PipeState } from './apply.js';
import { matchColumns, quote, requireColumn, resolveAssignments } from './shared.js';

type Op<K extends Operator['kind']> = Extract<Operator, { kind: K }>;

function projection(input: Rel, columns: NamedSql[], schema: Column[]): Rel {
  return { kind: 'project', input, columns, schema };
}

export function project(op: Op<'project'>, input: Rel, state: PipeState): Rel {
  const resolved = resolveAssignments(op.columns, input, state);
  const seen = new Set<string>();
  for (const r of resolved) {
    if (seen.has(r.name)) fail(Codes.duplicateColumn, r.at, `Column ${quoted(r.name)} is projected twice; give one of them another name (name = expression).`);
    seen.add(r.name);
  }
  return projection(
    input,
    resolved.map((r) => ({ name: r.name, sql: r.value.sql })),
    resolved.map((r) => ({ name: r.name, type: r.value.type })),
  );
}

/** New columns go last; a column that already exists is replaced where it stands. */
export function extend(op: Op<'extend'>, input: Rel, state: PipeState): Rel {
  const resolved = resolveAssignments(op.columns, input, state);
  const columns: NamedSql[] = input.schema.map((c) => ({ name: c.name, sql: quote(state, c.name) }));
  const schema: Column[] = [...input.schema];
  for (const r of resolved) {
    const i = schema.findIndex((c) => c.name === r.name);
    const column = { name: r.name, sql: r.value.sql };
    if (i >= 0) {
      columns[i] = column;
      schema[i] = { name: r.name, type: r.value.type };
    } else {
      columns.push(column);
      schema.push({ name: r.name, type: r.value.type });
    }
  }
  return projection(input, columns, schema);
}

function keepOnly(op: Op<'project-away' | 'project-keep'>, input: Rel, state: PipeState, keep: (c: Column) => boolean): Rel {
  const schema = input.schema.filter(keep);
  // A table without columns has nothing to show or to pipe on; the SQL would need a dummy column.
  if (schema.length === 0 && input.schema.length > 0) {
    fail(Codes.unsupported, op, `${op.kind} would leave no columns. Keep at least one column, or use \`| count\` to count the rows.`);
  }
  return projection(input, schema.map((c) => ({ name: c.name, sql: quote(state, c.name) })), schema);
}

export function projectAway(op: Op<'project-away'>, input: Rel, state: PipeState): Rel {
  const away = new Set(op.columns.flatMap((ident) => matchColumns(input, ident).map((c) => c.name)));
  return keepOnly(op, input, state, (c) => !away.has(c.name));
}

export function projectKeep(op: Op<'project-keep'>, input: Rel, state: PipeState): Rel {
  const keep = new Set(op.columns.flatMap((ident) => matchColumns(input, ident).map((c) => c.name)));
  return keepOnly(op, input, state, (c) => keep.has(c.name));
}

export function projectRename(op: Op<'project-rename'>, input: Rel, state: PipeState): Rel {
  const renames = new Map<string, string>();
  for (const r of op.renames) {
    requireColumn(input, r.from);
    renames.set(r.from.name, r.name.name);
  }
  const schema = input.schema.map((c) => ({ name: renames.get(c.name) ?? c.name, type: c.type }));
  const names = new Set<string>();
  for (const c of schema) {
    if (names.has(c.name)) fail(Codes.duplicateColumn, op, `Renaming would leave two columns named ${quoted(c.name)}.`);
    names.add(c.name);
  }
  const columns = input.schema.map((c, i) => ({ name: schema[i]!.name, sql: quote(state, c.name) }));
  return projection(input, columns, schema);
}

/** Listed columns first (a wildcard's matches sorted when asc/desc is given), the rest after. */
export function projectReorder(op: Op<'project-reorder'>, input: Rel, state: PipeState): Rel {
  const first: Column[] = [];
  for (const entry of op.columns) {
    let matches = matchColumns(input, entry.name).filter((c) => !first.includes(c));
    if (entry.order) {
      const sign = entry.order === 'asc' ? 1 : -1;
      matches = [...matches].sort((a, b) => sign * a.name.localeCompare(b.name));
    }
    first.push(...matches);
  }
  const schema = [...first, ...input.schema.filter((c) => !first.includes(c))];
  return projection(input, schema.map((c) => ({ name: c.name, sql: quote(state, c.name) })), schema);
}
