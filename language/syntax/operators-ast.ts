/**
 * CST → AST for pipe operators (`| where …`, `| summarize …` …). One visitor method per
 * grammar rule, named after it; each receives the node's source range.
 */
import type { Assignment, Expr, Ident, JoinCondition, Operator, ParsePart, SortKey, UnionSource } from './ast.js';
import { Codes, type Range } from './diagnostics.js';
import { after, errorExpr, node, nodes, span, token, tokenRange, type Ctx } from './cst-helpers.js';
import { SourceBuilder } from './sources-ast.js';
import { decodeString } from './literals.js';

type Of<K extends Operator['kind']> = Extract<Operator, { kind: K }>;

export abstract class OperatorBuilder extends SourceBuilder {
  pipeOperator(ctx: Ctx, range: Range): Operator {
    const union = node(ctx, 'unionSource');
    if (union) {
      const source = this.sub<UnionSource>(union, range);
      return { kind: 'union', source, range: source.range };
    }
    for (const key in ctx) {
      const child = node(ctx, key); // the one operator rule that matched
      if (child) return this.sub<Operator>(child, range);
    }
    return { kind: 'error-operator', range };
  }

  whereOp(ctx: Ctx, range: Range): Of<'where'> {
    return { kind: 'where', predicate: this.ex(node(ctx, 'infixExpr'), after(range)), range };
  }

  projectOp(ctx: Ctx, range: Range): Of<'project'> {
    return { kind: 'project', columns: this.assignments(ctx, 'assignmentList', range), range };
  }

  projectAwayOp(ctx: Ctx, range: Range): Of<'project-away'> | Of<'project-keep'> {
    const kind = token(ctx, 'ProjectAwayKeyword')?.image === 'project-keep' ? 'project-keep' : 'project-away';
    return { kind, columns: nodes(ctx, 'wildcardName').map((n) => this.ident(n, range)), range };
  }

  projectRenameOp(ctx: Ctx, range: Range): Of<'project-rename'> {
    const renames = nodes(ctx, 'rename').map((n) => this.sub<{ name: Ident; from: Ident }>(n, after(range)));
    return { kind: 'project-rename', renames, range };
  }

  rename(ctx: Ctx, range: Range): { name: Ident; from: Ident } {
    const [name, from] = nodes(ctx, 'name');
    return { name: this.ident(name, range), from: this.ident(from, after(range)) };
  }

  projectReorderOp(ctx: Ctx, range: Range): Of<'project-reorder'> {
    type Column = { name: Ident; order?: 'asc' | 'desc' };
    const columns = nodes(ctx, 'reorderColumn').map((n) => this.sub<Column>(n, after(range)));
    return { kind: 'project-reorder', columns, range };
  }

  reorderColumn(ctx: Ctx, range: Range): { name: Ident; order?: 'asc' | 'desc' } {
    const name = this.ident(node(ctx, 'wildcardName'), range);
    const order = token(ctx, 'SortDirection');
    return order ? { name, order: order.image === 'asc' ? 'asc' : 'desc' } : { name };
  }

  extendOp(ctx: Ctx, range: Range): Of<'extend'> {
    return { kind: 'extend', columns: this.assignments(ctx, 'assignmentList', range), range };
  }

  summarizeOp(ctx: Ctx, range: Range): Of<'summarize'> {
    return {
      kind: 'summarize',
      aggregates: this.assignments(ctx, 'assignmentList', range),
      by: this.assignments(ctx, 'byClause', range),
      range,
    };
  }

  byClause(ctx: Ctx, range: Range): Assignment[] {
    return this.assignments(ctx, 'assignmentList', range);
  }

  private assignments(ctx: Ctx, key: string, range: Range): Assignment[] {
    const list = node(ctx, key);
    return list ? this.sub<Assignment[]>(list, after(range)) : [];
  }

  distinctOp(ctx: Ctx, range: Range): Of<'distinct'> {
    const star = token(ctx, 'Star');
    if (star) return { kind: 'distinct', columns: [{ kind: 'star', range: tokenRange(star) }], range };
    return { kind: 'distinct', columns: nodes(ctx, 'infixExpr').map((n) => this.ex(n, after(range))), range };
  }

  topOp(ctx: Ctx, range: Range): Of<'top'> {
    const key = node(ctx, 'sortKey');
    const by = key ? [this.sub<SortKey>(key, after(range))] : [];
    return { kind: 'top', count: this.ex(node(ctx, 'infixExpr'), after(range)), by, range };
  }

  takeOp(ctx: Ctx, range: Range): Of<'take'> {
    return { kind: 'take', count: this.ex(node(ctx, 'infixExpr'), after(range)), range };
  }

  sortOp(ctx: Ctx, range: Range): Of<'sort'> {
    return { kind: 'sort', by: this.sortKeyList(ctx, range), range };
  }

  private sortKeyList(ctx: Ctx, range: Range): SortKey[] {
    const keys = node(ctx, 'sortKeys');
    return keys ? this.sub<SortKey[]>(keys, after(range)) : [];
  }

