/**
 * The workbench's results path for 100,000 rows × 10 columns (strings, longs, reals,
 * datetimes, a timespan, a dynamic): Arrow bytes vs JSON bytes, and the time to decode and
 * read the Arrow answer with apache-arrow as the results panel does, against JSON.parse of the
 * JSON answer as the in-run baseline. Medians of several runs; the machine is shared, so read
 * the ratios, not the absolute figures.
 *
 *   TZ=UTC node bin/run-ts.mjs bench/results-decode.ts
 */
import { formatJson } from '../language/values/format.js';
import { runQuery } from '../query/run-query.js';
import { resultToArrow } from '../server/arrow-result.js';
import { resultCells } from '../workbench/src/results/cells.js';
import { resultCsv } from '../workbench/src/results/csv.js';
import { decodeArrowResult } from '../workbench/src/results/decode.js';
import { sortedOrder } from '../workbench/src/results/sort.js';

const VISIBLE_ROWS = 40;

export interface DecodeFigures {
  rows: number;
  columns: number;
  runs: number;
  arrowBytes: number;
  jsonBytes: number;
  /** Medians in ms; `jsonParseMs` is the in-run baseline. */
  jsonParseMs: number;
  decodeMs: number;
  firstScreenMs: number;
  readAllMs: number;
  csvMs: number;
  sortStringMs: number;
  sortDatetimeMs: number;
}

function queryOf(rows: number): string {
  return `range x from 1 to ${rows} step 1
  | extend TimeGenerated = datetime(2024-01-01) + x * 1s, Computer = strcat("vm", x % 500, ".contoso.com"),
      Title = strcat("Security update KB", 5000000 + x % 300), Classification = iff(x % 3 == 0, "Critical Updates", "Security Updates"),
      UpdateState = iff(x % 7 == 0, "Installed", "Needed"), SizeBytes = x * 1024, Ratio = x / 7.0, Took = x * 1ms,
      Extra = pack("kb", x % 300)`;
}

function medianOf(runs: number, run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function benchResultsDecode(rows = 100_000, runs = Number(process.env.BENCH_RUNS ?? 7)): Promise<DecodeFigures> {
  const outcome = await runQuery(queryOf(rows));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  const result = outcome.result;
  const arrowBytes = resultToArrow(result);
  const jsonText = formatJson(result);
  const median = (run: () => void) => medianOf(runs, run);
  const jsonParseMs = median(() => JSON.parse(jsonText));
  const decodeMs = median(() => decodeArrowResult(arrowBytes, 0));
  const firstScreenMs = median(() => {
    const decoded = decodeArrowResult(arrowBytes, 0);
    const cells = resultCells(decoded);
    for (let row = 0; row < VISIBLE_ROWS; row++) for (const column of cells) column.text(row);
  });
  const decoded = decodeArrowResult(arrowBytes, 0);
  const cells = resultCells(decoded);
  const readAllMs = median(() => {
    for (const column of cells) for (let row = 0; row < rows; row++) column.text(row);
  });
  const csvMs = median(() => resultCsv(decoded));
  const byName = (name: string) => cells.find((c) => c.column.name === name)!;
  const sortStringMs = median(() => sortedOrder(byName('Computer'), rows, 'asc'));
  const sortDatetimeMs = median(() => sortedOrder(byName('TimeGenerated'), rows, 'desc'));
  return {
    rows, columns: result.columns.length, runs, arrowBytes: arrowBytes.length, jsonBytes: Buffer.byteLength(jsonText),
    jsonParseMs, decodeMs, firstScreenMs, readAllMs, csvMs, sortStringMs, sortDatetimeMs,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchResultsDecode();
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const line = (label: string, ms: number) => console.log(`  ${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / f.jsonParseMs).toFixed(2).padStart(6)} × JSON.parse`);
  console.log(`Results panel path, ${f.rows.toLocaleString('en-US')} rows × ${f.columns} columns (median of ${f.runs}; shared machine: read the ratios)`);
  console.log(`  Arrow IPC ${mb(f.arrowBytes)} vs JSON ${mb(f.jsonBytes)}: Arrow is ${(f.arrowBytes / f.jsonBytes).toFixed(2)} of the JSON size`);
  line('baseline: JSON.parse of the JSON answer', f.jsonParseMs);
  line('decodeArrowResult (tableFromIPC + metadata)', f.decodeMs);
  line(`decode + text of the first ${VISIBLE_ROWS} rows (first screen)`, f.firstScreenMs);
  line('text of every cell (after decode)', f.readAllMs);
  line('CSV export of every row', f.csvMs);
  line('sort indices by a string column', f.sortStringMs);
  line('sort indices by a datetime column', f.sortDatetimeMs);
}
