/**
 * Differential syntax check: our parser must accept and reject the same queries as the
 * reference Kusto parser, within the subset we support (corpus.ts).
 *
 * Three layers: the corpus marks are checked against the reference (so the corpus cannot
 * drift), our accept/reject verdict is checked against the reference's (one test per query,
 * named by the query), and — softer — our first error must sit near the reference's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../language/syntax/diagnostics.js';
import { parse } from '../../language/syntax/parse.js';
import { corpus, knownDifferences, knownPositionDifferences, type Verdict } from './corpus.js';
import { loadKustoOracle, type OracleError } from './kusto-oracle.js';
import { nearSamePlace, where } from './positions.js';

const oracle = loadKustoOracle();
const entries = corpus();
const skipVerdict = new Set(knownDifferences.map((d) => d.query));
const skipPosition = new Set(knownPositionDifferences.map((d) => d.query));

/**
 * Our syntax errors: E1xx diagnostics of error severity, in source order. `parse` never
 * throws but reports its own crashes as E9xx, which must not pass for "no syntax errors".
 */
function ourSyntaxErrors(text: string): Diagnostic[] {
  const { diagnostics } = parse(text);
  const crash = diagnostics.find((d) => d.code.startsWith('E9'));
  if (crash) throw new Error(`parse crashed on ${JSON.stringify(text)}: ${crash.code} ${crash.message}`);
  return diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('E1')).sort((a, b) => a.range.start - b.range.start);
}

function verdictOf(errors: readonly unknown[]): Verdict {
  return errors.length === 0 ? 'accept' : 'reject';
}

function describeOurs(errors: Diagnostic[]): string {
  if (errors.length === 0) return 'no syntax errors';
  return errors.map((d) => `${d.code} [${d.range.start},${d.range.end}) ${d.message}`).join('; ');
}

function describeReference(errors: readonly OracleError[]): string {
  if (errors.length === 0) return 'no syntax errors';
  return errors.map((e) => `[${e.start},${e.start + e.length}) ${e.message}`).join('; ');
}

/**
 * `[name, entry]` rows for `it.for(...)('%s')`: the name is the query on one line, in full
 * (`$field` names would be cut at 40 characters), so a failure names the query unambiguously.
 */
function named<T extends { query: string }>(rows: T[]): [string, T][] {
  return rows.map((row) => [JSON.stringify(row.query), row]);
}

describe('corpus marks match the reference parser', () => {
  it.for(named(entries))('%s', ([, { query, expect: mark }]) => {
    const errors = oracle.syntaxErrors(query);
    expect(verdictOf(errors), `reference says: ${describeReference(errors)}`).toBe(mark);
  });

  it('covers enough ground', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(entries.filter((e) => e.expect === 'reject').length).toBeGreaterThanOrEqual(40);
  });
});

describe('our parser agrees with the reference on accept/reject', () => {
  const disagreements: string[] = [];
  afterAll(() => {
    if (disagreements.length > 0) console.warn(`Differential syntax disagreements (${disagreements.length}):\n${disagreements.join('\n')}`);
  });

  it.for(named(entries.filter((e) => !skipVerdict.has(e.query))))('%s', ([, { query }]) => {
    const reference = oracle.syntaxErrors(query);
    const ours = ourSyntaxErrors(query);
    const wanted = verdictOf(reference);
    if (verdictOf(ours) !== wanted) disagreements.push(`  reference ${wanted}s, ours does not: ${JSON.stringify(query)}`);
    expect(verdictOf(ours), `reference: ${describeReference(reference)}\nours: ${describeOurs(ours)}`).toBe(wanted);
  });

  // A fixed difference must leave the list, so the list stays honest.
  it.for(named(knownDifferences))('known difference still differs: %s', ([, { query }]) => {
    expect(verdictOf(ourSyntaxErrors(query))).not.toBe(verdictOf(oracle.syntaxErrors(query)));
  });
});

describe('our first syntax error sits near the reference parser’s', () => {
  const rejected = entries.filter((e) => e.expect === 'reject' && !skipPosition.has(e.query) && !skipVerdict.has(e.query));

  it.for(named(rejected))('%s', ([, { query }], context) => {
    const ours = ourSyntaxErrors(query)[0];
    // A query we wrongly accept fails the verdict test above; nothing to compare here.
    if (ours === undefined) return context.skip();
    const reference = oracle.syntaxErrors(query)[0]!;
    const message = `reference at ${where(query, reference.start)} (${reference.message}), ours at ${where(query, ours.range.start)} (${ours.code} ${ours.message})`;
    expect(nearSamePlace(query, ours.range.start, reference.start), message).toBe(true);
  });

  it.for(named(knownPositionDifferences))('known position difference still differs: %s', ([, { query }]) => {
    const ours = ourSyntaxErrors(query)[0];
    const reference = oracle.syntaxErrors(query)[0];
    expect(ours !== undefined && reference !== undefined && !nearSamePlace(query, ours.range.start, reference.start)).toBe(true);
  });
});
