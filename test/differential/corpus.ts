/**
 * Queries for the differential syntax check, grouped by feature, each marked with the verdict
 * of the reference parser (`accept`: no syntax error; `reject`: at least one).
 *
 * The marks are not opinions: differential.test.ts asserts that the reference parser agrees
 * with every one, so a wrong mark fails the suite instead of silently testing nothing. Accepted
 * queries stay inside the subset our engine supports (issue 2); rejected ones are syntax
 * errors a user might really type. Unknown names are fine everywhere: this is syntax only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { acceptedByFeature } from './corpus-accepted.js';
import { rejectedByFeature } from './corpus-rejected.js';

export type Verdict = 'accept' | 'reject';

export interface CorpusEntry {
  feature: string;
  query: string;
  expect: Verdict;
}

/** A query and why our parser deliberately answers differently from the reference. */
export interface KnownDifference {
  query: string;
  reason: string;
}

const SAMPLES_DIR = fileURLToPath(new URL('../../samples/queries/', import.meta.url));

/** Every shipped sample query, read from disk so a new sample is checked without editing here. */
export function sampleQueries(): CorpusEntry[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.kql'))
    .sort()
    .map((name) => ({ feature: `sample ${name}`, query: readFileSync(SAMPLES_DIR + name, 'utf8'), expect: 'accept' }));
}

function entries(groups: Record<string, string[]>, expect: Verdict): CorpusEntry[] {
  return Object.entries(groups).flatMap(([feature, queries]) => queries.map((query) => ({ feature, query, expect })));
}

export function corpus(): CorpusEntry[] {
  return [
    ...entries(acceptedByFeature, 'accept'),
    ...entries(rejectedByFeature, 'reject'),
    ...sampleQueries(),
  ];
}

/**
 * Accept/reject verdicts where our parser knowingly differs from the reference. Keep this
 * short: every entry is a place where a user's query behaves differently than they expect.
 */
export const knownDifferences: KnownDifference[] = [
  // The four below are accepted by the reference's parser and rejected by its analyzer, so a
  // user gets an error either way; ours reports it at parse time, naming the fix.
  { query: 'T | project-rename a', reason: "a rename needs '=' and a new name; the reference only finds out when binding" },
  { query: 'T | join (U) on a == b', reason: 'join conditions are names or $left.x == $right.y; the reference parses any expression' },
  { query: 'T | mv-expand d to typeof(strin)', reason: 'type names are a closed set, checked while parsing' },
  { query: 'T | parse kind=foo s with a', reason: 'parse kinds are a closed set (simple, regex, relaxed), checked while parsing' },
];

/**
 * Rejected queries whose first error we knowingly place elsewhere than the reference does
 * (the softer position test in differential.test.ts).
 */
export const knownPositionDifferences: KnownDifference[] = [
  {
    query: 'T | where s == "abc | count',
    reason: 'we point at the opening quote of an unterminated string; the reference at the end of the text',
  },
];
