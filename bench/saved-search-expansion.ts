/**
 * Compile time of queries that use saved searches by name (expanded inline, bodies parsed once
 * per version) against the same query written out inline: the in-run baseline. Also the cost
 * of GET /api/schema's function list (one compile per saved search). Ratios matter; the machine
 * is shared, absolute times are noisy.
 *
 *   node bin/run-ts.mjs bench/saved-search-expansion.ts
 */
import { compile } from '../language/compile.js';
import { recordCatalog, type Catalog, type StoredFunction } from '../language/schema/tables.js';

const depth = 5;

export interface SavedSearchFigures {
  depth: number;
  /** ms per compile; `inlineMs` is the in-run baseline. */
  inlineMs: number;
  byNameMs: number;
  /** GET /api/schema's 200 compiles: first (parses) and again (bodies cached), ms in all. */
  schemaFirstMs: number;
  schemaAgainMs: number;
}

function timePerCompile(text: string, rounds: number, catalog: Catalog): number {
  for (let i = 0; i < 50; i++) compile(text, { catalog });
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const result = compile(text, { catalog });
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  }
  return (performance.now() - started) / rounds;
}

export function benchSavedSearchExpansion(rounds = 2000): SavedSearchFigures {
  const functions = new Map<string, StoredFunction>();
  functions.set('Level0', { body: 'Heartbeat | where OSType == "Linux" | distinct Computer' });
  for (let i = 1; i < depth; i++) functions.set(`Level${i}`, { body: `Level${i - 1} | where Computer != "x${i}"` });
  const catalog: Catalog = { ...recordCatalog, functions };
  let inlineBody = 'Heartbeat | where OSType == "Linux" | distinct Computer';
  for (let i = 1; i < depth; i++) inlineBody = `(${inlineBody}) | where Computer != "x${i}"`;
  const inline = `Update | where Computer in (${inlineBody}) | summarize count() by Classification`;
  const byName = `Update | where Computer in (Level${depth - 1}) | summarize count() by Classification`;
  const inlineMs = timePerCompile(inline, rounds, catalog);
  const byNameMs = timePerCompile(byName, rounds, catalog);
  // GET /api/schema lists every saved search with its columns: one compile each.
  const many = new Map<string, StoredFunction>();
  for (let i = 0; i < 200; i++) many.set(`Search${i}`, { body: `Update | where Computer startswith "web${i}" | summarize n = count() by Computer, Classification` });
  const manyCatalog: Catalog = { ...recordCatalog, functions: many };
  const started = performance.now();
  for (const name of many.keys()) compile(name, { catalog: manyCatalog });
  const schemaFirstMs = performance.now() - started;
  const again = performance.now();
  for (const name of many.keys()) compile(name, { catalog: manyCatalog });
  const schemaAgainMs = performance.now() - again;
  return { depth, inlineMs, byNameMs, schemaFirstMs, schemaAgainMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = benchSavedSearchExpansion();
  console.log(`compile, ${f.depth} nested saved searches inline:  ${f.inlineMs.toFixed(3)} ms`);
  console.log(`compile, the same by name (expanded):        ${f.byNameMs.toFixed(3)} ms  (ratio ${(f.byNameMs / f.inlineMs).toFixed(2)}× the inline baseline)`);
  console.log(`columns of 200 saved searches: ${f.schemaFirstMs.toFixed(1)} ms first (parses), ${f.schemaAgainMs.toFixed(1)} ms again (parsed bodies cached)`);
}
