/** Output column names as the reference names them: `count_`, `sum_x`, `print_0`, `Column1`, `x1`. */
import type { Assignment, Expr } from '../syntax/ast.js';
import { percentileColumnName } from '../functions/aggregates.js';
import { lookupFunction } from '../functions/catalogue.js';

/** `bin(TimeGenerated, 1h)` keeps its column's name; so do these rounding functions. */
const nameKeepingFunctions = new Set(['bin', 'floor', 'bin_at']);

/** The name Kusto gives an unnamed expression, or undefined when it falls back to `ColumnN`. */
export function deriveName(expr: Expr): string | undefined {
  switch (expr.kind) {
    case 'name':
      return expr.name.name;
    case 'paren':
      return deriveName(expr.expr);
    case 'member': {
      const target = deriveName(expr.target);
      return target === undefined ? undefined : `${target}_${expr.member.name}`;
    }
    case 'index': {
      const target = deriveName(expr.target);
      const index = expr.index;
      if (target === undefined) return undefined;
      if (index.kind === 'string') return `${target}_${index.value}`;
      if (index.kind === 'number') return `${target}_${index.text}`;
      return undefined;
    }
    case 'call':
      return callName(expr.name.name, expr.args);
    default:
      return undefined;
  }
}

function callName(name: string, args: Expr[]): string | undefined {
  const first = args[0];
  if (nameKeepingFunctions.has(name)) return first ? deriveName(first) : undefined;
  const point = args[1];
  if (name === 'percentile' && point?.kind === 'number') {
    return percentileColumnName(first ? deriveName(first) : undefined, Number(point.text));
  }
  const spec = lookupFunction(name);
  if (spec?.kind === 'aggregate' && spec.defaultName) {
    return spec.defaultName(first && first.kind !== 'star' ? deriveName(first) : undefined);
  }
  return undefined;
}

/** Hands out names for unnamed columns: derived when possible, else Column1, Column2 … */
export class ColumnNamer {
  private next = 1;
  constructor(private readonly taken: Set<string>) {}

  nameFor(assignment: Assignment): string {
    const explicit = assignment.names?.[0]?.name;
    if (explicit !== undefined) return explicit;
    return deriveName(assignment.expr) ?? this.fresh('Column');
  }

  fresh(prefix: string): string {
    while (this.taken.has(`${prefix}${this.next}`)) this.next++;
    const name = `${prefix}${this.next++}`;
    this.taken.add(name);
    return name;
  }
}

/** `x`, then `x1`, `x2` … for a name already taken (join outputs). */
export function dedupe(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}
