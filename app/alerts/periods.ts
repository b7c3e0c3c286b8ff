/**
 * Evaluation periods: a rule with frequency F evaluates the periods [k·F, (k+1)·F) counted from
 * the Unix epoch (UTC), each once, after it ends. A rule's first period is the first one that
 * ends after the rule was created.
 */

/** The ends of the periods that ended in (fromExclusive, now], oldest first. */
export function duePeriodEnds(frequencyMs: number, fromExclusive: number, now: number): number[] {
  const ends: number[] = [];
  for (let end = (Math.floor(fromExclusive / frequencyMs) + 1) * frequencyMs; end <= now; end += frequencyMs) ends.push(end);
  return ends;
}

/** Where a rule without a cursor starts: the start of the period it was created in. */
export function initialCursor(frequencyMs: number, createdAt: number): number {
  return Math.floor(createdAt / frequencyMs) * frequencyMs;
}

/** How many ends `duePeriodEnds` would return, without listing them (a server down for a month). */
export function countDue(frequencyMs: number, fromExclusive: number, now: number): number {
  const first = (Math.floor(fromExclusive / frequencyMs) + 1) * frequencyMs;
  return first > now ? 0 : Math.floor((now - first) / frequencyMs) + 1;
}
