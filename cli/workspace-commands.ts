/**
 * `upkeep workspace show|rotate-key` and `upkeep token list|create|revoke`: they read and change
 * the workspace file beside the database, never the database itself, so they work while
 * `upkeep serve` runs (the server notices the changed file on its next request). The admin API
 * (server/tokens-route.ts) makes the same changes over HTTP. Their flags; what they do is in
 * workspace-actions.ts, loaded when one runs.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultDatabasePath } from '../records/store/database-path.js';
import { roles, type Role } from '../app/workspace/credentials.js';
import { DEFAULT_KEY_GRACE_HOURS } from '../app/workspace/tokens.js';
import type { FormatFlags } from './workspace-actions.js';

const actions = () => import('./workspace-actions.js');

export function registerWorkspaceCommands(program: Command): void {
  const workspace = program.command('workspace').description('The workspace identity kept beside the database.');
  workspace
    .command('show')
    .description('Print the workspace id and primary key agents sign with (creates the workspace if missing).')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action(async (flags: FormatFlags) => (await actions()).workspaceShow(flags));
  workspace
    .command('rotate-key')
    .description('Replace the primary key; the old key keeps working for --grace-hours so agents can be given the new one.')
    .option('--grace-hours <hours>', 'hours the old key stays valid (0 to 168; 0 ends it at once)', graceHours, DEFAULT_KEY_GRACE_HOURS)
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action(async (flags: FormatFlags & { graceHours: number }, command: Command) => (await actions()).workspaceRotateKey(flags, command));

  const token = program.command('token').description('Bearer tokens for the APIs and the workbench.');
  token
    .command('create')
    .description('Create a token (shown once; only its salted hash is stored).')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...roles]).makeOptionMandatory())
    .option('--label <text>', 'what the token is for, shown by token list')
    .option('--machine <name>', 'agent tokens: the registered machine (FQDN, machine id or agent id) it may act for')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action(async (flags: FormatFlags & { role: Role; label?: string; machine?: string }, command: Command) => (await actions()).tokenCreate(flags, command));
  token
    .command('list')
    .description('List tokens: id, role, label, machine, created and revoked (never their secrets).')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action(async (flags: FormatFlags) => (await actions()).tokenList(flags));
  token
    .command('revoke')
    .description('Revoke a token at once (the running server refuses it from its next request).')
    .argument('<id>', 'the token id (token list; the part after upk_ in the token)')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action(async (id: string, flags: FormatFlags, command: Command) => (await actions()).tokenRevoke(id, flags, command));
}

function graceHours(text: string): number {
  const hours = Number(text);
  if (text.trim() === '' || !Number.isFinite(hours) || hours < 0 || hours > 168) throw new InvalidArgumentError(`'${text}' is not a number of hours from 0 to 168.`);
  return hours;
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['json', 'table']).default('table');
}
