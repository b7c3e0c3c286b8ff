/** The catalogue's lookups and the errors resolveCall gives for wrong calls (by code, not wording). */
import { describe, expect, it } from 'vitest';
import { Codes } from '../syntax/diagnostics.js';
import { allFunctions, lookupFunction, resolveCall } from './catalogue.js';
import type { SqlArg } from './spec.js';
import { col, ctx, k } from './test-harness.js';

function resolve(name: string, ...args: SqlArg[]) {
  return resolveCall(lookupFunction(name)!, args, ctx);
}

describe('lookupFunction', () => {
  it('finds names and aliases, case-sensitively', () => {
    expect(lookupFunction('iif')?.name).toBe('iff');
    expect(lookupFunction('toreal')?.name).toBe('todouble');
    expect(lookupFunction('pack')?.name).toBe('bag_pack');
    expect(lookupFunction('floor')?.name).toBe('bin');
    expect(lookupFunction('Strlen')).toBeUndefined();
  });

  it('has SQL for DuckDB and a doc line for every function', () => {
    for (const f of allFunctions()) {
      expect(f.sql.duckdb, f.name).toBeDefined();
      expect(f.doc.length, f.name).toBeGreaterThan(5);
      if (f.kind === 'aggregate') expect(f.defaultName, f.name).toBeDefined();
    }
  });
});

describe('resolveCall errors', () => {
  it('names the expected type and the conversion', () => {
    const r = resolve('strlen', k.long(1));
    expect(r).toMatchObject({ code: Codes.typeMismatch, argIndex: 0 });
    expect('error' in r && r.error).toBe('strlen() expects a string as argument 1 (source), got long. Convert it with tostring().');
  });

  it.each([
    ['strlen', [], Codes.wrongArity],
    ['strlen', [k.str('a'), k.str('b')], Codes.wrongArity],
    ['substring', [k.str('a')], Codes.wrongArity],
    ['case', [k.bool(true), k.long(1)], Codes.wrongArity],
    ['bag_pack', [k.str('a'), k.long(1), k.str('b')], Codes.wrongArity],
    ['iff', [k.bool(true), k.long(1), k.str('x')], Codes.typeMismatch],
    ['bin', [k.dt('2024-01-01'), k.long(5)], Codes.typeMismatch],
    ['datetime_add', [k.str('fortnight'), k.long(1), k.dt('2024-01-01')], Codes.typeMismatch],
    ['datetime_diff', [col('text', 'string'), k.dt('2024-01-01'), k.dt('2024-01-01')], Codes.constantRequired],
    ['format_datetime', [k.dt('2024-01-01'), k.str('yyy-MM')], Codes.typeMismatch],
    ['format_datetime', [k.dt('2024-01-01'), col('text', 'string')], Codes.constantRequired],
    ['percentile', [k.long(1), k.long(150)], Codes.constantRequired],
    ['extract', [k.str('(a)'), col('seven', 'long'), k.str('a')], Codes.constantRequired],
  ] as const)('%s case %#', (name, args, code) => {
    const r = resolve(name, ...(args as readonly SqlArg[]));
    expect('error' in r ? r.code : 'accepted').toBe(code);
  });

  it('widens int to long and real', () => {
    expect(resolve('substring', k.str('abc'), k.int(1))).toMatchObject({ type: 'string' });
    expect(resolve('pow', k.int(2), k.long(3))).toMatchObject({ type: 'real' });
  });

  it('gives result types from the arguments', () => {
    expect(resolve('iff', k.bool(true), k.int(1), k.long(2))).toMatchObject({ type: 'long' });
    expect(resolve('bin', k.dt('2024-01-01'), k.ts('1h'))).toMatchObject({ type: 'datetime' });
    expect(resolve('sum', k.int(1))).toMatchObject({ type: 'long' });
    expect(resolve('extract', k.str('(1)'), k.long(1), k.str('1'), k.str('real'))).toMatchObject({ type: 'real' });
  });

  it('never splices user text into SQL unescaped', () => {
    const r = resolve('strcat', k.str("'); DROP TABLE t; --"));
    expect('sql' in r && r.sql).toContain("'''); DROP TABLE t; --'");
  });
});