  sortKeys(ctx: Ctx, range: Range): SortKey[] {
    return nodes(ctx, 'sortKey').map((n) => this.sub<SortKey>(n, after(range)));
  }

  sortKey(ctx: Ctx, range: Range): SortKey {
    const key: SortKey = { expr: this.ex(node(ctx, 'infixExpr'), range), range };
    const order = token(ctx, 'SortDirection');
    if (order) key.order = order.image === 'asc' ? 'asc' : 'desc';
    const nulls = token(ctx, 'NullsPosition');
    if (nulls) key.nulls = nulls.image === 'first' ? 'first' : 'last';
    return key;
  }

  countOp(ctx: Ctx, range: Range): Of<'count'> {
    const as = node(ctx, 'name');
    return as ? { kind: 'count', as: this.ident(as, range), range } : { kind: 'count', range };
  }

  joinOp(ctx: Ctx, range: Range): Of<'join'> {
    const joinKind = this.kindParam(ctx);
    return { kind: 'join', ...(joinKind ? { joinKind } : {}), ...this.joinTail(ctx, range), range };
  }

  lookupOp(ctx: Ctx, range: Range): Of<'lookup'> {
    const lookupKind = this.kindParam(ctx);
    return { kind: 'lookup', ...(lookupKind ? { lookupKind } : {}), ...this.joinTail(ctx, range), range };
  }

  /** `kind=…` as written (validated by the analyzer); `hint.*` parameters are ignored. */
  private kindParam(ctx: Ctx): Ident | undefined {
    const kind = this.params(ctx).find((p) => p.name === 'kind');
    return kind?.value ? { kind: 'ident', name: kind.value.image, range: tokenRange(kind.value) } : undefined;
  }

  private joinTail(ctx: Ctx, range: Range): { right: Expr; on: JoinCondition[] } {
    const right = this.ex(node(ctx, 'joinRight'), after(range));
    const conditions = node(ctx, 'joinConditions');
    return { right, on: conditions ? this.sub<JoinCondition[]>(conditions, after(range)) : [] };
  }

  joinRight(ctx: Ctx, range: Range): Expr {
    const paren = node(ctx, 'parenExpr');
    if (paren) return this.ex(paren, range);
    return { kind: 'name', name: this.ident(node(ctx, 'name'), range), range };
  }

  joinConditions(ctx: Ctx, range: Range): JoinCondition[] {
    return nodes(ctx, 'joinCondition')
      .map((n) => this.sub<JoinCondition | undefined>(n, after(range)))
      .filter((c): c is JoinCondition => c !== undefined);
  }

  /** `Computer` or `$left.a == $right.b` (either side order); anything else is reported. */
  joinCondition(ctx: Ctx, range: Range): JoinCondition | undefined {
    const [leftNode, rightNode] = nodes(ctx, 'operand');
    const left = this.ex(leftNode, range);
    if (!rightNode) {
      if (left.kind === 'name') return { kind: 'same', name: left.name, range };
      if (left.kind === 'error') return undefined;
    } else {
      const right = this.ex(rightNode, after(left.range));
      const a = sideOf(left);
      const b = sideOf(right);
      if (a && b && a.side !== b.side) {
        const [l, r] = a.side === '$left' ? [a, b] : [b, a];
        return { kind: 'pair', left: l.column, right: r.column, range };
      }
    }
    this.report(Codes.syntax, range, 'A join condition is a column name or `$left.Column == $right.Column`.');
    return undefined;
  }

  mvExpandOp(ctx: Ctx, range: Range): Of<'mv-expand'> {
    type Column = Of<'mv-expand'>['columns'][number];
    const op: Of<'mv-expand'> = { kind: 'mv-expand', columns: [], range };
    const index = this.params(ctx).find((p) => p.name === 'with_itemindex');
    if (index?.value) op.itemIndex = { kind: 'ident', name: index.value.image, range: tokenRange(index.value) };
    op.columns = nodes(ctx, 'mvExpandColumn').map((n) => this.sub<Column>(n, after(range)));
    const limit = node(ctx, 'infixExpr');
    if (limit) op.limit = this.ex(limit, after(range));
    return op;
  }

  mvExpandColumn(ctx: Ctx, range: Range): Of<'mv-expand'>['columns'][number] {
    const assignment = this.sub<Assignment>(node(ctx, 'assignment')!, range);
    const column: Of<'mv-expand'>['columns'][number] = { expr: assignment.expr, range };
    if (assignment.names?.[0]) column.name = assignment.names[0];
    if (token(ctx, 'Typeof')) column.toType = this.typeName(token(ctx, 'Identifier'));
    return column;
  }

  makeSeriesOp(ctx: Ctx, range: Range): Of<'make-series'> {
    type Aggregate = Of<'make-series'>['aggregates'][number];
    const aggregates = nodes(ctx, 'makeSeriesAggregate').map((n) => this.sub<Aggregate>(n, after(range)));
    const on = this.ex(node(ctx, 'operand'), after(range));
    const bounds = node(ctx, 'seriesRange') ?? node(ctx, 'seriesBounds');
    const axis = bounds ? this.sub<{ from?: Expr; to?: Expr; step: Expr }>(bounds, after(on.range)) : { step: errorExpr(after(on.range)) };
    return { kind: 'make-series', aggregates, on, ...axis, by: this.assignments(ctx, 'byClause', range), range };
  }

