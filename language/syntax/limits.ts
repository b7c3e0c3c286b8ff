/**
 * Size limits on a parsed script, checked before anything recurses over it. The compiler walks
 * expressions recursively and DuckDB's parser refuses SQL nested 1,000 levels deep (and plans a
 * chain of a few hundred `+` in seconds: 300 terms 0.9 s, 500 terms 3.9 s), so a query over
 * these bounds gets a diagnostic at the place that crosses them instead of a stack overflow or
 * an engine error. The walk itself is iterative: the tree may be 10,000 levels deep here.
 *
 * - Expression depth: operators, calls, member/index access and `in`/`between`, with scalar lets
 *   inlined (the compiler substitutes them); brackets and the links of one `and`/`or` chain do
 *   not count (DuckDB flattens those chains).
 * - `and`/`or` chains: their length is bounded separately; the compiler resolves them recursively.
 * - Pipelines: operators in sequence, through the tabular lets a query starts from; each becomes
 *   a nested SELECT, which DuckDB counts twice against the same 1,000 levels.
 */
import type { Expr, LetStatement, Script } from './ast.js';
import { Codes, diagnostic, type Diagnostic, type Range } from './diagnostics.js';

/** Nesting depth of one expression; DuckDB takes 1,000, and its planning time grows with the cube. */
export const maxExpressionDepth = 100;
/** Operands of one `and`/`or` chain (10,000 overflow the compiler's stack). */
export const maxLogicalChain = 1000;
/** Operators one after another (500 exceed DuckDB's nesting limit). */
export const maxPipelineLength = 200;

interface Measure {
  /** Expression levels below and including this node. */
  depth: number;
  /** Operands of the `and`/`or` chain this node heads (1 for anything else). */
  chain: number;
  /** Operators in sequence up to this node. */
  pipeline: number;
}

type AstNode = { kind: string; range: Range } & Record<string, unknown>;

const countedExpressions = new Set(['binary', 'unary', 'call', 'member', 'index', 'in', 'between']);
const leaf: Measure = { depth: 0, chain: 1, pipeline: 0 };

/** The first limit the script exceeds, at the node where it is crossed. */
export function limitError(script: Script): Diagnostic | undefined {
  const lets = new Map<string, Measure>();
  let found: Diagnostic | undefined;
  const check = (node: AstNode, m: Measure): void => {
    found ??= crossing(node, m);
  };
  for (const statement of script.statements) {
    lets.set(statement.name.name, measureLet(statement, lets, check));
    if (found) return found;
  }
  if (script.query) measure(script.query as unknown as AstNode, lets, check);
  return found;
}

function measureLet(statement: LetStatement, lets: Map<string, Measure>, check: (node: AstNode, m: Measure) => void): Measure {
  const value = statement.value;
  if (value.kind !== 'function') return measure(value as unknown as AstNode, lets, check);
  for (const inner of value.body.statements) lets.set(inner.name.name, measureLet(inner, lets, check));
  return measure(value.body.result as unknown as AstNode, lets, check);
}

function crossing(node: AstNode, m: Measure): Diagnostic | undefined {
  if (m.depth > maxExpressionDepth) {
    return diagnostic(
      Codes.tooComplex,
      node.range,
      `This expression is nested more than ${maxExpressionDepth} levels deep (counting operators, function calls and the lets it uses), ` +
        'more than the query engine takes. Compute it in steps: | extend a = …, b = … | extend total = a + b.',
    );
  }
  if (m.chain > maxLogicalChain) {
    return diagnostic(
      Codes.tooComplex,
      node.range,
      `This chain of 'and'/'or' has more than ${maxLogicalChain} conditions, more than the query engine takes. ` +
        "To compare one column with many values use 'in' (x in (\"a\", \"b\", …)), or split the conditions over several where steps.",
    );
  }
  if (m.pipeline > maxPipelineLength) {
    return diagnostic(
      Codes.tooComplex,
      node.range,
      `This query runs more than ${maxPipelineLength} operators in sequence (counting those of the lets it starts from), ` +
        'more than the query engine takes. Combine steps: one extend or project can compute many columns, one where can test many conditions.',
    );
  }
  return undefined;
}

interface Frame {
  node: AstNode;
  children: AstNode[];
  next: number;
  measures: Measure[];
}

