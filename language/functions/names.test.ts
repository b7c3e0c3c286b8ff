import { describe, expect, it } from 'vitest';
import { allFunctions } from './catalogue.js';
import type { FunctionOverrides } from './entry.js';
import { functionNames, type FunctionName } from './names.js';

describe('function names', () => {
  it('lists exactly the catalogue entries', () => {
    expect([...functionNames].sort()).toEqual(allFunctions().map((f) => f.name).sort());
  });

  it('types a dialect override map against the catalogue (typecheck fails on a misspelt name)', () => {
    const overrides: FunctionOverrides = {
      strlen: 'length({0})',
      // @ts-expect-error `strlenn` is no catalogue function: a misspelt override does not compile
      strlenn: 'length({0})',
    };
    const name: FunctionName = 'tolower';
    // @ts-expect-error `tolowr` is no catalogue function
    const misspelt: FunctionName = 'tolowr';
    expect(Object.keys(overrides)).toEqual(['strlen', 'strlenn']);
    expect([name, misspelt]).toEqual(['tolower', 'tolowr']);
  });
});
