/** `upkeep query`, `upkeep sql`, `upkeep schema`. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../language/syntax/diagnostics.js';
import { compile } from '../language/compile.js';
import { formatCsv, formatJson, formatTable } from '../language/values/format.js';
import { defaultQueryLimits } from '../query/limits.js';
import { localRunner } from '../query/run-query.js';
import { recordTables } from '../language/schema/tables.js';
import { defaultDatabasePath } from '../records/store/duckdb-store.js';

interface QueryFlags {
  file?: string;
  db: string;
  format: 'table' | 'json' | 'csv';
  maxRows: number;
  timeout: number;
}

export function registerQueryCommands(program: Command): void {
  program
    .command('query')
    .description('Run a query and print its result.')
    .argument('[kql]', 'the query text (or use -f)')
    .option('-f, --file <path>', 'read the query from a .kql file')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--max-rows <n>', 'row limit; larger results are truncated', positiveInt('--max-rows'), defaultQueryLimits.maxRows)
    .option('--timeout <seconds>', 'stop the query after this many seconds', positiveInt('--timeout'), 30)
    .action(async (kql: string | undefined, flags: QueryFlags) => {
      const text = queryText(kql, flags.file);
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      // The same runner as the server's, on the file: its row and time limits are the flags.
      const runner = localRunner({ db: flags.db, maxRows: flags.maxRows, timeoutMs: flags.timeout * 1000 });
      const outcome = await runner.run({ text, signal: controller.signal });
      if (!outcome.ok) return 'busy' in outcome ? usage('Too many queries at once.') : reportErrors(text, outcome.diagnostics);
      const { result } = outcome;
      const out = flags.format === 'json' ? formatJson(result) : flags.format === 'csv' ? formatCsv(result) : formatTable(result, { color: process.stdout.isTTY });
      process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    });

  program
    .command('sql')
    .description('Print the SQL a query compiles to, without running it.')
    .argument('[kql]', 'the query text (or use -f)')
    .option('-f, --file <path>', 'read the query from a .kql file')
    .action((kql: string | undefined, flags: { file?: string }) => {
      const text = queryText(kql, flags.file);
      const compiled = compile(text);
      if (!compiled.ok) return reportErrors(text, compiled.diagnostics);
      process.stdout.write(`${compiled.sql}\n`);
    });

  program
    .command('schema')
    .description('List the tables, or the columns of one table with their types.')
    .argument('[table]', 'a table name')
    .action((name: string | undefined) => {
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
    });
}

function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} needs a whole number above 0, got '${value}'.`);
    return n;
  };
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
