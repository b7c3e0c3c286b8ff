/**
 * "Is our first error near the reference's?" for the soft position check.
 *
 * Two parsers rarely agree to the character: the reference puts "Missing expression" just
 * after the last token, another parser may point at that token or at the end of input. So we
 * compare coarse places: the same whitespace-separated word, or the one next to it.
 */
import { lineColumn } from '../../language/syntax/diagnostics.js';

const WHITESPACE = /\s/;

/**
 * Index of the whitespace-separated word an offset belongs to. An offset in the gap between
 * words, or at the end of the text, belongs to the word before it, because "missing X"
 * errors are reported right after the word that is missing its continuation.
 */
export function wordIndexAt(text: string, offset: number): number {
  let at = Math.min(Math.max(offset, 0), text.length);
  while (at > 0 && (at === text.length || WHITESPACE.test(text[at]!))) at--;
  let index = -1;
  for (let i = 0; i <= at && i < text.length; i++) {
    const startsWord = !WHITESPACE.test(text[i]!) && (i === 0 || WHITESPACE.test(text[i - 1]!));
    if (startsWord) index++;
  }
  return Math.max(index, 0);
}

/**
 * True when two error offsets sit in the same or neighbouring words. Lines are not compared:
 * after `|` and a line break, one parser blames the `|`, the other the next line's first word.
 */
export function nearSamePlace(text: string, ours: number, reference: number): boolean {
  return Math.abs(wordIndexAt(text, ours) - wordIndexAt(text, reference)) <= 1;
}

/** `line:col` of an offset, for failure messages. */
export function where(text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  return `${line}:${column}`;
}
