import { describe, expect, it } from 'vitest';
import { Codes, type Range } from './diagnostics.js';
import { maxExpressionDepth, maxLogicalChain, maxPipelineLength } from './limits.js';
import { maxNestingDepth, parse } from './parse.js';

const repeat = (n: number, make: (i: number) => string, separator: string): string => Array.from({ length: n }, (_, i) => make(i)).join(separator);
const nest = (n: number, wrap: (inner: string) => string, innermost: string): string => {
  let text = innermost;
  for (let i = 0; i < n; i++) text = wrap(text);
  return text;
};

/** Each construct at a size: `ok` is the largest the limits let through, `over` the smallest they refuse. */
const constructs: { name: string; make: (n: number) => string; ok: number; over: number; limit: RegExp }[] = [
  { name: 'a + chain', make: (n) => `print x = ${repeat(n + 1, () => '1', ' + ')}`, ok: maxExpressionDepth, over: maxExpressionDepth + 1, limit: /more than 100 levels deep/ },
  { name: 'a * / % chain', make: (n) => `print x = ${repeat(n + 1, (i) => String(i + 1), ' * ')}`, ok: maxExpressionDepth, over: maxExpressionDepth + 1, limit: /levels deep/ },
  { name: 'an and chain', make: (n) => `print x = ${repeat(n, () => 'true', ' and ')}`, ok: maxLogicalChain, over: maxLogicalChain + 1, limit: /more than 1000 conditions.*'in'/ },
  { name: 'an or chain in where', make: (n) => `T | where ${repeat(n, (i) => `a == ${i}`, ' or ')}`, ok: maxLogicalChain, over: maxLogicalChain + 1, limit: /'and'\/'or'/ },
  { name: 'nested calls', make: (n) => `print x = ${nest(n, (s) => `abs(${s})`, '1')}`, ok: maxNestingDepth, over: maxNestingDepth + 1, limit: /Brackets are nested more than 100/ },
  { name: 'nested iff', make: (n) => `print x = ${nest(n, (s) => `iff(true, 1, ${s})`, '0')}`, ok: maxNestingDepth, over: maxNestingDepth + 1, limit: /Brackets/ },
  { name: 'nested case', make: (n) => `print x = ${nest(n, (s) => `case(false, 1, ${s})`, '0')}`, ok: maxNestingDepth, over: maxNestingDepth + 1, limit: /Brackets/ },
  { name: 'nested unary minus', make: (n) => `print x = ${nest(n, (s) => `-(${s})`, '1')}`, ok: maxNestingDepth, over: maxNestingDepth + 1, limit: /Brackets/ },
  { name: 'calls and + together', make: (n) => `print x = ${nest(n, (s) => `abs(${s} + 1)`, '1')}`, ok: maxExpressionDepth / 2, over: maxExpressionDepth / 2 + 1, limit: /levels deep/ },
  { name: 'scalar lets built on each other', make: (n) => `${repeat(n, (i) => `let a${i + 1} = ${i === 0 ? '1' : `a${i} + 1`};`, '\n')}\nprint x = a${n}`, ok: maxExpressionDepth + 1, over: maxExpressionDepth + 2, limit: /the lets it uses/ },
  { name: 'user functions calling each other', make: (n) => `${repeat(n, (i) => `let f${i + 1} = (v:long) { ${i === 0 ? 'v + 1' : `f${i}(v) + 1`} };`, '\n')}\nprint x = f${n}(1)`, ok: maxExpressionDepth / 2, over: maxExpressionDepth, limit: /levels deep/ },
  { name: 'a pipeline', make: (n) => `T${' | where a > 0'.repeat(n)}`, ok: maxPipelineLength, over: maxPipelineLength + 1, limit: /more than 200 operators in sequence/ },
  { name: 'tabular lets built on each other', make: (n) => `let t0 = T;\n${repeat(n, (i) => `let t${i + 1} = t${i} | extend y${i} = 1;`, '\n')}\nt${n}`, ok: maxPipelineLength, over: maxPipelineLength + 1, limit: /operators in sequence/ },
  { name: 'nested in-subqueries', make: (n) => nest(n, (s) => `T | where a in (${s})`, 'T | project a'), ok: maxNestingDepth, over: maxNestingDepth + 1, limit: /Brackets/ },
];

describe('size limits', () => {
  it.each(constructs)('$name: accepted at the limit, refused past it with E506 naming it', ({ make, ok, over, limit }) => {
    expect(parse(make(ok)).diagnostics).toEqual([]);
    const refused = parse(make(over)).diagnostics;
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: Codes.tooComplex, severity: 'error', message: expect.stringMatching(limit) });
  });

  it.each(constructs)('$name: 10,000 deep or long is a diagnostic, never a stack overflow', ({ make }) => {
    const { diagnostics } = parse(make(10_000));
    expect(diagnostics.map((d) => d.code)).toContain(Codes.tooComplex);
    expect(diagnostics.map((d) => d.code)).not.toContain(Codes.internal);
  });

  it('marks where the limit is crossed', () => {
    const text = `print y = 2, x = ${repeat(300, () => '1', ' + ')}`;
    const [d] = parse(text).diagnostics;
    const range = d!.range as Range;
    // The innermost sum deeper than the limit: the first 102 terms of the chain.
    expect(text.slice(range.start, range.end)).toBe(repeat(maxExpressionDepth + 2, () => '1', ' + '));
    const lets = `let a = ${repeat(60, () => '1', ' + ')};\nlet b = a * a;\nprint x = ${repeat(50, () => 'b', ' - ')}`;
    const [crossing] = parse(lets).diagnostics;
    expect(lets.slice(crossing!.range.start, crossing!.range.end)).toBe(repeat(42, () => 'b', ' - '));
  });

  it('does not count brackets, and/or links or separate statements', () => {
    expect(parse(`print x = ${'('.repeat(maxNestingDepth)}${repeat(maxExpressionDepth, () => '1', ' + ')}${')'.repeat(maxNestingDepth)}`).diagnostics).toEqual([]);
    const sums = repeat(50, (i) => `(${repeat(90, () => `c${i}`, ' + ')}) > 0`, ' and ');
    expect(parse(`T | where ${sums}`).diagnostics).toEqual([]);
    expect(parse(`${repeat(150, (i) => `let a${i} = ${repeat(90, () => '1', ' + ')};`, '\n')}\nprint x = a0`).diagnostics).toEqual([]);
  });

  it('leaves a 50,000-value in-list alone, and measures it quickly', () => {
    const text = `T | where Computer in (${repeat(50_000, (i) => `"m-${i}"`, ',')})`;
    const started = performance.now();
    expect(parse(text).diagnostics).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
