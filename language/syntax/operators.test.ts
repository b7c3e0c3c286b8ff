/** Pipe operators and statements: input → expected AST fragment, one row per form. */
import { describe, expect, it } from 'vitest';
import type { Expr, Operator, Script } from './ast.js';
import { parse } from './parse.js';
import { sexpr } from './sexpr.js';

function script(text: string): Script {
  const result = parse(text);
  expect(result.diagnostics, text).toEqual([]);
  return result.script;
}

/** The single operator of `T | <text>`. */
function op(text: string): Operator {
  const q = script(`T | ${text}`).query;
  if (q?.kind !== 'pipeline' || q.operators.length !== 1) throw new Error(`not one operator: ${text}`);
  return q.operators[0]!;
}

const names = (list: { name: string }[]) => list.map((n) => n.name);
const shapes = (list: Expr[]) => list.map(sexpr);

describe('operators', () => {
  it.each([
    ['where a > 1', { kind: 'where' }],
    ['filter a > 1', { kind: 'where' }],
    ['take 5', { kind: 'take', count: { kind: 'number', text: '5' } }],
    ['limit 5', { kind: 'take' }],
    ['count', { kind: 'count' }],
    ['count as n', { kind: 'count', as: { name: 'n' } }],
    ['getschema', { kind: 'getschema' }],
    ['as Saved', { kind: 'as', name: { name: 'Saved' } }],
    ['serialize', { kind: 'serialize', columns: [] }],
    ['serialize rn = row_number()', { kind: 'serialize', columns: [{ names: [{ name: 'rn' }] }] }],
    ['project-away a, Resource*', { kind: 'project-away', columns: [{ name: 'a' }, { name: 'Resource*' }] }],
    ['project-keep *Id', { kind: 'project-keep', columns: [{ name: '*Id' }] }],
    ['project-rename new = old', { kind: 'project-rename', renames: [{ name: { name: 'new' }, from: { name: 'old' } }] }],
    [
      'project-reorder b asc, a*, c desc',
      { kind: 'project-reorder', columns: [{ name: { name: 'b' }, order: 'asc' }, { name: { name: 'a*' } }, { name: { name: 'c' }, order: 'desc' }] },
    ],
    ['distinct *', { kind: 'distinct', columns: [{ kind: 'star' }] }],
    ['union kind=inner U, (V)', { kind: 'union', source: { kind: 'union', unionKind: 'inner' } }],
    ['render table', { kind: 'render', visualization: { name: 'table' }, properties: [] }],
  ])('%s', (text, expected) => {
    expect(op(text)).toMatchObject(expected);
  });

  it('project and extend take assignments and bare expressions', () => {
    const p = op('project a, b = c + 1, ["x y"] = 2');
    if (p.kind !== 'project') throw new Error();
    expect(p.columns.map((c) => c.names && names(c.names))).toEqual([undefined, ['b'], ['x y']]);
    expect(p.columns.map((c) => sexpr(c.expr))).toEqual(['a', '(+ c 1)', '2']);
    expect(op('extend count = 1, kind2 = 2')).toMatchObject({ kind: 'extend', columns: [{ names: [{ name: 'count' }] }, {}] });
  });

  it.each([
    ['summarize count() by Type', ['count()'], ['Type']],
    ['summarize by x', [], ['x']],
    ['summarize n = count(), avg(x)', ['count()', 'avg(x)'], []],
    ['summarize (t, v) = arg_max(t, v) by bin(t, 1h)', ['arg_max(t, v)'], ['bin(t, timespan(1h))']],
    ['summarize arg_max(TimeGenerated, *) by SourceComputerId', ['arg_max(TimeGenerated, *)'], ['SourceComputerId']],
  ])('%s', (text, aggregates, by) => {
    const s = op(text);
    if (s.kind !== 'summarize') throw new Error();
    expect(s.aggregates.map((a) => sexpr(a.expr))).toEqual(aggregates);
    expect(s.by.map((a) => sexpr(a.expr))).toEqual(by);
  });

  it('names a tuple assignment', () => {
    const s = op('summarize (t, v) = arg_max(t, v)');
    expect(s).toMatchObject({ aggregates: [{ names: [{ name: 't' }, { name: 'v' }] }] });
  });

  it.each([
    ['sort by a', [{ expr: { kind: 'name' } }]],
    ['order by a asc nulls first, b desc nulls last, c', [{ order: 'asc', nulls: 'first' }, { order: 'desc', nulls: 'last' }, {}]],
  ])('%s', (text, keys) => {
    expect(op(text)).toMatchObject({ kind: 'sort', by: keys });
  });

  it('top N by one key', () => {
    expect(op('top 5 by a desc nulls last')).toMatchObject({ kind: 'top', count: { text: '5' }, by: [{ order: 'desc', nulls: 'last' }] });
  });

  it.each([
    ['join U on a', undefined, 'U', [{ kind: 'same', name: { name: 'a' } }]],
    [
      'join kind=leftouter hint.strategy=broadcast (U | take 1) on a, $left.b == $right.c and $right.e == $left.d',
      'leftouter',
      '[U | take]',
      [
        { kind: 'same', name: { name: 'a' } },
        { kind: 'pair', left: { name: 'b' }, right: { name: 'c' } },
        { kind: 'pair', left: { name: 'd' }, right: { name: 'e' } },
      ],
    ],
  ])('%s', (text, joinKind, right, on) => {
    const j = op(text);
    if (j.kind !== 'join') throw new Error();
    expect(j.joinKind?.name).toBe(joinKind);
    expect(sexpr(j.right)).toBe(right);
    expect(j.on).toMatchObject(on);
  });

  it('lookup', () => {
    expect(op('lookup kind=inner (R) on k')).toMatchObject({ kind: 'lookup', lookupKind: { name: 'inner' }, on: [{ kind: 'same' }] });
  });

  it('mv-expand', () => {
    const m = op('mv-expand with_itemindex=i x = arr to typeof(long), tags limit 10');
    expect(m).toMatchObject({
      kind: 'mv-expand',
      itemIndex: { name: 'i' },
      columns: [{ name: { name: 'x' }, toType: 'long' }, { expr: { kind: 'name' } }],
      limit: { text: '10' },
    });
  });

  it.each([
    ['make-series n = count() default = 0, avg(x) on t from ago(7d) to now() step 1d by c', true, true],
    ['make-series count() on t step 1h', false, false],
    ['make-series count() on t in range(ago(1d), now(), 1h)', true, true],
  ])('%s', (text, hasFrom, hasTo) => {
    const m = op(text);
    if (m.kind !== 'make-series') throw new Error();
    expect(m.from !== undefined).toBe(hasFrom);
    expect(m.to !== undefined).toBe(hasTo);
    expect(m.step.kind).not.toBe('error');
  });

  it('make-series keeps the default and the by keys', () => {
    expect(op('make-series n = count() default = 0 on t step 1d by c')).toMatchObject({
      aggregates: [{ names: [{ name: 'n' }], default: { text: '0' } }],
      on: { kind: 'name' },
      step: { kind: 'timespan', text: '1d' },
      by: [{ expr: { kind: 'name' } }],
    });
  });

  it.each([
    ['parse s with "a" x:long * "b" "c" y', 'simple', undefined, ['text:a', 'column:x:long', 'wildcard', 'text:bc', 'column:y']],
    ['parse kind=regex flags=Ui s with "(?<k>\\\\w+)" k:string', 'regex', 'Ui', ['text:(?<k>\\w+)', 'column:k:string']],
    ['parse kind=relaxed s with * "=" v', 'relaxed', undefined, ['wildcard', 'text:=', 'column:v']],
  ])('%s', (text, parseKind, flags, parts) => {
    const p = op(text);
    if (p.kind !== 'parse') throw new Error();
    expect(p.parseKind).toBe(parseKind);
    expect(p.flags).toBe(flags);
    const shown = p.pattern.map((x) =>
      x.kind === 'text' ? `text:${x.value}` : x.kind === 'column' ? `column:${x.name.name}${x.type ? `:${x.type}` : ''}` : 'wildcard',
    );
    expect(shown).toEqual(parts);
  });

  it('render with properties; a list value becomes pack_array(…)', () => {
    const r = op('render timechart with (kind=stacked, ycolumns=a, b, title="Load")');
    if (r.kind !== 'render') throw new Error();
    expect(r.properties.map((p) => [p.name.name, sexpr(p.value)])).toEqual([
      ['kind', 'stacked'],
      ['ycolumns', 'pack_array(a, b)'],
      ['title', '"Load"'],
    ]);
  });

  it('soft keywords name columns', () => {
    expect(shapes((op('project kind, title, type, from, step, default') as { columns: { expr: Expr }[] }).columns.map((c) => c.expr))).toEqual([
      'kind', 'title', 'type', 'from', 'step', 'default',
    ]);
    expect(op('where count > 1 and range < 2')).toMatchObject({ predicate: { kind: 'binary', op: 'and' } });
  });
});

