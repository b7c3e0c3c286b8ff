/**
 * Query blocks: an editor holds several queries separated by blank lines (as the reference's
 * log search does); Shift+Enter runs the block under the cursor, and diagnostics are computed
 * per block, because each block is its own query.
 */
export interface Block {
  /** Offsets into the whole text, half-open; `text` is `whole.slice(start, end)`. */
  start: number;
  end: number;
  text: string;
}

/** Every non-empty block, in order. A line holding only spaces counts as blank. */
export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let blockStart = -1;
  let blockEnd = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const blank = text.slice(lineStart, lineEnd).trim() === '';
    if (!blank) {
      if (blockStart < 0) blockStart = lineStart;
      blockEnd = lineEnd;
    } else if (blockStart >= 0) {
      blocks.push(makeBlock(text, blockStart, blockEnd));
      blockStart = -1;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  if (blockStart >= 0) blocks.push(makeBlock(text, blockStart, blockEnd));
  return blocks;
}

/**
 * The block holding `offset`; on a blank line, the block just above it (the reference runs the
 * query the cursor has just left), else the next one; undefined when the text is blank.
 */
export function blockAt(text: string, offset: number): Block | undefined {
  const blocks = splitBlocks(text);
  const inside = blocks.find((b) => offset >= b.start && offset <= b.end);
  if (inside) return inside;
  const above = blocks.filter((b) => b.end < offset).at(-1);
  return above ?? blocks.find((b) => b.start > offset);
}

function makeBlock(text: string, start: number, end: number): Block {
  return { start, end, text: text.slice(start, end) };
}