const frame = (node: AstNode): Frame => ({ node, children: childNodes(node), next: 0, measures: [] });

/** Post-order over the tree with an explicit stack; `check` sees every inner node with its measure. */
function measure(root: AstNode, lets: Map<string, Measure>, check: (node: AstNode, m: Measure) => void): Measure {
  const rootLeaf = leafMeasure(root, lets);
  if (rootLeaf) return rootLeaf;
  const stack: Frame[] = [frame(root)];
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = top.children[top.next++]!;
      const quick = leafMeasure(child, lets);
      if (quick) top.measures.push(quick);
      else stack.push(frame(child));
      continue;
    }
    stack.pop();
    const m = combine(top.node, top.measures, top.children, lets);
    check(top.node, m);
    if (stack.length === 0) return m;
    stack[stack.length - 1]!.measures.push(m);
  }
}

const leafKinds = new Set(['string', 'number', 'bool', 'datetime', 'timespan', 'guid', 'null', 'dynamic', 'ident', 'star', 'error']);

/** Literals and names: no children to walk (a let's name stands for its value). */
function leafMeasure(node: AstNode, lets: Map<string, Measure>): Measure | undefined {
  if (leafKinds.has(node.kind)) return leaf;
  if (node.kind === 'name') return lets.get((node as unknown as { name: { name: string } }).name.name) ?? leaf;
  return undefined;
}

function combine(node: AstNode, measures: Measure[], children: AstNode[], lets: Map<string, Measure>): Measure {
  const deepest = (pick: (m: Measure) => number): number => measures.reduce((max, m) => Math.max(max, pick(m)), 0);
  if (node.kind === 'binary' && isLogical(node)) {
    // One flat chain: same-operator operands add their length, not a level.
    let depth = 0;
    let chain = 0;
    children.forEach((child, i) => {
      const m = measures[i]!;
      const sameChain = child.kind === 'binary' && child.op === node.op;
      depth = Math.max(depth, sameChain ? m.depth : m.depth + 1);
      chain += sameChain ? m.chain : 1;
    });
    return { depth, chain, pipeline: deepest((m) => m.pipeline) };
  }
  if (node.kind === 'pipeline') {
    const operators = (node as unknown as { operators: unknown[] }).operators.length;
    // Subqueries inside the operators (join right sides, `in (…)`) nest inside this chain's SELECTs.
    const nested = measures.slice(1).reduce((max, m) => Math.max(max, m.pipeline), 0);
    return { depth: 0, chain: 1, pipeline: measures[0]!.pipeline + operators + nested };
  }
  const pipeline = deepest((m) => m.pipeline);
  if (countedExpressions.has(node.kind)) {
    const callee = node.kind === 'call' ? lets.get((node as unknown as { name: { name: string } }).name.name) : undefined;
    return { depth: 1 + deepest((m) => m.depth) + (callee?.depth ?? 0), chain: 1, pipeline: Math.max(pipeline, callee?.pipeline ?? 0) };
  }
  if (node.kind === 'paren') return { depth: measures[0]?.depth ?? 0, chain: 1, pipeline };
  // Statements, operators, tabular sources: expressions inside are measured on their own.
  return { depth: 0, chain: 1, pipeline };
}

function isLogical(node: AstNode): node is AstNode & { op: string } {
  return node.op === 'and' || node.op === 'or';
}

/**
 * The AST nodes directly under a node: property values with a `kind`, found through arrays and
 * plain holders (assignments, sort keys, join conditions). A pipeline's source comes first.
 * `dynamic` literals hold JSON, not nodes.
 */
function childNodes(node: AstNode): AstNode[] {
  if (node.kind === 'dynamic') return [];
  const found: AstNode[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === 'object') {
      if (typeof (value as { kind?: unknown }).kind === 'string') found.push(value as AstNode);
      else for (const [key, inner] of Object.entries(value)) if (key !== 'range' && key !== 'opRange') visit(inner);
    }
  };
  for (const [key, value] of Object.entries(node)) if (key !== 'range' && key !== 'opRange' && key !== 'kind') visit(value);
  if (node.kind === 'pipeline') {
    const source = (node as unknown as { source: Expr }).source as unknown as AstNode;
    return [source, ...found.filter((n) => n !== source)];
  }
  return found;
}
