/**
 * CST → AST: the complete visitor. Statements are built here; operators and expressions in the
 * classes this one extends. `validateVisitor()` fails at load time if a grammar rule has no
 * visitor method, so a grammar edit cannot silently drop part of the tree.
 */
import type { CstNode } from 'chevrotain';
import type { ColumnDecl, Expr, FunctionDef, LetStatement, Param, Script } from './ast.js';
import { Codes, type Range } from './diagnostics.js';
import { after, errorExpr, node, nodes, token, tokens, type Ctx } from './cst-helpers.js';
import { OperatorBuilder } from './operators-ast.js';

type ParamType = Param['type'];
type StatementList = { statements: LetStatement[]; query: Expr | undefined };

export class AstBuilder extends OperatorBuilder {
  constructor() {
    super();
    this.validateVisitor();
  }

  /** Builds the script; `diagnostics` collects what the tree shape itself rules out. */
  build(cst: CstNode, range: Range): Script {
    this.diagnostics = [];
    return this.sub<Script>(cst, range);
  }

  script(ctx: Ctx, range: Range): Script {
    const list = node(ctx, 'statements');
    const { statements, query } = list ? this.sub<StatementList>(list, range) : { statements: [], query: undefined };
    return query ? { kind: 'script', statements, query, range } : { kind: 'script', statements, range };
  }

  /** `let` statements and the (last) expression statement, in source order. */
  statements(ctx: Ctx, range: Range): StatementList {
    const lets = nodes(ctx, 'letStatement').map((n) => this.sub<LetStatement>(n, range));
    const query = node(ctx, 'expression');
    return { statements: lets, query: query ? this.ex(query, after(range)) : undefined };
  }

  letStatement(ctx: Ctx, range: Range): LetStatement {
    const nameNode = node(ctx, 'name');
    const name = this.ident(nameNode, after(range));
    if (nameNode) this.checkAssignable(name, !token(nameNode.children, 'Identifier'));
    const fn = node(ctx, 'functionDef');
    const value = fn ? this.sub<FunctionDef>(fn, after(name.range)) : this.ex(node(ctx, 'expression'), after(range));
    return { kind: 'let', name, value, range };
  }

  functionDef(ctx: Ctx, range: Range): FunctionDef {
    const params = nodes(ctx, 'param').map((n) => this.sub<Param>(n, range));
    const list = node(ctx, 'statements');
    const { statements, query } = list ? this.sub<StatementList>(list, range) : { statements: [], query: undefined };
    if (!query && list) this.report(Codes.syntax, range, 'A function body ends with an expression: the value or table it returns.');
    const result: Expr = query ?? errorExpr(after(range));
    return { kind: 'function', params, body: { statements, result }, range };
  }

  param(ctx: Ctx, range: Range): Param {
    const name = this.ident(node(ctx, 'name'), range);
    const tabular = node(ctx, 'tabularType');
    const type: ParamType = tabular
      ? this.sub<ParamType>(tabular, range)
      : { kind: 'scalar', type: this.typeName(tokens(ctx, 'Identifier')[0]) };
    const fallback = node(ctx, 'infixExpr');
    return fallback ? { name, type, default: this.ex(fallback, range), range } : { name, type, range };
  }

  tabularType(ctx: Ctx, range: Range): ParamType {
    const columns = nodes(ctx, 'columnDecl').map((n) => this.sub<ColumnDecl>(n, range));
    return { kind: 'tabular', columns, open: tokens(ctx, 'Star').length > 0 };
  }
}
