/**
 * Shows what the reference parser and ours say about each argument, to settle a corpus mark or
 * chase a disagreement: `npx tsx test/differential/compare.ts 'T | where x =='`.
 */
import { parse } from '../../language/syntax/parse.js';
import { loadKustoOracle } from './kusto-oracle.js';

const oracle = loadKustoOracle();
for (const query of process.argv.slice(2)) {
  const reference = oracle.syntaxErrors(query);
  const ours = parse(query).diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('E1'));
  const verdict = (n: number) => (n === 0 ? 'accept' : 'reject');
  const same = verdict(reference.length) === verdict(ours.length) ? 'agree' : 'DISAGREE';
  console.log(`${same} ${JSON.stringify(query)}`);
  console.log(`  reference ${verdict(reference.length)}s${reference.map((e) => `\n    [${e.start},${e.start + e.length}) ${e.message}`).join('')}`);
  console.log(`  ours ${verdict(ours.length)}s${ours.map((d) => `\n    ${d.code} [${d.range.start},${d.range.end}) ${d.message}`).join('')}`);
}
