/**
 * CST → AST, layer 1: expressions, literals and names. Each visitor method is named after its
 * grammar rule and receives the node's source range as its parameter. The layers follow the
 * parser's: sources-ast.ts → operators-ast.ts → cst-to-ast.ts (statements, the full visitor).
 */
import type { CstNode, IToken } from 'chevrotain';
import type { DynamicValue, Expr, Ident, Literal, Operator, TypeName } from './ast.js';
import { Codes, diagnostic, type Diagnostic, type Range } from './diagnostics.js';
import { after, errorExpr, node, nodeRange, nodes, span, token, tokenRange, tokens, type Ctx } from './cst-helpers.js';
import { decodeString, innerText, knownTypeNames, numberOf, typeNameOf } from './literals.js';
import { applyPrecedence, type Suffix } from './precedence.js';
import { parser } from './parser.js';

const BaseVisitor = parser.getBaseCstVisitorConstructor<unknown, unknown>();

/** Tokens holding a whole `kind(…)` literal. */
const callLikeLiterals: [string, 'timespan' | 'datetime' | 'guid'][] = [
  ['TimespanCall', 'timespan'],
  ['DatetimeLiteral', 'datetime'],
  ['GuidLiteral', 'guid'],
];

/**
 * Type names and keywords Kusto reserves: they cannot name a column or a `let` binding unless
 * quoted (`['first']`). `kind` and `withsource` may be read but not assigned.
 */
const reservedNames = new Set([
  'where', 'project', 'as', 'to', 'asc', 'desc', 'first', 'last', 'with_itemindex',
  'int', 'long', 'real', 'double', 'decimal', 'string', 'datetime', 'date', 'timespan', 'time', 'dynamic',
]);
const reservedTargets = new Set(['kind', 'withsource']);

/** Calls whose single literal argument makes them typed literals: `int(5)`, `bool(true)`. */
const numericLiteralTypes: Record<string, 'int' | 'long' | 'real' | 'decimal'> = {
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  decimal: 'decimal',
};


export abstract class ExpressionBuilder extends BaseVisitor {
  diagnostics: Diagnostic[] = [];

  protected report(code: string, range: Range, message: string): void {
    this.diagnostics.push(diagnostic(code, range, message));
  }

  /** Visits an expression rule; a node recovery dropped becomes an ErrorExpr at `missingAt`. */
  protected ex(n: CstNode | undefined, missingAt: Range): Expr {
    if (!n) return errorExpr(missingAt);
    return this.visit(n, nodeRange(n, missingAt)) as Expr;
  }

  protected ident(n: CstNode | undefined, missingAt: Range): Ident {
    if (!n) return { kind: 'ident', name: '', range: missingAt };
    return this.visit(n, nodeRange(n, missingAt)) as Ident;
  }

  protected sub<T>(n: CstNode, range: Range): T {
    return this.visit(n, nodeRange(n, range)) as T;
  }

  // --- precedence levels ----------------------------------------------------------------------

  expression(ctx: Ctx, range: Range): Expr {
    const sourceNode =
      node(ctx, 'infixExpr') ?? node(ctx, 'datatable') ?? node(ctx, 'printSource') ?? node(ctx, 'unionSource') ?? node(ctx, 'rangeSource');
    const source = this.ex(sourceNode, range);
    const operators = nodes(ctx, 'pipeOperator').map((n) => this.visit(n, nodeRange(n, after(range))) as Operator);
    if (operators.length === 0) return source;
    return { kind: 'pipeline', source, operators, range: span(source.range, operators[operators.length - 1]!.range) };
  }

  /** A flat operand/operator sequence, turned into a tree by precedence.ts. */
  infixExpr(ctx: Ctx, range: Range): Expr {
    const first = this.ex(node(ctx, 'operand'), range);
    const suffixes = nodes(ctx, 'infixSuffix');
    if (suffixes.length === 0) return first;
    const parts = suffixes.map((n) => this.visit(n, after(first.range)) as Suffix);
    return applyPrecedence(first, parts, (opRange) =>
      this.report(Codes.syntax, opRange, 'Comparisons do not chain: add parentheses, or join them with and/or.'),
    );
  }

  infixSuffix(ctx: Ctx, missingAt: Range): Suffix {
    const infix = token(ctx, 'InfixOperator');
    if (infix) {
      const opRange = tokenRange(infix);
      const right = this.ex(node(ctx, 'operand'), after(opRange));
      const op = infix.image === '<>' ? '!=' : infix.image.replace(/\s+/g, ' '); // `matches  regex`
      return { kind: 'binary', op, opRange, right };
    }
    const list = token(ctx, 'ListOperator');
    if (list) {
      const opRange = tokenRange(list);
      const listNode = node(ctx, 'expressionList');
      const items = listNode ? (this.visit(listNode) as Expr[]) : [];
      const end = listNode ? nodeRange(listNode, opRange) : opRange;
      const op = list.image as InOp;
      return { kind: 'postfix', opRange, apply: (left) => ({ kind: 'in', op, opRange, left, list: items, range: span(left.range, end) }) };
    }
    const between = token(ctx, 'BetweenOperator');
    const opRange = between ? tokenRange(between) : missingAt;
    const bounds = nodes(ctx, 'infixExpr');
    const low = this.ex(bounds[0], after(opRange));
    const high = this.ex(bounds[1], after(low.range));
    const close = token(ctx, 'RParen');
    const end = close ? tokenRange(close) : high.range;
    const negated = between?.image.startsWith('!') ?? false;
    return {
      kind: 'postfix',
      opRange,
      apply: (left) => ({ kind: 'between', negated, opRange, left, low, high, range: span(left.range, end) }),
    };
  }

