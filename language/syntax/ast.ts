/**
 * The abstract syntax tree: plain data, discriminated on `kind`, a source range on every node.
 * Produced by language/syntax/cst-to-ast.ts, consumed by language/analyze. No behaviour lives here.
 *
 * Scalar and tabular expressions share one `Expr` union because the parser cannot always tell
 * them apart (`let x = y;` may bind a table or a number); the resolver decides.
 */
import type { Range } from './diagnostics.js';

export interface Node {
  range: Range;
}

/** A name as written: `Computer`, `['my column']`, `["x"]`. `name` is the unquoted text. */
export interface Ident extends Node {
  kind: 'ident';
  name: string;
}

/** Kusto scalar type names as written in `datatable(a:string)`, `int(null)`, `to typeof(long)`. */
export type TypeName =
  | 'bool'
  | 'int'
  | 'long'
  | 'real'
  | 'decimal'
  | 'string'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'dynamic';

// ---------------------------------------------------------------------------------------------
// Script and statements

export interface Script extends Node {
  kind: 'script';
  statements: LetStatement[];
  /** The final query; absent when the text holds only `let` statements (or nothing). */
  query?: Expr;
}

export interface LetStatement extends Node {
  kind: 'let';
  name: Ident;
  value: Expr | FunctionDef;
}

/** `(a:long, T:(x:string), b:string = "d") { let y = 1; T | where x == a }` */
export interface FunctionDef extends Node {
  kind: 'function';
  params: Param[];
  body: { statements: LetStatement[]; result: Expr };
}

export interface Param extends Node {
  name: Ident;
  /** A scalar type, or a tabular schema `(x:string, *)` ; `columns` empty with `open` for `(*)`. */
  type: { kind: 'scalar'; type: TypeName } | { kind: 'tabular'; columns: ColumnDecl[]; open: boolean };
  default?: Expr;
}

export interface ColumnDecl extends Node {
  name: Ident;
  type: TypeName;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | Literal
  | NameRef
  | Star
  | Binary
  | Unary
  | Call
  | Member
  | Index
  | Paren
  | InExpr
  | BetweenExpr
  | Pipeline
  | Datatable
  | Print
  | RangeSource
  | UnionSource
  | ErrorExpr;

export type Literal =
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'number'; text: string; type: 'int' | 'long' | 'real' | 'decimal'; range: Range }
  | { kind: 'bool'; value: boolean; range: Range }
  /** `datetime(2024-01-01 10:00)`: `text` is the raw content between the parentheses. */
  | { kind: 'datetime'; text: string; range: Range }
  /** `1d`, `2.5h`, `100ms`, `timespan(1.02:03:04)`: `text` is the literal as written. */
  | { kind: 'timespan'; text: string; range: Range }
  | { kind: 'guid'; text: string; range: Range }
  /** `int(null)`, `datetime(null)`, `dynamic(null)` … */
  | { kind: 'null'; type: TypeName; range: Range }
  /** `dynamic([1, "a", {"k": 2}])`: `value` is the JSON value it denotes. */
  | { kind: 'dynamic'; value: DynamicValue; range: Range };

export type DynamicValue = null | boolean | number | string | DynamicValue[] | { [key: string]: DynamicValue };

/** A bare name: a column, a let-bound name, a table, or `$left` / `$right`. */
export interface NameRef extends Node {
  kind: 'name';
  name: Ident;
}

/** `*` as an argument (`arg_max(T, *)`) or in `distinct *`. */
export interface Star extends Node {
  kind: 'star';
}

/**
 * Binary operators by their source spelling: arithmetic `+ - * / %`, comparison
 * `== != < <= > >= =~ !~`, logic `and or`, and the string operators `has`, `!has`, `has_cs`,
 * `!has_cs`, `hasprefix`, `!hasprefix`, `hasprefix_cs`, `!hasprefix_cs`, `hassuffix`,
 * `!hassuffix`, `hassuffix_cs`, `!hassuffix_cs`, `contains`, `!contains`, `contains_cs`,
 * `!contains_cs`, `startswith`, `!startswith`, `startswith_cs`, `!startswith_cs`, `endswith`,
 * `!endswith`, `endswith_cs`, `!endswith_cs`, `matches regex`. (`has_any` / `has_all` take a
 * list and are `InExpr`s.)
 */
export interface Binary extends Node {
  kind: 'binary';
  op: string;
  /** Range of the operator token, for diagnostics. */
  opRange: Range;
  left: Expr;
  right: Expr;
}

/** Unary minus / plus. (`not` is a function call `not(x)` in Kusto.) */
export interface Unary extends Node {
  kind: 'unary';
  op: '-' | '+';
  operand: Expr;
}

/** `f(a, b)`; also `count()`, `bin(x, 1h)`, user functions. Named args `f(a=1)` are not supported. */
export interface Call extends Node {
  kind: 'call';
  name: Ident;
  args: Expr[];
}

/** `d.key` on a dynamic value, or `$left.Computer` (target is the name `$left`). */
export interface Member extends Node {
  kind: 'member';
  target: Expr;
  member: Ident;
}

/** `d['key']`, `d[0]`. */
export interface Index extends Node {
  kind: 'index';
  target: Expr;
  index: Expr;
}

