/**
 * Parse + compile time per sample query (goal: median under 50 µs). Prints the median and
 * p90 of many runs per query, and the parse-only share as the in-run baseline.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../language/syntax/parse.js';
import { compile } from '../language/compile.js';

const dir = join(import.meta.dirname, '../samples/queries');
const defaultIterations = Number(process.env.BENCH_ITERATIONS ?? 2000);

function timeEach(run: () => void, iterations: number): { median: number; p90: number } {
  for (let i = 0; i < 200; i++) run(); // warm the JIT
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, p90: samples[Math.floor(samples.length * 0.9)]! };
}

export function benchCompile(iterations = defaultIterations): { query: string; parseUs: number; compileUs: number; p90Us: number }[] {
  const results = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.kql')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const parseOnly = timeEach(() => parse(text), iterations);
    const full = timeEach(() => {
      const r = compile(text);
      if (!r.ok) throw new Error(`${file}: ${r.diagnostics[0]?.message}`);
    }, iterations);
    results.push({ query: file, parseUs: parseOnly.median, compileUs: full.median, p90Us: full.p90 });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = benchCompile();
  console.log('parse + compile per sample query (µs, median of %d runs)', defaultIterations);
  console.log(`${'query'.padEnd(44)} ${'parse'.padStart(8)} ${'parse+compile'.padStart(14)} ${'p90'.padStart(8)}`);
  for (const r of results) {
    console.log(`${r.query.padEnd(44)} ${r.parseUs.toFixed(1).padStart(8)} ${r.compileUs.toFixed(1).padStart(14)} ${r.p90Us.toFixed(1).padStart(8)}`);
  }
  const medians = results.map((r) => r.compileUs).sort((a, b) => a - b);
  console.log(`median over queries: ${medians[Math.floor(medians.length / 2)]!.toFixed(1)} µs (goal < 50 µs)`);
}