describe('statements', () => {
  it('let statements, then the query; trailing ; allowed', () => {
    const s = script('let x = 1;\nlet T = U | take x;\nT | where a > x;');
    expect(s.statements.map((l) => l.name.name)).toEqual(['x', 'T']);
    expect(s.statements[1]!.value.kind).toBe('pipeline');
    expect(s.query?.kind).toBe('pipeline');
  });

  it('only let statements', () => {
    const lets = script('let x = 1;');
    expect(lets.statements.map((l) => l.name.name)).toEqual(['x']);
    expect(lets.query).toBeUndefined();
    const empty = script('// only a comment\n');
    expect(empty.statements).toEqual([]);
    expect(empty.query).toBeUndefined();
  });

  it('function definitions', () => {
    const s = script('let f = (a:long, T:(x:string, y:double), U:(*), b:string = "d") { let y = 1; T | where x == a }; f(1)');
    const fn = s.statements[0]!.value;
    if (fn.kind !== 'function') throw new Error();
    expect(fn.params).toMatchObject([
      { name: { name: 'a' }, type: { kind: 'scalar', type: 'long' } },
      { name: { name: 'T' }, type: { kind: 'tabular', open: false, columns: [{ name: { name: 'x' }, type: 'string' }, { type: 'real' }] } },
      { name: { name: 'U' }, type: { kind: 'tabular', open: true, columns: [] } },
      { name: { name: 'b' }, default: { kind: 'string', value: 'd' } },
    ]);
    expect(fn.body.statements.map((l) => l.name.name)).toEqual(['y']);
    expect(fn.body.result.kind).toBe('pipeline');
    expect(sexpr(s.query!)).toBe('f(1)');
  });

  it('a function with no parameters', () => {
    const fn = script('let g = () { 42 }; print g()').statements[0]!.value;
    expect(fn).toMatchObject({ kind: 'function', params: [], body: { result: { kind: 'number' } } });
  });

  it('ranges cover the statement', () => {
    const s = script('let x = 1; print x');
    expect(s.statements[0]!.range).toEqual({ start: 0, end: 9 });
    expect(s.range).toEqual({ start: 0, end: 18 });
  });
});

describe('parameters the reference accepts and we ignore or keep', () => {
  it.each([
    'summarize hint.strategy=shuffle count() by x',
    'distinct hint.strategy=shuffle x',
    'make-series kind=nonempty count() on t step 1h',
    'join hint.remote=auto (U) on a',
    'mv-expand bagexpansion=array x',
  ])('%s', (text) => {
    expect(op(text).kind).not.toBe('error-operator');
  });
});
