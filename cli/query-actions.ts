/** What `upkeep query`, `upkeep sql` and `upkeep schema` do (their flags are in query-commands.ts). */
import { readFileSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../language/syntax/diagnostics.js';
import { compile } from '../language/compile.js';
import { formatCsv, formatJson, formatTable } from '../language/values/format.js';
import { recordTables } from '../language/schema/tables.js';

export interface QueryFlags {
  file?: string;
  db: string;
  format: 'table' | 'json' | 'csv';
  maxRows: number;
  timeout: number;
}

export async function query(kql: string | undefined, flags: QueryFlags): Promise<void> {
  const text = queryText(kql, flags.file);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  // Only `query` runs anything: `sql` and `schema` start without loading DuckDB.
  // The same runner as the server's, on the file: its row and time limits are the flags.
  const { localRunner } = await import('../query/run-query.js');
  const runner = localRunner({ db: flags.db, maxRows: flags.maxRows, timeoutMs: flags.timeout * 1000 });
  const outcome = await runner.run({ text, signal: controller.signal });
  if (!outcome.ok) return 'busy' in outcome ? usage('Too many queries at once.') : reportErrors(text, outcome.diagnostics);
  const { result } = outcome;
  const out = flags.format === 'json' ? formatJson(result) : flags.format === 'csv' ? formatCsv(result) : formatTable(result, { color: process.stdout.isTTY });
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
}

export function sql(kql: string | undefined, flags: { file?: string }): void {
  const text = queryText(kql, flags.file);
  const compiled = compile(text);
  if (!compiled.ok) return reportErrors(text, compiled.diagnostics);
  process.stdout.write(`${compiled.sql}\n`);
}

export function schema(name: string | undefined): void {
  if (!name) {
    for (const t of recordTables) process.stdout.write(`${t.name.padEnd(20)} ${t.description ?? ''}\n`);
    return;
  }
  const table = recordTables.find((t) => t.name === name);
  if (!table) {
    process.stderr.write(`Unknown table '${name}'. Tables: ${recordTables.map((t) => t.name).join(', ')}.\n`);
    process.exitCode = 2;
    return;
  }
  for (const c of table.columns) process.stdout.write(`${c.name.padEnd(36)} ${c.type}\n`);
}

function queryText(kql: string | undefined, file: string | undefined): string {
  if (kql !== undefined && file !== undefined) usage('Give the query either as an argument or with -f, not both.');
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return usage(`Cannot read the query file ${file}.`);
    }
  }
  if (kql === undefined || kql.trim() === '') return usage("Give a query, e.g. upkeep query 'Heartbeat | take 5', or -f file.kql.");
  return kql;
}

function usage(message: string): never {
  process.stderr.write(`upkeep: ${message}\n`);
  process.exit(2);
}

function reportErrors(text: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(text, d)}\n`);
  process.exitCode = 1;
}
