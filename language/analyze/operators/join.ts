/** join (every kind; a bare join is innerunique) and lookup. */
import type { Ident, JoinCondition, Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { JoinKind, Rel } from '../../plan/plan.js';
import { fail, quoted } from '../context.js';
import { dedupe } from '../naming.js';
import type { PipeState } from './apply.js';
import { requireColumn } from './shared.js';

type Join = Extract<Operator, { kind: 'join' }>;
type Lookup = Extract<Operator, { kind: 'lookup' }>;
type JoinColumn = Extract<Rel, { kind: 'join' }>['columns'][number];

const joinKinds: readonly JoinKind[] = [
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
];

/** Spellings the reference accepts for the same kinds. */
const kindAliases: Record<string, JoinKind> = { anti: 'leftanti', leftantisemi: 'leftanti', rightantisemi: 'rightanti' };

export function resolveJoin(op: Join, left: Rel, state: PipeState): Rel {
  // A join without kind= is innerunique: the left side is deduplicated on the keys first.
  const joinKind = parseKind(op.joinKind, 'innerunique', joinKinds, 'join');
  const right = state.resolver.tabular(op.right, state.bindings);
  const on = keyPairs(op.on, left, right, op);
  return { kind: 'join', joinKind, left, right, on, ...joinOutput(joinKind, left, right) };
}

export function resolveLookup(op: Lookup, left: Rel, state: PipeState): Rel {
  const joinKind = parseKind(op.lookupKind, 'leftouter', ['leftouter', 'inner'], 'lookup');
  const right = state.resolver.tabular(op.right, state.bindings);
  const on = keyPairs(op.on, left, right, op);
  const rightKeys = new Set(on.map((p) => p.right));
  const taken = new Set(left.schema.map((c) => c.name));
  const columns: JoinColumn[] = left.schema.map((c) => ({ name: c.name, side: 'left', source: c.name }));
  const schema = [...left.schema];
  for (const c of right.schema) {
    if (rightKeys.has(c.name)) continue;
    const name = dedupe(c.name, taken);
    taken.add(name);
    columns.push({ name, side: 'right', source: c.name });
    schema.push({ name, type: c.type });
  }
  return { kind: 'join', joinKind, left, right, on, columns, schema };
}

function parseKind<K extends string>(ident: Ident | undefined, fallback: K, allowed: readonly K[], what: string): K {
  if (!ident) return fallback;
  const name = (kindAliases[ident.name] ?? ident.name) as K;
  if (allowed.includes(name)) return name;
  return fail(Codes.syntax, ident, `Unknown ${what} kind ${quoted(ident.name)}; use one of ${allowed.join(', ')}.`);
}

function keyPairs(conditions: readonly JoinCondition[], left: Rel, right: Rel, op: Join | Lookup): { left: string; right: string }[] {
  if (conditions.length === 0) fail(Codes.syntax, op, "A join needs 'on' with the key columns, e.g. `on Computer` or `on $left.a == $right.b`.");
  return conditions.map((condition) => {
    const l = requireColumn(left, condition.kind === 'same' ? condition.name : condition.left);
    const r = requireColumn(right, condition.kind === 'same' ? condition.name : condition.right);
    if (l.type !== r.type) {
      fail(Codes.typeMismatch, condition, `Join keys must have the same type: ${quoted(l.name)} is ${l.type} but ${quoted(r.name)} is ${r.type}. Convert one side with extend first.`);
    }
    return { left: l.name, right: r.name };
  });
}

/** Semi and anti joins return one side; the others return both, right-side duplicates renamed x1, x2 … */
function joinOutput(kind: JoinKind, left: Rel, right: Rel): Pick<Extract<Rel, { kind: 'join' }>, 'columns' | 'schema'> {
  const side = (rel: Rel, s: 'left' | 'right'): JoinColumn[] => rel.schema.map((c) => ({ name: c.name, side: s, source: c.name }));
  if (kind === 'leftsemi' || kind === 'leftanti') return { columns: side(left, 'left'), schema: left.schema };
  if (kind === 'rightsemi' || kind === 'rightanti') return { columns: side(right, 'right'), schema: right.schema };
  const taken = new Set(left.schema.map((c) => c.name));
  const columns = side(left, 'left');
  const schema = [...left.schema];
  for (const c of right.schema) {
    const name = dedupe(c.name, taken);
    taken.add(name);
    columns.push({ name, side: 'right', source: c.name });
    schema.push({ name, type: c.type });
  }
  return { columns, schema };
}