  makeSeriesAggregate(ctx: Ctx, range: Range): Assignment & { default?: Expr } {
    const assignment = this.sub<Assignment>(node(ctx, 'assignment')!, range);
    const fallback = node(ctx, 'infixExpr');
    return fallback ? { ...assignment, default: this.ex(fallback, range), range } : { ...assignment, range };
  }

  seriesRange(ctx: Ctx, range: Range): { from: Expr; to: Expr; step: Expr } {
    const [from, to, step] = [0, 1, 2].map((i) => this.ex(node(ctx, 'infixExpr', i), after(range))) as [Expr, Expr, Expr];
    return { from, to, step };
  }

  seriesBounds(ctx: Ctx, range: Range): { from?: Expr; to?: Expr; step: Expr } {
    // Each keyword present (`from`, `to`, then the required `step`) is followed by one bound.
    const keywords = [...(['From', 'To'] as const).filter((k) => token(ctx, k)), 'Step' as const];
    const axis: { from?: Expr; to?: Expr; step: Expr } = { step: errorExpr(after(range)) };
    nodes(ctx, 'infixExpr').forEach((n, i) => {
      const expr = this.ex(n, after(range));
      if (keywords[i] === 'From') axis.from = expr;
      else if (keywords[i] === 'To') axis.to = expr;
      else axis.step = expr;
    });
    return axis;
  }

  parseOp(ctx: Ctx, range: Range): Of<'parse'> {
    const op: Of<'parse'> = { kind: 'parse', parseKind: 'simple', source: this.ex(node(ctx, 'infixExpr'), after(range)), pattern: [], range };
    for (const param of this.params(ctx)) {
      const value = param.value?.image ?? '';
      if (param.name === 'kind' && (value === 'simple' || value === 'regex' || value === 'relaxed')) op.parseKind = value;
      else if (param.name === 'flags') op.flags = value;
      else this.report(Codes.syntax, param.range, `Unknown parse ${param.name} '${value}': use kind=simple, regex or relaxed.`);
    }
    op.pattern = mergeText(nodes(ctx, 'parsePart').map((n) => this.sub<ParsePart>(n, range)));
    return op;
  }

  parsePart(ctx: Ctx, range: Range): ParsePart {
    const text = token(ctx, 'StringLiteral');
    if (text) return { kind: 'text', value: decodeString(text.image), range };
    if (token(ctx, 'Star')) return { kind: 'wildcard', range };
    const name = this.ident(node(ctx, 'name'), range);
    const type = token(ctx, 'Identifier');
    return type ? { kind: 'column', name, type: this.typeName(type), range } : { kind: 'column', name, range };
  }

  /**
   * `render kind [with (p = v, …)]`. A property whose value is a list (`ycolumns = a, b`) gets a
   * `pack_array(a, b)` call as its value, so it reads as the dynamic array it denotes.
   */
  renderOp(ctx: Ctx, range: Range): Of<'render'> {
    const visualization = this.ident(node(ctx, 'name'), after(range));
    type Property = { name: Ident; value: Expr };
    const properties = nodes(ctx, 'renderProperty').map((n) => this.sub<Property>(n, after(range)));
    return { kind: 'render', visualization, properties, range };
  }

  renderProperty(ctx: Ctx, range: Range): { name: Ident; value: Expr } {
    const name = this.ident(node(ctx, 'name'), range);
    const values = nodes(ctx, 'infixExpr').map((n) => this.ex(n, after(name.range)));
    if (values.length === 1) return { name, value: values[0]! };
    const listRange = values.length ? span(values[0]!.range, values[values.length - 1]!.range) : after(name.range);
    const list: Expr = { kind: 'call', name: { kind: 'ident', name: 'pack_array', range: listRange }, args: values, range: listRange };
    return { name, value: list };
  }

  getschemaOp(_ctx: Ctx, range: Range): Of<'getschema'> {
    return { kind: 'getschema', range };
  }

  asOp(ctx: Ctx, range: Range): Of<'as'> {
    return { kind: 'as', name: this.ident(node(ctx, 'name'), after(range)), range };
  }

  serializeOp(ctx: Ctx, range: Range): Of<'serialize'> {
    return { kind: 'serialize', columns: this.assignments(ctx, 'assignmentList', range), range };
  }
}

function sideOf(e: Expr): { side: string; column: Ident } | undefined {
  if (e.kind !== 'member' || e.target.kind !== 'name') return undefined;
  const side = e.target.name.name;
  return side === '$left' || side === '$right' ? { side, column: e.member } : undefined;
}

/** Adjacent string literals in a parse pattern are one piece of text. */
function mergeText(parts: ParsePart[]): ParsePart[] {
  const merged: ParsePart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = { kind: 'text', value: last.value + part.value, range: span(last.range, part.range) };
    } else merged.push(part);
  }
  return merged;
}
