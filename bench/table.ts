/**
 * The one table `npm run bench` prints: a row per figure with its unit, its goal (when the issue
 * sets one), the in-run baseline it is compared with and the ratio, and pass/fail against the
 * goal. A benchmark that failed is one row carrying its error. `--json FILE` writes the same rows.
 */
import { writeFileSync } from 'node:fs';

/** A goal on the figure's value or on its ratio to the in-run baseline. */
export interface Goal {
  on: 'value' | 'ratio';
  /** The figure must stay at or below `max` / at or above `min`. */
  max?: number;
  min?: number;
}

export interface BenchRow {
  benchmark: string;
  figure: string;
  value?: number;
  unit: string;
  goal?: Goal;
  /** The in-run baseline the ratio is against (same unit as the value). */
  baseline?: number;
  baselineLabel?: string;
  ratio?: number;
  pass?: boolean;
  /** Why the benchmark failed or was skipped (no figures then), or a sample of the errors a figure counts. */
  error?: string;
  skipped?: boolean;
}

export type RowInput = Omit<BenchRow, 'benchmark' | 'pass' | 'ratio'> & { ratio?: number };

/** A row with its ratio (value / baseline unless given) and its verdict against the goal. */
export function figure(benchmark: string, input: RowInput): BenchRow {
  const ratio = input.ratio ?? (input.baseline !== undefined && input.value !== undefined && input.baseline !== 0 ? input.value / input.baseline : undefined);
  const row: BenchRow = { benchmark, ...input, ...(ratio !== undefined ? { ratio } : {}) };
  const pass = verdict(row);
  return pass === undefined ? row : { ...row, pass };
}

function verdict(row: BenchRow): boolean | undefined {
  if (!row.goal) return undefined;
  const measured = row.goal.on === 'ratio' ? row.ratio : row.value;
  if (measured === undefined || !Number.isFinite(measured)) return false;
  if (row.goal.max !== undefined && measured > row.goal.max) return false;
  if (row.goal.min !== undefined && measured < row.goal.min) return false;
  return true;
}

export function failedRow(benchmark: string, error: unknown): BenchRow {
  const message = error instanceof Error ? error.message : String(error);
  return { benchmark, figure: '(benchmark failed)', unit: '', error: message.split('\n')[0]!.slice(0, 300), pass: false };
}

export function skippedRow(benchmark: string, reason: string): BenchRow {
  return { benchmark, figure: '(skipped)', unit: '', error: reason, skipped: true };
}

function goalText(row: BenchRow): string {
  if (!row.goal) return '';
  const subject = row.goal.on === 'ratio' ? 'ratio ' : '';
  const bounds = [row.goal.min !== undefined ? `≥ ${num(row.goal.min)}` : '', row.goal.max !== undefined ? `≤ ${num(row.goal.max)}` : ''].filter(Boolean);
  return `${subject}${bounds.join(' and ')}${row.goal.on === 'value' ? ` ${row.unit}` : ''}`.trim();
}

function num(n: number | undefined): string {
  if (n === undefined) return '';
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n === 0 ? '0' : n.toPrecision(2);
}

function result(row: BenchRow): string {
  if (row.skipped) return 'skipped';
  if (row.error && row.value === undefined) return 'ERROR';
  if (row.pass === undefined) return row.error ? 'ERROR' : '';
  return row.pass ? 'pass' : 'FAIL';
}

/** The rows as aligned text; errors and skips print their message after the row. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'figure', 'value', 'unit', 'goal', 'baseline', 'ratio', 'result'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.figure,
    num(r.value),
    r.unit,
    goalText(r),
    r.baseline !== undefined ? `${num(r.baseline)}${r.baselineLabel ? ` (${r.baselineLabel})` : ''}` : '',
    r.ratio !== undefined ? r.ratio.toFixed(2) : '',
    result(r),
  ]);
  const widths = header.map((h, i) => Math.min(i === 1 || i === 5 ? 60 : 40, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const right = new Set([2, 6]);
  const line = (c: string[]) => c.map((text, i) => (right.has(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    if (r.error) out.push(`${' '.repeat(widths[0]! + 2)}↳ ${r.error}`);
  });
  return out.join('\n');
}

export function summaryLine(rows: readonly BenchRow[]): string {
  const withGoal = rows.filter((r) => r.pass !== undefined && r.value !== undefined);
  const failed = withGoal.filter((r) => !r.pass).length;
  const errors = rows.filter((r) => r.error && r.value === undefined && !r.skipped).length;
  const skipped = rows.filter((r) => r.skipped).length;
  return `${rows.length} rows: ${withGoal.length - failed} goals met, ${failed} missed, ${errors} benchmark errors, ${skipped} skipped`;
}

export function writeJson(file: string, rows: readonly BenchRow[], meta: Record<string, unknown>): void {
  writeFileSync(file, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
}
