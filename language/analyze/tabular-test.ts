/** Whether an expression denotes a table (decides `x in (T)` subqueries and `let` kinds). */
import type { Expr, FunctionDef } from '../syntax/ast.js';
import { findColumn, type Bindings, type RowScope } from './scope.js';

export function isTabularExpr(expr: Expr, bindings: Bindings, row: RowScope | undefined): boolean {
  switch (expr.kind) {
    case 'pipeline':
    case 'datatable':
    case 'print':
    case 'range':
    case 'union':
      return true;
    case 'paren':
      return isTabularExpr(expr.expr, bindings, row);
    case 'name': {
      const name = expr.name.name;
      if (findColumn(row, name)) return false;
      const binding = bindings.lookup(name);
      if (binding) return binding.kind === 'tabular';
      return bindings.catalog.table(name) !== undefined || bindings.catalog.functions?.has(name) === true;
    }
    case 'call': {
      const binding = bindings.lookup(expr.name.name);
      if (!binding && bindings.catalog.functions?.has(expr.name.name)) return true;
      return binding?.kind === 'function' && returnsTable(binding.def, binding.scope);
    }
    default:
      return false;
  }
}

/** A function returns a table when its result is tabular, counting its tabular parameters. */
function returnsTable(def: FunctionDef, scope: Bindings): boolean {
  const result = unparen(def.body.result);
  if (result.kind === 'name') {
    const param = def.params.find((p) => p.name.name === result.name.name);
    if (param) return param.type.kind === 'tabular';
    if (def.body.statements.some((s) => s.name.name === result.name.name)) return true;
  }
  return isTabularExpr(result, scope, undefined);
}

function unparen(expr: Expr): Expr {
  return expr.kind === 'paren' ? unparen(expr.expr) : expr;
}
