import { describe, expect, it } from 'vitest';
import { nearSamePlace, wordIndexAt } from './positions.js';

describe('wordIndexAt', () => {
  it.each([
    ['T | where x ==', 0, 0],
    ['T | where x ==', 4, 2],
    ['T | where x ==', 12, 4],
    // The end of the text and the gap after a word belong to that word.
    ['T | where x ==', 14, 4],
    ['T | | where', 3, 1],
    ['  T', 0, 0],
  ] as const)('%j at %i is word %i', (text, offset, word) => {
    expect(wordIndexAt(text, offset)).toBe(word);
  });
});

describe('nearSamePlace', () => {
  it('accepts the same or a neighbouring word, across a line break too', () => {
    expect(nearSamePlace('T | where x ==', 12, 14)).toBe(true);
    expect(nearSamePlace('T | | where x', 4, 3)).toBe(true);
    expect(nearSamePlace('T\n| where a\n|\n| count', 17, 18)).toBe(true);
  });

  it('rejects words further apart', () => {
    expect(nearSamePlace('T | where x == 1 and', 0, 20)).toBe(false);
    expect(nearSamePlace('T | where s == "abc | count', 15, 27)).toBe(false);
  });
});
