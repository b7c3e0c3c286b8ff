/**
 * The compliance views: run the view's KQL through the query engine and shape the rows. The
 * caller supplies how a query runs (the server's query service, or a local database file for the
 * CLI), so both paths run exactly the text they return.
 */
import type { Diagnostic } from '../../../language/syntax/diagnostics.js';
import type { QueryResult } from '../../../language/values/result.js';
import type { RunOutcome } from '../../../query/query-runner.js';
import type { MachineCompliance, MissingUpdate } from '../../../contracts/updates.js';
import { machinesQuery, updatesQuery, type MachineFilters, type UpdateFilters } from './queries.js';
import { machineRows, updateRows } from './rows.js';

/** Runs KQL with `now()` fixed to `now`: a QueryRunner's run (the server's, or the CLI's on a database file). */
export type RunKql = (text: string, now: Date) => Promise<RunOutcome>;

export type ViewOutcome<T> = { ok: true; query: string; rows: T[]; truncated: boolean } | { ok: false; query: string; diagnostics: Diagnostic[] } | { ok: false; query: string; busy: true };

export function machinesView(run: RunKql, filters: MachineFilters = {}, now = new Date()): Promise<ViewOutcome<MachineCompliance>> {
  return runView(run, machinesQuery(filters), now, machineRows);
}

export function updatesView(run: RunKql, filters: UpdateFilters = {}, now = new Date()): Promise<ViewOutcome<MissingUpdate>> {
  return runView(run, updatesQuery(filters), now, updateRows);
}

async function runView<T>(run: RunKql, query: string, now: Date, shape: (result: QueryResult) => T[]): Promise<ViewOutcome<T>> {
  const outcome = await run(query, now);
  if (!outcome.ok) return { query, ...outcome };
  return { ok: true, query, rows: shape(outcome.result), truncated: outcome.result.truncated };
}
