/**
 * The workbench's results path for 100,000 rows × 10 columns (strings, longs, reals,
 * datetimes, a timespan, a dynamic): Arrow bytes vs JSON bytes, and the time to decode and
 * read the Arrow answer with apache-arrow as the results panel does, against JSON.parse of the
 * JSON answer as the in-run baseline. Medians of several runs; the machine is shared, so read
 * the ratios, not the absolute figures.
 *
 *   TZ=UTC node bin/run-ts.mjs bench/results-decode.ts
 */
import { formatJson } from '../engine/execute/format.js';
import { runQuery } from '../engine/run-query.js';
import { resultToArrow } from '../engine/server/arrow-result.js';
import { resultCells } from '../workbench/src/results/cells.js';
import { resultCsv } from '../workbench/src/results/csv.js';
import { decodeArrowResult } from '../workbench/src/results/decode.js';
import { sortedOrder } from '../workbench/src/results/sort.js';

const ROWS = 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const VISIBLE_ROWS = 40;

const query = `range x from 1 to ${ROWS} step 1
  | extend TimeGenerated = datetime(2024-01-01) + x * 1s, Computer = strcat("vm", x % 500, ".contoso.com"),
      Title = strcat("Security update KB", 5000000 + x % 300), Classification = iff(x % 3 == 0, "Critical Updates", "Security Updates"),
      UpdateState = iff(x % 7 == 0, "Installed", "Needed"), SizeBytes = x * 1024, Ratio = x / 7.0, Took = x * 1ms,
      Extra = pack("kb", x % 300)`;

function median(run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const outcome = await runQuery(query);
if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
const result = outcome.result;
const arrowBytes = resultToArrow(result);
const jsonText = formatJson(result);
const jsonBytes = Buffer.byteLength(jsonText);

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
  for (const column of cells) for (let row = 0; row < ROWS; row++) column.text(row);
});
const csvMs = median(() => resultCsv(decoded));
const byName = (name: string) => cells.find((c) => c.column.name === name)!;
const sortStringMs = median(() => sortedOrder(byName('Computer'), ROWS, 'asc'));
const sortDatetimeMs = median(() => sortedOrder(byName('TimeGenerated'), ROWS, 'desc'));

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const line = (label: string, ms: number) => console.log(`  ${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / jsonParseMs).toFixed(2).padStart(6)} × JSON.parse`);
console.log(`Results panel path, ${ROWS.toLocaleString('en-US')} rows × ${result.columns.length} columns (median of ${RUNS}; shared machine: read the ratios)`);
console.log(`  Arrow IPC ${mb(arrowBytes.length)} vs JSON ${mb(jsonBytes)}: Arrow is ${(arrowBytes.length / jsonBytes).toFixed(2)} of the JSON size`);
line('baseline: JSON.parse of the JSON answer', jsonParseMs);
line('decodeArrowResult (tableFromIPC + metadata)', decodeMs);
line(`decode + text of the first ${VISIBLE_ROWS} rows (first screen)`, firstScreenMs);
line('text of every cell (after decode)', readAllMs);
line('CSV export of every row', csvMs);
line('sort indices by a string column', sortStringMs);
line('sort indices by a datetime column', sortDatetimeMs);