export interface Paren extends Node {
  kind: 'paren';
  expr: Expr;
}

/** `x in (a, b)`, `x !in~ (T | project y)`, `s has_any ("a", "b")`, `s has_all (…)`. */
export interface InExpr extends Node {
  kind: 'in';
  op: 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';
  opRange: Range;
  left: Expr;
  /** One element that is tabular means a subquery. */
  list: Expr[];
}

/** `x between (a .. b)`, `x !between (a .. b)`. */
export interface BetweenExpr extends Node {
  kind: 'between';
  negated: boolean;
  opRange: Range;
  left: Expr;
  low: Expr;
  high: Expr;
}

/** `source | op | op …`. A lone table name with no operators is just a `NameRef`. */
export interface Pipeline extends Node {
  kind: 'pipeline';
  source: Expr;
  operators: Operator[];
}

/** `datatable(a:string, b:long) ["x", 1, "y", 2]` — values row-major. */
export interface Datatable extends Node {
  kind: 'datatable';
  columns: ColumnDecl[];
  values: Expr[];
}

/** `print x = 1, 2` as a source. */
export interface Print extends Node {
  kind: 'print';
  columns: Assignment[];
}

/** `range x from a to b step s` as a source. */
export interface RangeSource extends Node {
  kind: 'range';
  column: Ident;
  from: Expr;
  to: Expr;
  step: Expr;
}

/** `union [kind=inner|outer] [withsource=Name] T1, (q), T*` as a source or as an operator. */
export interface UnionSource extends Node {
  kind: 'union';
  unionKind?: 'inner' | 'outer';
  withSource?: Ident;
  isFuzzy?: boolean;
  /** Tables (NameRef, possibly with `*` wildcards in the name) or parenthesised queries. */
  tables: Expr[];
}

/** What recovery left where an expression could not be parsed. */
export interface ErrorExpr extends Node {
  kind: 'error';
}

// ---------------------------------------------------------------------------------------------
// Pipeline operators

/** `name = expr`, `(a, b) = expr`, or a bare `expr` (the name is then derived). */
export interface Assignment extends Node {
  names?: Ident[];
  expr: Expr;
}

export interface SortKey extends Node {
  expr: Expr;
  order?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** `on Computer`, `on $left.a == $right.b`, or `on a, $left.b == $right.c`. */
export type JoinCondition =
  | { kind: 'same'; name: Ident; range: Range }
  | { kind: 'pair'; left: Ident; right: Ident; range: Range };

export type ParsePart =
  | { kind: 'text'; value: string; range: Range }
  | { kind: 'column'; name: Ident; type?: TypeName; range: Range }
  | { kind: 'wildcard'; range: Range };

export type Operator =
  | ({ kind: 'where'; predicate: Expr } & Node)
  | ({ kind: 'project'; columns: Assignment[] } & Node)
  /** Names may contain `*` wildcards: `project-away Resource*`. */
  | ({ kind: 'project-away'; columns: Ident[] } & Node)
  | ({ kind: 'project-keep'; columns: Ident[] } & Node)
  | ({ kind: 'project-rename'; renames: { name: Ident; from: Ident }[] } & Node)
  | ({ kind: 'project-reorder'; columns: { name: Ident; order?: 'asc' | 'desc' }[] } & Node)
  | ({ kind: 'extend'; columns: Assignment[] } & Node)
  | ({ kind: 'summarize'; aggregates: Assignment[]; by: Assignment[] } & Node)
  /** `distinct *` has `columns` = [Star]. */
  | ({ kind: 'distinct'; columns: Expr[] } & Node)
  | ({ kind: 'top'; count: Expr; by: SortKey[] } & Node)
  | ({ kind: 'take'; count: Expr } & Node)
  | ({ kind: 'sort'; by: SortKey[] } & Node)
  | ({ kind: 'count'; as?: Ident } & Node)
  | ({ kind: 'join'; joinKind?: Ident; right: Expr; on: JoinCondition[] } & Node)
  | ({ kind: 'lookup'; lookupKind?: Ident; right: Expr; on: JoinCondition[] } & Node)
  | ({
      kind: 'mv-expand';
      itemIndex?: Ident;
      columns: { name?: Ident; expr: Expr; toType?: TypeName; range: Range }[];
      limit?: Expr;
    } & Node)
  | ({
      kind: 'make-series';
      /** Each aggregate may carry `default = <literal>`. */
      aggregates: (Assignment & { default?: Expr })[];
      on: Expr;
      from?: Expr;
      to?: Expr;
      step: Expr;
      by: Assignment[];
    } & Node)
  | ({ kind: 'parse'; parseKind: 'simple' | 'regex' | 'relaxed'; flags?: string; source: Expr; pattern: ParsePart[] } & Node)
  | ({ kind: 'union'; source: UnionSource } & Node)
  | ({ kind: 'render'; visualization: Ident; properties: { name: Ident; value: Expr }[] } & Node)
  | ({ kind: 'getschema' } & Node)
  | ({ kind: 'as'; name: Ident } & Node)
  | ({ kind: 'serialize'; columns: Assignment[] } & Node)
  /** An operator the parser could not read; recovery continues after the next `|`. */
  | ({ kind: 'error-operator' } & Node);

export type OperatorKind = Operator['kind'];
