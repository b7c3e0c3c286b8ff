/**
 * Queries the mutation fuzzer starts from: the shipped sample queries, the differential corpus
 * (accepted and rejected), and the engine's operator and semantics cases — every query a person
 * wrote on purpose, so mutations land near real syntax.
 */
import { tokenize } from '../../language/syntax/parse.js';
import { allSemanticsRowCases } from '../language/semantics-cases.js';
import { joinCases, joinQuery, lookupCase, operatorCases } from '../language/operators-cases.js';
import { corpus } from '../differential/corpus.js';

let cached: string[] | undefined;

export function seedQueries(): string[] {
  cached ??= [
    ...new Set([
      ...corpus().map((entry) => entry.query),
      ...operatorCases.map(([, query]) => query),
      ...joinCases.map(([kind]) => joinQuery(kind)),
      lookupCase[0],
      ...allSemanticsRowCases().map(([, query]) => query),
    ]),
  ];
  return cached;
}

let vocabulary: string[] | undefined;

/** Every distinct token text of the seeds, plus a few that stress the lexer; mutations insert these. */
export function tokenVocabulary(): string[] {
  if (!vocabulary) {
    const found = new Set<string>();
    for (const query of seedQueries()) {
      for (const token of tokenize(query)) found.add(query.slice(token.start, token.end));
    }
    for (const extra of stressTokens) found.add(extra);
    vocabulary = [...found].sort();
  }
  return vocabulary;
}

const stressTokens = [
  '(', ')', '[', ']', '{', '}', ',', ';', '|', '=', '==', '!=', '.', '..', '$left', '$right', '*',
  '"', "'", '@"', 'h"', '```', '~~~', '\\', '//', '\n', '\u0000', '\u202e', '\ufeff', '\ud800', '\udfff',
  '9223372036854775807', '-9223372036854775808', '99999999999999999999', '1e308', '1e-400', '0x', '0xffffffffffffffffff',
  'datetime(', 'datetime(2024-13-45)', 'timespan(', 'time(-1d)', 'guid(zz)', 'dynamic(', 'dynamic([1,{)', '1000000000d',
];