  expressionList(ctx: Ctx): Expr[] {
    return nodes(ctx, 'expression').map((n) => this.ex(n, { start: 0, end: 0 }));
  }

  /** `[sign] primary [.member | [index]]*` */
  operand(ctx: Ctx, range: Range): Expr {
    let target = this.ex(node(ctx, 'primary'), range);
    for (const suffix of nodes(ctx, 'postfixSuffix')) target = this.visit(suffix, target) as Expr;
    const sign = token(ctx, 'AdditiveOperator');
    if (!sign) return target;
    return { kind: 'unary', op: sign.image === '-' ? '-' : '+', operand: target, range: span(tokenRange(sign), target.range) };
  }

  /** Receives the target; returns `target.member` or `target[index]`. */
  postfixSuffix(ctx: Ctx, target: Expr): Expr {
    const bracket = token(ctx, 'RBracket');
    const nameNode = node(ctx, 'name');
    if (nameNode) {
      const member = this.ident(nameNode, after(target.range));
      return { kind: 'member', target, member, range: span(target.range, member.range) };
    }
    const index = this.ex(node(ctx, 'expression'), after(target.range));
    return { kind: 'index', target, index, range: span(target.range, bracket ? tokenRange(bracket) : index.range) };
  }

  // --- primaries ------------------------------------------------------------------------------

  primary(ctx: Ctx, range: Range): Expr {
    const strings = tokens(ctx, 'StringLiteral');
    if (strings.length > 0) return { kind: 'string', value: strings.map((t) => decodeString(t.image)).join(''), range };
    const literal = this.literalToken(ctx, range);
    if (literal) return literal;
    for (const key of ['parenExpr', 'call']) {
      const child = node(ctx, key);
      if (child) return this.ex(child, range);
    }
    const nameNode = node(ctx, 'name');
    if (nameNode) return { kind: 'name', name: this.ident(nameNode, range), range };
    return errorExpr(range);
  }

  private literalToken(ctx: Ctx, range: Range): Literal | undefined {
    const num = token(ctx, 'NumberLiteral');
    if (num) return { kind: 'number', ...numberOf(num.image), range };
    const span = token(ctx, 'TimespanLiteral');
    if (span) return { kind: 'timespan', text: span.image, range };
    const bool = token(ctx, 'Bool');
    if (bool) return { kind: 'bool', value: bool.image.toLowerCase() === 'true', range };
    for (const [key, kind] of callLikeLiterals) {
      const t = token(ctx, key);
      if (!t) continue;
      const text = innerText(t.image);
      if (text === 'null') return { kind: 'null', type: kind, range };
      return { kind, text, range };
    }
    return undefined;
  }

  parenExpr(ctx: Ctx, range: Range): Expr {
    return { kind: 'paren', expr: this.ex(node(ctx, 'expression'), after(range)), range };
  }

  /** A call, or a typed literal written like one: `long(5)`, `real(null)`, `dynamic([…])`. */
  call(ctx: Ctx, range: Range): Expr {
    const callee = token(ctx, 'Identifier');
    const name: Ident = callee
      ? { kind: 'ident', name: callee.image, range: tokenRange(callee) }
      : { kind: 'ident', name: '', range };
    const json = node(ctx, 'jsonValue');
    if (json) return { kind: 'dynamic', value: this.visit(json) as DynamicValue, range };
    if (name.name === 'string') {
      // Kusto has no string() literal (and no null string): `""` is the empty string.
      this.report(Codes.syntax, name.range, `'string(…)' is not a literal or a function: write a quoted string, or "" for an empty one; tostring(x) converts.`);
      return errorExpr(range);
    }
    if (token(ctx, 'Null')) return this.typedNull(name, range);
    const args = nodes(ctx, 'argument').map((n) => this.ex(n, after(name.range)));
    return this.typedLiteral(name.name, args, range) ?? { kind: 'call', name, args, range };
  }

  argument(ctx: Ctx, range: Range): Expr {
    if (token(ctx, 'Star')) return { kind: 'star', range };
    return this.ex(node(ctx, 'expression'), range);
  }

  /** `long(null)`, `bool(null)` … (`string(null)` is refused by the caller). */
  private typedNull(name: Ident, range: Range): Expr {
    const type: TypeName | undefined = typeNameOf(name.name);
    if (type) return { kind: 'null', type, range };
    this.report(Codes.syntax, name.range, `'${name.name}(null)' is not a literal: write a typed null such as long(null) or string(null).`);
    return errorExpr(range);
  }

