/**
 * An expression as a compact S-expression — `(and (== a 1) (has b "x"))` — so tests can state
 * tree shapes as one readable string per row, and a debugger can print a tree in one line.
 */
import type { Expr } from './ast.js';

export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'name':
      return e.name.name;
    case 'string':
      return JSON.stringify(e.value);
    case 'number':
      return e.type === 'long' ? e.text : `${e.type}(${e.text})`;
    case 'bool':
      return String(e.value);
    case 'datetime':
    case 'timespan':
    case 'guid':
      return `${e.kind}(${e.text})`;
    case 'null':
      return `${e.type}(null)`;
    case 'dynamic':
      return `dynamic(${JSON.stringify(e.value)})`;
    case 'star':
      return '*';
    case 'error':
      return '<error>';
    case 'binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'unary':
      return `(${e.op} ${sexpr(e.operand)})`;
    case 'call':
      return `${e.name.name}(${e.args.map(sexpr).join(', ')})`;
    case 'member':
      return `${sexpr(e.target)}.${e.member.name}`;
    case 'index':
      return `${sexpr(e.target)}[${sexpr(e.index)}]`;
    case 'paren':
      return `[${sexpr(e.expr)}]`;
    case 'in':
      return `(${e.op} ${sexpr(e.left)} ${e.list.map(sexpr).join(' ')})`;
    case 'between':
      return `(${e.negated ? '!between' : 'between'} ${sexpr(e.left)} ${sexpr(e.low)} ${sexpr(e.high)})`;
    case 'pipeline':
      return `${sexpr(e.source)} ${e.operators.map((o) => `| ${o.kind}`).join(' ')}`;
    case 'datatable':
      return `datatable(${e.columns.map((c) => `${c.name.name}:${c.type}`).join(', ')})[${e.values.map(sexpr).join(', ')}]`;
    case 'print':
      return `print(${e.columns.map((c) => (c.names ? `${c.names.map((n) => n.name).join(',')}=` : '') + sexpr(c.expr)).join(', ')})`;
    case 'range':
      return `range(${e.column.name}, ${sexpr(e.from)}, ${sexpr(e.to)}, ${sexpr(e.step)})`;
    case 'union':
      return `union(${e.tables.map(sexpr).join(', ')})`;
  }
}
