/**
 * Limits on what a JSON body may hold beyond the types: the nesting of dynamic values, and the
 * encoding of the text itself. Both are refused at the door rather than stored, because a stored
 * value 100,000 levels deep later breaks every query that returns it (recursive conversion), and
 * invalid UTF-8 otherwise reaches DuckDB's reader, which refuses the whole spooled file.
 */
import { isUtf8 } from 'node:buffer';

/** Levels of arrays/objects a dynamic value may nest (the default of .NET's JSON readers, which the reference's senders use). */
export const MAX_DYNAMIC_DEPTH = 64;

/** True when `value` nests arrays/objects deeper than `max` levels (a scalar is depth 0). Iterative: no stack to overflow. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * JSON may escape half of a UTF-16 surrogate pair ("\ud800"); JSON.parse keeps it, DuckDB's reader
 * refuses the whole file. True when a string, or any string or key inside a dynamic value, has one.
 */
export function hasUnpairedSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !wellFormed(value);
  if (typeof value !== 'object' || value === null) return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (!wellFormed(node)) return true;
    } else if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        if (!wellFormed(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** The offset of the first byte that is not valid UTF-8, or undefined when all of it is. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  // Everything before the first bad sequence decodes exactly, so its UTF-8 length is the offset;
  // U+FFFD that the sender really sent (EF BF BD) is stepped over.
  const text = new TextDecoder().decode(bytes);
  let offset = 0;
  let from = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    offset += Buffer.byteLength(text.slice(from, i));
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    offset += 3;
    from = i + 1;
  }
  return offset;
}

/** String.prototype.isWellFormed (Node 20; the project's TypeScript lib predates it). */
function wellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
