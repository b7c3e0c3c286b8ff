/** What `upkeep compliance machines|updates` does (its flags are in compliance-command.ts). */
import { formatDiagnostic } from '../language/syntax/diagnostics.js';
import { formatCsv, formatTable } from '../language/values/format.js';
import type { QueryResult } from '../language/values/result.js';
import { localRunner } from '../query/run-query.js';
import { machinesQuery, parseMachineFilters, parseUpdateFilters, updatesQuery } from '../app/updates/compliance/queries.js';
import { machineRows, updateRows } from '../app/updates/compliance/rows.js';

export interface ViewFlags {
  db: string;
  format: 'table' | 'json' | 'csv';
  os?: string;
  compliance?: string;
  readiness?: string;
  classification?: string;
  showQuery?: boolean;
  now?: Date;
}

export async function runView(view: 'machines' | 'updates', flags: ViewFlags): Promise<void> {
  const input = { os: flags.os, compliance: flags.compliance, readiness: flags.readiness, classification: flags.classification };
  const parsed = view === 'machines' ? parseMachineFilters(input) : parseUpdateFilters(input);
  if (!parsed.ok) {
    process.stderr.write(`upkeep: ${parsed.message}\n`);
    process.exitCode = 2;
    return;
  }
  const query = view === 'machines' ? machinesQuery(parsed.filters) : updatesQuery(parsed.filters);
  if (flags.showQuery) process.stderr.write(`${query}\n`);
  const outcome = await localRunner({ db: flags.db }).run({ text: query, now: flags.now ?? new Date() });
  if (!outcome.ok) {
    for (const d of 'busy' in outcome ? [] : outcome.diagnostics) process.stderr.write(`${formatDiagnostic(query, d)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(ensureNewline(format(view, flags.format, query, outcome.result)));
}

function format(view: 'machines' | 'updates', as: ViewFlags['format'], query: string, result: QueryResult): string {
  if (as === 'csv') return formatCsv(result);
  if (as === 'table') return formatTable(result, { color: process.stdout.isTTY });
  // JSON speaks the HTTP API's shape, so scripts can use either.
  const rows = view === 'machines' ? { machines: machineRows(result) } : { updates: updateRows(result) };
  return JSON.stringify({ query, ...rows, truncated: result.truncated }, null, 2);
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
