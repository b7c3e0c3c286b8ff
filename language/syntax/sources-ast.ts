/**
 * CST → AST, layer 2: tabular sources (`datatable`, `print`, `range`, `union`) and the pieces
 * operators share: assignments and `name=value` parameters.
 */
import type { Assignment, ColumnDecl, Expr, Ident, UnionSource } from './ast.js';
import type { IToken } from 'chevrotain';
import { Codes, type Range } from './diagnostics.js';
import { after, node, nodes, token, tokenRange, tokens, type Ctx } from './cst-helpers.js';
import { ExpressionBuilder } from './expressions-ast.js';
import { decodeString } from './literals.js';

export interface NamedParam {
  name: string;
  value: IToken | undefined;
  /** The value as text: a quoted name or string is unquoted. */
  text: string;
  range: Range;
}

export abstract class SourceBuilder extends ExpressionBuilder {
  // --- tabular sources ------------------------------------------------------------------------

  datatable(ctx: Ctx, range: Range): Expr {
    const columns = nodes(ctx, 'columnDecl').map((n) => this.sub<ColumnDecl>(n, range));
    const values = nodes(ctx, 'infixExpr').map((n) => this.ex(n, after(range)));
    for (const value of values) {
      if (!isConstant(value)) this.report(Codes.syntax, value.range, 'datatable values must be literals (a number, string, bool, datetime(…), 1h, dynamic(…) …).');
    }
    return { kind: 'datatable', columns, values, range };
  }

  columnDecl(ctx: Ctx, range: Range): ColumnDecl {
    const name = this.ident(node(ctx, 'name'), range);
    return { name, type: this.typeName(token(ctx, 'Identifier')), range };
  }

  printSource(ctx: Ctx, range: Range): Expr {
    const list = node(ctx, 'assignmentList');
    return { kind: 'print', columns: list ? this.sub<Assignment[]>(list, range) : [], range };
  }

  rangeSource(ctx: Ctx, range: Range): Expr {
    const column = this.ident(node(ctx, 'name'), range);
    const [from, to, step] = [0, 1, 2].map((i) => this.ex(node(ctx, 'infixExpr', i), after(range))) as [Expr, Expr, Expr];
    return { kind: 'range', column, from, to, step, range };
  }

  unionSource(ctx: Ctx, range: Range): UnionSource {
    const union: UnionSource = { kind: 'union', tables: [], range };
    for (const param of this.params(ctx)) {
      const value = param.text;
      if (param.name === 'kind' && (value === 'inner' || value === 'outer')) union.unionKind = value;
      else if (param.name === 'withsource' && param.value) {
        union.withSource = { kind: 'ident', name: value, range: tokenRange(param.value) };
      } else if (param.name === 'isfuzzy') union.isFuzzy = value?.toLowerCase() === 'true';
      else if (!param.name.startsWith('hint.')) {
        this.report(Codes.syntax, param.range, `Unexpected union parameter value '${value ?? ''}': use kind=inner or kind=outer.`);
      }
    }
    union.tables = nodes(ctx, 'unionTable').map((n) => this.ex(n, after(range)));
    return union;
  }

  unionTable(ctx: Ctx, range: Range): Expr {
    const paren = node(ctx, 'parenExpr');
    if (paren) return this.ex(paren, range);
    return { kind: 'name', name: this.ident(node(ctx, 'wildcardName'), range), range };
  }

  /** The `name=value` parameters of the node (`kind=inner`, `hint.remote=auto` …). */
  protected params(ctx: Ctx): NamedParam[] {
    return nodes(ctx, 'namedParam').map((n) => this.sub<NamedParam>(n, { start: 0, end: 0 }));
  }

  namedParam(ctx: Ctx, range: Range): NamedParam {
    const ids = tokens(ctx, 'Identifier');
    const literal = token(ctx, 'Bool') ?? token(ctx, 'NumberLiteral') ?? token(ctx, 'StringLiteral');
    const value = literal ?? ids[ids.length - 1];
    const nameParts = ids.filter((t) => t !== value);
    const text = !value ? '' : value.tokenType.name === 'StringLiteral' ? decodeString(value.image) : value.image;
    return { name: nameParts.map((t) => t.image).join('.'), value, text, range };
  }

  // --- shared by operators --------------------------------------------------------------------

  assignmentList(ctx: Ctx, range: Range): Assignment[] {
    return nodes(ctx, 'assignment').map((n) => this.sub<Assignment>(n, after(range)));
  }

  assignment(ctx: Ctx, range: Range): Assignment {
    const target = node(ctx, 'assignmentTarget');
    const expr = this.ex(node(ctx, 'infixExpr'), after(range));
    if (!target) return { expr, range };
    const names = this.sub<Ident[]>(target, range);
    for (const n of nodes(target.children, 'name')) this.checkAssignable(this.ident(n, range), !token(n.children, 'Identifier'));
    return { names, expr, range };
  }

  assignmentTarget(ctx: Ctx, range: Range): Ident[] {
    return nodes(ctx, 'name').map((n) => this.ident(n, range));
  }
}

/** A literal, or a signed number: what datatable rows may hold. */
function isConstant(e: Expr): boolean {
  if (e.kind === 'unary') return e.operand.kind === 'number' || e.operand.kind === 'timespan';
  return ['string', 'number', 'bool', 'datetime', 'timespan', 'guid', 'null', 'dynamic'].includes(e.kind);
}
