/**
 * Prints the reference parser's syntax errors for each argument, to settle what a query's
 * corpus mark should be: `npx tsx test/differential/ask-reference.ts 'T | where x =='`.
 */
import { loadKustoOracle } from './kusto-oracle.js';

const oracle = loadKustoOracle();
for (const query of process.argv.slice(2)) {
  const errors = oracle.syntaxErrors(query);
  const verdict = errors.length === 0 ? 'accept' : 'reject';
  console.log(`${verdict} ${JSON.stringify(query)}${errors.map((e) => `\n  [${e.start},${e.start + e.length}) ${e.message}`).join('')}`);
}
