/** render: a visualization hint kept as result metadata; the rows pass through unchanged. */
import type { Expr, Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { Rel } from '../../plan/plan.js';
import { fail } from '../context.js';
import type { PipeState } from './apply.js';
import { isVisualization, visualizations } from '../../values/visualizations.js';

type Render = Extract<Operator, { kind: 'render' }>;
export type RenderValue = string | number | boolean | string[];

export function resolveRender(op: Render, input: Rel, state: PipeState, isLast: boolean): Rel {
  if (!isLast) fail(Codes.syntax, op, 'render must be the last operator of the query.');
  const visualization = op.visualization.name;
  if (!isVisualization(visualization)) {
    fail(Codes.syntax, op.visualization, `Unknown visualization '${visualization}'; use one of ${visualizations.join(', ')}.`);
  }
  const properties: Record<string, RenderValue> = {};
  for (const p of op.properties) properties[p.name.name] = renderValue(p.value);
  state.resolver.render = { visualization, properties };
  return input;
}

function renderValue(expr: Expr): RenderValue {
  switch (expr.kind) {
    case 'name':
      return expr.name.name;
    case 'string':
      return expr.value;
    case 'number':
      return Number(expr.text);
    case 'bool':
      return expr.value;
    case 'paren':
      return renderValue(expr.expr);
    case 'unary':
      return -Number(renderValue(expr.operand));
    case 'call':
      // The parser records a list value (`ycolumns = a, b`) as pack_array(a, b).
      if (expr.name.name === 'pack_array') return expr.args.map((a) => String(renderValue(a)));
      return fail(Codes.syntax, expr, 'A render property takes a name, a string, a number, or a comma list of column names.');
    default:
      return fail(Codes.syntax, expr, 'A render property takes a name, a string, a number, or a comma list of column names.');
  }
}
