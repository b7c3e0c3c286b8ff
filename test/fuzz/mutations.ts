/**
 * Queries near real ones: a seed query (seeds.ts) with token-level mutations — delete, duplicate,
 * swap, insert a token from the vocabulary, or splice in a hostile character — and text from
 * nowhere: random code units (lone surrogates, NUL, RTL marks), very long names, deep nesting.
 */
import fc from 'fast-check';
import { tokenPieces } from './minimize.js';
import { hostileChars, pickerOf, textArbitrary, type Picker } from './picker.js';
import { seedQueries, tokenVocabulary } from './seeds.js';

export function mutate(text: string, p: Picker): string {
  const parts = tokenPieces(text);
  const count = p.int(1, 4);
  for (let i = 0; i < count; i++) {
    const at = parts.length ? p.int(0, parts.length - 1) : 0;
    switch (p.int(0, 5)) {
      case 0:
        parts.splice(at, 1);
        break;
      case 1:
        parts.splice(at, 0, parts[at] ?? '');
        break;
      case 2: {
        const other = p.int(0, Math.max(0, parts.length - 1));
        [parts[at], parts[other]] = [parts[other] ?? '', parts[at] ?? ''];
        break;
      }
      case 3:
        parts.splice(at, 0, ` ${p.pick(tokenVocabulary())} `);
        break;
      case 4:
        parts.splice(at, 0, p.pick(hostileChars));
        break;
      default:
        parts.splice(at, 0, p.text(8));
    }
  }
  return parts.join('');
}

export const mutatedQuery: fc.Arbitrary<string> = fc.gen().map((g) => {
  const p = pickerOf(g);
  return mutate(p.pick(seedQueries()), p);
});

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Deep nesting, long names and long literals: the sizes where recursion and quadratic code hurt. */
const extremes: fc.Arbitrary<string> = fc.gen().map((g) => {
  const p = pickerOf(g);
  const n = p.pick([10, 150, 199, 200, 201, 1000, 3000]);
  switch (p.int(0, 7)) {
    case 0:
      return `print ${'('.repeat(n)}1${')'.repeat(n)}`;
    case 1:
      return `print ${Array.from({ length: n }, () => '1').join(' + ')}`;
    case 2:
      return `print ${'a'.repeat(n * 20)} = 1`;
    case 3:
      return `print x = "${'é\u202e'.repeat(n * 10)}" | where x has "${'ab'.repeat(n)}"`;
    case 4:
      return `print ${'not('.repeat(n)}true${')'.repeat(n)}`;
    case 5:
      return `print dynamic(${'['.repeat(n)}${']'.repeat(n)})`;
    case 6:
      return `print x = 1${' | extend x = x + 1'.repeat(Math.min(n, 300))}`;
    default:
      return `print ${'-'.repeat(n)}1`;
  }
});

export const randomText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(codeUnit, { maxLength: 40 }).map((units) => units.join('')) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 3, arbitrary: textArbitrary(60) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...tokenVocabulary()), { maxLength: 25 }).map((tokens) => tokens.join(' ')) },
  { weight: 1, arbitrary: extremes },
);
