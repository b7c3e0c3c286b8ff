/**
 * The fuzzer's oracle: one query through tokenize, parse, compile and (when it compiles) DuckDB,
 * checking the properties every input must keep:
 * - no stage throws;
 * - every diagnostic has a range inside the text and a line:column that maps back to its start;
 * - no internal error (E901): a parser or compiler exception, or a raw DuckDB error on SQL the
 *   compiler accepted, means the compiler should have refused the query or wrote wrong SQL;
 * - every case is bounded: DuckDB is interrupted after the per-case timeout.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Codes, QueryError, lineColumn, type Diagnostic } from '../../language/syntax/diagnostics.js';
import { tokenize } from '../../language/syntax/parse.js';
import { compile } from '../../language/compile.js';
import { runSql } from '../../query/duckdb/run.js';

export interface FuzzEnv {
  conn: DuckDBConnection;
  now: Date;
  /** DuckDB is interrupted after this long (E502, which is not a failure). */
  timeoutMs: number;
  /** Parse + compile slower than this is reported: a sign of quadratic or exponential work. */
  slowCompileMs: number;
}

/** rejected: by the compiler; refused: by a query-problem diagnostic while running (overflow, bad regex). */
export type Outcome = 'rejected' | 'ran' | 'refused' | 'timeout';

/** Run-time diagnostics that name the query's own problem (query/duckdb/errors.ts): not failures. */
const queryProblemCodes: readonly string[] = [Codes.valueOutOfRange, Codes.invalidRegex, Codes.tooComplex];

export interface Failure {
  /** Stable across runs: the kind of failure and its code, for grouping duplicates. */
  key: string;
  stage: 'tokenize' | 'compile' | 'run';
  detail: string;
}

export type CaseResult = { ok: true; outcome: Outcome } | { ok: false; failure: Failure };

function failed(stage: Failure['stage'], key: string, detail: string): CaseResult {
  return { ok: false, failure: { stage, key: `${stage}: ${key}`, detail } };
}

export async function checkQuery(text: string, env: FuzzEnv): Promise<CaseResult> {
  const started = performance.now();
  const front = checkFrontEnd(text);
  if (front) return front;
  let compiled: ReturnType<typeof compile>;
  try {
    compiled = compile(text, { now: env.now });
  } catch (error) {
    return failed('compile', 'threw', stackOf(error));
  }
  const elapsed = performance.now() - started;
  const bad = diagnosticsProblem(text, compiled.diagnostics, 'compile');
  if (bad) return bad;
  if (!compiled.ok && !compiled.diagnostics.some((d) => d.severity === 'error')) return failed('compile', 'rejected without an error', JSON.stringify(compiled.diagnostics));
  if (elapsed > env.slowCompileMs) return failed('compile', 'slow', `parse + compile took ${Math.round(elapsed)} ms`);
  if (!compiled.ok) return { ok: true, outcome: 'rejected' };
  try {
    await runSql(env.conn, compiled.sql, compiled.columns, { maxRows: 200, timeoutMs: env.timeoutMs, range: { start: 0, end: text.length } });
    return { ok: true, outcome: 'ran' };
  } catch (error) {
    if (!(error instanceof QueryError)) return failed('run', 'threw', String(error));
    const d = error.diagnostic;
    if (d.code === Codes.timeout) return { ok: true, outcome: 'timeout' };
    if (queryProblemCodes.includes(d.code)) return { ok: true, outcome: 'refused' };
    const sql = compiled.sql.length > 1200 ? `${compiled.sql.slice(0, 1200)}…` : compiled.sql;
    return failed('run', `${d.code} ${engineMessageKey(d.message)}`, `${d.message.slice(0, 600)}\nSQL: ${sql}`);
  }
}

/** compile() parses too and returns every parse diagnostic, so the parser is checked through it. */
function checkFrontEnd(text: string): CaseResult | undefined {
  try {
    for (const t of tokenize(text)) {
      if (!(t.start >= 0 && t.start <= t.end && t.end <= text.length)) return failed('tokenize', 'token outside the text', JSON.stringify(t));
    }
  } catch (error) {
    return failed('tokenize', 'threw', stackOf(error));
  }
  return undefined;
}

function diagnosticsProblem(text: string, diagnostics: readonly Diagnostic[], stage: 'compile'): CaseResult | undefined {
  for (const d of diagnostics) {
    const { start, end } = d.range;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
      return failed(stage, `${d.code} range outside the text`, `${JSON.stringify(d.range)} in ${text.length} characters: ${d.message}`);
    }
    if (!lineColumnConsistent(text, start)) return failed(stage, `${d.code} line:column inconsistent`, JSON.stringify(d.range));
    if (d.code === Codes.internal) return failed(stage, `${d.code} ${engineMessageKey(d.message)}`, d.message);
    if (!d.message.trim()) return failed(stage, `${d.code} empty message`, '');
  }
  return undefined;
}

/** The 1-based line and column must lead back to the same offset. */
function lineColumnConsistent(text: string, offset: number): boolean {
  const { line, column } = lineColumn(text, offset);
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column - 1 === offset && column >= 1;
}

/** The engine message without values, so one bug found twice counts once. */
function engineMessageKey(message: string): string {
  const engine = message.split('Engine message: ')[1] ?? message;
  return engine.split('\n')[0]!.replace(/"[^"]*"|'[^']*'/g, '…').replace(/\d+/g, 'N').slice(0, 120);
}

function stackOf(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}
