/**
 * `npm run bench`: every benchmark in one run, figures printed (not pass/fail).
 * `--quick` uses 1M Update rows instead of 10M, and smaller ingestion runs.
 */
import { benchCompile } from './compile-speed.js';
import { benchIngestHttp } from './ingest-http.js';
import { benchIngest } from './ingest.js';
import { benchShapes } from './query-shapes.js';

const quick = process.argv.includes('--quick');

const compileResults = benchCompile();
const medians = compileResults.map((r) => r.compileUs).sort((a, b) => a - b);
console.log('parse + compile, sample queries');
for (const r of compileResults) console.log(`  ${r.query.padEnd(44)} ${r.compileUs.toFixed(1).padStart(7)} µs (parse alone ${r.parseUs.toFixed(1)} µs)`);
console.log(`  median ${medians[Math.floor(medians.length / 2)]!.toFixed(1)} µs — goal < 50 µs\n`);

const rows = quick ? 1_000_000 : 10_000_000;
const shapes = await benchShapes(rows, quick ? 3 : 5);
console.log(`KQL through Upkeep vs hand-written SQL, ${rows.toLocaleString('en-US')}-row Update table (median ms)`);
for (const r of shapes) console.log(`  ${r.name.padEnd(26)} ${r.kqlMs.toFixed(1).padStart(8)} ${r.sqlMs.toFixed(1).padStart(8)}  ratio ${r.ratio.toFixed(3)}`);
const ratios = shapes.map((r) => r.ratio).sort((a, b) => a - b);
console.log(`  median ratio ${ratios[Math.floor(ratios.length / 2)]!.toFixed(3)} — goal ≤ 1.05; worst ${ratios[ratios.length - 1]!.toFixed(3)} — goal ≤ 1.10`);

console.log('\nIngestion, writer alone (records/s and ratio to the in-run read_json limit)');
await benchIngest({ records: quick ? 60_000 : 300_000, log: (line) => console.log(`  ${line}`) });
console.log('\nIngestion through the server over HTTP');
await benchIngestHttp({ quick, log: (line) => console.log(`  ${line}`) });
