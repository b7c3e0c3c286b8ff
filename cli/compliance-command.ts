/** `upkeep compliance machines|updates`: the compliance views, run locally on the database file. What they do is in compliance-action.ts, loaded when one runs. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultDatabasePath } from '../records/store/database-path.js';
import type { ViewFlags } from './compliance-action.js';

const action = () => import('./compliance-action.js');

export function registerComplianceCommand(program: Command): void {
  const compliance = program.command('compliance').description('Compliance views computed from the records: machines and the updates they miss.');
  withCommon(compliance.command('machines').description("Each machine's compliance, readiness and missing updates (from its latest assessment)."))
    .option('--compliance <value>', 'compliant, noncompliant, critical, security, other, upToDate or notAssessed')
    .option('--readiness <value>', 'Ready, Disconnected or NotConfigured')
    .action(async (flags: ViewFlags) => (await action()).runView('machines', flags));
  withCommon(compliance.command('updates').description('Each missing update with the number of machines that need it.'))
    .option('--classification <name>', 'e.g. "Security Updates"')
    .action(async (flags: ViewFlags) => (await action()).runView('updates', flags));
}

function withCommon(command: Command): Command {
  return command
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--os <os>', 'Windows or Linux')
    .option('--show-query', 'print the KQL the view runs (to paste into upkeep query or log search)')
    .option('--now <iso>', "evaluate as of this time, e.g. a sample fleet's end (default: now)", parseInstant);
}

function parseInstant(value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`--now needs an ISO time such as 2024-06-01T12:00:00Z, got '${value}'.`);
  return at;
}
