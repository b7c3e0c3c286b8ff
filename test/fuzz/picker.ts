/**
 * The choices a generator makes, drawn from fast-check's `gen()` so that every draw is recorded,
 * replayable from the run's seed, and shrinkable (a smaller draw → a smaller query).
 */
import fc from 'fast-check';

export interface Picker {
  /** An integer in [min, max], biased towards min when shrinking. */
  int(min: number, max: number): number;
  /** True with probability about `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Free text: printable, punctuation, quotes, escapes, Unicode edge cases. */
  text(maxLength: number): string;
}

/** Characters that break naive quoting or position arithmetic. */
export const hostileChars = [
  "'", '"', '\\', '`', '\n', '\r', '\t', '\u0000', '\u202e', '\u200f', '\ufeff', '\u2028', '\ud800', '\udfff', '😀', 'é', 'İ', '%', '_',
  '*', '$', ';', '--', '/*', '*/', '(', ')', '[', ']', '{', '}', '|', '^', '.', '?', '+',
];

const textUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019 -,:=') },
  { weight: 3, arbitrary: fc.constantFrom(...hostileChars) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
);

export function textArbitrary(maxLength: number): fc.Arbitrary<string> {
  return fc.array(textUnit, { maxLength }).map((units) => units.join(''));
}

export function pickerOf(g: fc.GeneratorValue): Picker {
  return {
    int: (min, max) => g(fc.integer, { min, max }),
    chance: (p) => g(fc.integer, { min: 0, max: 999 }) >= 1000 - Math.round(p * 1000),
    pick: <T>(items: readonly T[]): T => items[g(fc.integer, { min: 0, max: items.length - 1 })]!,
    text: (maxLength) => g(() => textArbitrary(maxLength)),
  };
}
