/** `upkeep query`, `upkeep sql`, `upkeep schema`: their flags; what they do is in query-actions.ts, loaded when one runs. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultQueryLimits } from '../query/limits.js';
import { defaultDatabasePath } from '../records/store/database-path.js';
import type { QueryFlags } from './query-actions.js';

const actions = () => import('./query-actions.js');

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
    .action(async (kql: string | undefined, flags: QueryFlags) => (await actions()).query(kql, flags));

  program
    .command('sql')
    .description('Print the SQL a query compiles to, without running it.')
    .argument('[kql]', 'the query text (or use -f)')
    .option('-f, --file <path>', 'read the query from a .kql file')
    .action(async (kql: string | undefined, flags: { file?: string }) => (await actions()).sql(kql, flags));

  program
    .command('schema')
    .description('List the tables, or the columns of one table with their types.')
    .argument('[table]', 'a table name')
    .action(async (name: string | undefined) => (await actions()).schema(name));
}

function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} needs a whole number above 0, got '${value}'.`);
    return n;
  };
}