  private typedLiteral(callee: string, args: Expr[], range: Range): Literal | undefined {
    if (args.length !== 1) return undefined;
    const arg = args[0]!;
    if ((callee === 'bool' || callee === 'boolean') && arg.kind === 'bool') return { ...arg, range };
    const type = Object.hasOwn(numericLiteralTypes, callee) ? numericLiteralTypes[callee]! : undefined;
    if (!type) return undefined;
    if (arg.kind === 'number') return { kind: 'number', text: arg.text, type, range };
    if (arg.kind === 'unary' && arg.operand.kind === 'number') {
      return { kind: 'number', text: `${arg.op === '-' ? '-' : ''}${arg.operand.text}`, type, range };
    }
    return undefined;
  }

  name(ctx: Ctx, range: Range): Ident {
    const id = token(ctx, 'Identifier');
    if (id) {
      const ident: Ident = { kind: 'ident', name: id.image, range: tokenRange(id) };
      if (reservedNames.has(id.image)) this.reportReserved(ident);
      return ident;
    }
    const quoted = token(ctx, 'StringLiteral');
    const name = quoted ? decodeString(quoted.image) : '';
    // SQL has no empty identifier; a quoted name must hold at least one character.
    if (quoted && name === '') this.report(Codes.syntax, range, "A name cannot be empty: write one inside the brackets, e.g. ['Column name'].");
    // DuckDB reads SQL text as a C string: a NUL inside a quoted name would cut the statement short.
    if (name.includes('\u0000')) this.report(Codes.syntax, range, 'A name cannot contain the NUL character (\\0); remove it from the name.');
    return { kind: 'ident', name, range };
  }

  protected reportReserved(ident: Ident): void {
    this.report(Codes.syntax, ident.range, `'${ident.name}' is a reserved word: write ['${ident.name}'] to use it as a name.`);
  }

  /** An assigned name (`x = …`, `let x`) may not be `kind` or `withsource` either. */
  protected checkAssignable(ident: Ident, quoted: boolean): void {
    if (!quoted && reservedTargets.has(ident.name)) this.reportReserved(ident);
  }

  /** `Resource*` → one Ident whose name keeps the `*`. */
  wildcardName(ctx: Ctx, range: Range): Ident {
    const pieces: { at: number; text: string }[] = [];
    const first = node(ctx, 'name');
    if (first) {
      const id = this.ident(first, range);
      pieces.push({ at: id.range.start, text: id.name });
    }
    for (const t of [...tokens(ctx, 'Star'), ...tokens(ctx, 'Identifier')]) pieces.push({ at: t.startOffset, text: t.image });
    pieces.sort((a, b) => a.at - b.at);
    return { kind: 'ident', name: pieces.map((p) => p.text).join(''), range };
  }

  // --- dynamic literal JSON -------------------------------------------------------------------

  jsonValue(ctx: Ctx): DynamicValue {
    const strings = tokens(ctx, 'StringLiteral');
    if (strings.length > 0) return strings.map((t) => decodeString(t.image)).join('');
    const num = token(ctx, 'NumberLiteral');
    if (num) return (token(ctx, 'AdditiveOperator')?.image === '-' ? -1 : 1) * Number(num.image);
    const bool = token(ctx, 'Bool');
    if (bool) return bool.image.toLowerCase() === 'true';
    // datetime / timespan / guid inside JSON keep their text, as the stored JSON string.
    const typed = token(ctx, 'DatetimeLiteral') ?? token(ctx, 'TimespanCall') ?? token(ctx, 'GuidLiteral');
    if (typed) return innerText(typed.image);
    const timespan = token(ctx, 'TimespanLiteral');
    if (timespan) return timespan.image;
    const nested = node(ctx, 'jsonArray') ?? node(ctx, 'jsonObject');
    return nested ? (this.visit(nested) as DynamicValue) : null;
  }

  jsonArray(ctx: Ctx): DynamicValue[] {
    return nodes(ctx, 'jsonValue').map((n) => this.visit(n) as DynamicValue);
  }

  jsonObject(ctx: Ctx): { [key: string]: DynamicValue } {
    const result: { [key: string]: DynamicValue } = {};
    for (const member of nodes(ctx, 'jsonMember')) {
      const [key, value] = this.visit(member) as [string, DynamicValue];
      result[key] = value;
    }
    return result;
  }

  jsonMember(ctx: Ctx): [string, DynamicValue] {
    const key = token(ctx, 'StringLiteral');
    const keyText = key ? decodeString(key.image) : '';
    const value = node(ctx, 'jsonValue');
    return [keyText, value ? (this.visit(value) as DynamicValue) : null];
  }

  /** A declared type; an unknown one is reported and read as `string` so analysis can go on. */
  protected typeName(t: IToken | undefined): TypeName {
    if (!t) return 'string';
    const type = typeNameOf(t.image);
    if (type) return type;
    this.report(Codes.syntax, tokenRange(t), `Unknown type '${t.image}': use one of ${knownTypeNames.join(', ')}.`);
    return 'string';
  }
}

type InOp = 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';
