/**
 * `upkeep workspace show` and `upkeep token create`: they read and change the workspace file
 * beside the database, never the database itself, so they work while `upkeep serve` runs (the
 * server notices the changed file on its next request).
 */
import { Command, Option } from 'commander';
import { defaultDatabasePath } from '../store/duckdb-store.js';
import { roles, type Role } from '../workspace/credentials.js';
import { createToken, ensureWorkspace, workspaceFileOf } from '../workspace/workspace-file.js';

interface FormatFlags {
  db: string;
  format: 'json' | 'table';
}

export function registerWorkspaceCommands(program: Command): void {
  const workspace = program.command('workspace').description('The workspace identity kept beside the database.');
  workspace
    .command('show')
    .description('Print the workspace id and primary key agents sign with (creates the workspace if missing).')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((flags: FormatFlags) => {
      const { workspace: ws, adminToken } = ensureWorkspace(flags.db);
      announceCreation(flags.db, adminToken);
      const shown = { workspaceId: ws.workspaceId, primaryKey: ws.primaryKey };
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(shown)}\n` : `Workspace id  ${shown.workspaceId}\nPrimary key   ${shown.primaryKey}\n`);
    });

  const token = program.command('token').description('Bearer tokens for the query and ingestion APIs.');
  token
    .command('create')
    .description('Create a token (shown once; only its salted hash is stored).')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...roles]).makeOptionMandatory())
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((flags: FormatFlags & { role: Role }) => {
      const { adminToken } = ensureWorkspace(flags.db);
      announceCreation(flags.db, adminToken);
      const text = createToken(flags.db, flags.role);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ token: text, role: flags.role })}\n` : `${flags.role} token (shown once): ${text}\n`);
    });
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['json', 'table']).default('table');
}

/** A workspace created by a CLI command: its admin token goes to stderr so stdout stays parseable. */
function announceCreation(db: string, adminToken: string | undefined): void {
  if (adminToken === undefined) return;
  process.stderr.write(`Created a new workspace in ${workspaceFileOf(db)}. Admin token (shown only now): ${adminToken}\n`);
}
