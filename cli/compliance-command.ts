/** `upkeep compliance machines|updates`: the compliance views, run locally on the database file. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatDiagnostic } from '../language/syntax/diagnostics.js';
import { formatCsv, formatTable } from '../language/values/format.js';
import type { QueryResult } from '../language/values/result.js';
import { localRunner } from '../query/run-query.js';
import { defaultDatabasePath } from '../records/store/duckdb-store.js';
import { machinesQuery, parseMachineFilters, parseUpdateFilters, updatesQuery } from '../app/updates/compliance/queries.js';
import { machineRows, updateRows } from '../app/updates/compliance/rows.js';

interface ViewFlags {
  db: string;
  format: 'table' | 'json' | 'csv';
  os?: string;
  compliance?: string;
  readiness?: string;
  classification?: string;
  showQuery?: boolean;
  now?: Date;
}

export function registerComplianceCommand(program: Command): void {
  const compliance = program.command('compliance').description('Compliance views computed from the records: machines and the updates they miss.');
  withCommon(compliance.command('machines').description("Each machine's compliance, readiness and missing updates (from its latest assessment)."))
    .option('--compliance <value>', 'compliant, noncompliant, critical, security, other, upToDate or notAssessed')
    .option('--readiness <value>', 'Ready, Disconnected or NotConfigured')
    .action((flags: ViewFlags) => runView('machines', flags));
  withCommon(compliance.command('updates').description('Each missing update with the number of machines that need it.'))
    .option('--classification <name>', 'e.g. "Security Updates"')
    .action((flags: ViewFlags) => runView('updates', flags));
}

function withCommon(command: Command): Command {
  return command
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--os <os>', 'Windows or Linux')
    .option('--show-query', 'print the KQL the view runs (to paste into upkeep query or log search)')
    .option('--now <iso>', "evaluate as of this time, e.g. a sample fleet's end (default: now)", parseInstant);
}

async function runView(view: 'machines' | 'updates', flags: ViewFlags): Promise<void> {
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

function parseInstant(value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`--now needs an ISO time such as 2024-06-01T12:00:00Z, got '${value}'.`);
  return at;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
