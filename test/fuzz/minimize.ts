/**
 * Shrinks a failing query to a small one that fails the same way: greedy delta debugging over
 * tokens, then characters, bounded in attempts and time so a slow failure cannot stall the run.
 */
import { tokenize } from '../../language/syntax/parse.js';

export async function minimize(text: string, stillFails: (candidate: string) => Promise<boolean>, maxAttempts = 150, maxMs = 15_000): Promise<string> {
  let best = text;
  let attempts = 0;
  const deadline = performance.now() + maxMs;
  const tryCandidate = async (candidate: string): Promise<boolean> => {
    if (performance.now() > deadline) attempts = maxAttempts;
    if (attempts++ >= maxAttempts || candidate === best) return false;
    if (!(await stillFails(candidate))) return false;
    best = candidate;
    return true;
  };
  for (const split of [tokenPieces, charPieces]) {
    let chunk = Math.max(1, Math.floor(split(best).length / 2));
    while (chunk >= 1 && attempts < maxAttempts) {
      let removed = false;
      for (let at = 0; at < split(best).length && attempts < maxAttempts; ) {
        const parts = split(best);
        if (await tryCandidate([...parts.slice(0, at), ...parts.slice(at + chunk)].join(''))) removed = true;
        else at += chunk;
      }
      if (!removed) chunk = Math.floor(chunk / 2);
    }
  }
  return best;
}

/** Tokens with the text between them attached, so joining the pieces gives the text back. */
export function tokenPieces(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (const t of tokenize(text)) {
    if (t.start > at) out.push(text.slice(at, t.start));
    out.push(text.slice(t.start, t.end));
    at = t.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function charPieces(text: string): string[] {
  return [...text];
}
