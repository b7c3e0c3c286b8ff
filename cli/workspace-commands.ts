/**
 * `upkeep workspace show|rotate-key` and `upkeep token list|create|revoke`: they read and change
 * the workspace file beside the database, never the database itself, so they work while
 * `upkeep serve` runs (the server notices the changed file on its next request). The admin API
 * (server/tokens-route.ts) makes the same changes over HTTP.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultDatabasePath } from '../records/store/duckdb-store.js';
import { roles, type Role } from '../app/workspace/credentials.js';
import { DEFAULT_KEY_GRACE_HOURS, keysView, revokeToken, rotateKey, TokenChangeError, tokenSummaries, type TokenSummary } from '../app/workspace/tokens.js';
import { createTokenWithSummary, ensureWorkspace, updateWorkspace, workspaceFileOf, type Workspace } from '../app/workspace/workspace-file.js';

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
      const shown = keysView(ws, new Date());
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(shown)}\n` : keysTable(shown));
    });
  workspace
    .command('rotate-key')
    .description('Replace the primary key; the old key keeps working for --grace-hours so agents can be given the new one.')
    .option('--grace-hours <hours>', 'hours the old key stays valid (0 to 168; 0 ends it at once)', graceHours, DEFAULT_KEY_GRACE_HOURS)
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((flags: FormatFlags & { graceHours: number }, command: Command) => {
      const ensured = ensureWorkspace(flags.db);
      announceCreation(flags.db, ensured.adminToken);
      const now = new Date();
      const rotated = changeFile(command, flags.db, (current) => rotateKey(current, flags.graceHours, now));
      const shown = keysView(rotated, now);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(shown)}\n` : keysTable(shown));
    });

  const token = program.command('token').description('Bearer tokens for the APIs and the workbench.');
  token
    .command('create')
    .description('Create a token (shown once; only its salted hash is stored).')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...roles]).makeOptionMandatory())
    .option('--label <text>', 'what the token is for, shown by token list')
    .option('--machine <name>', 'agent tokens: the registered machine (FQDN, machine id or agent id) it may act for')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((flags: FormatFlags & { role: Role; label?: string; machine?: string }, command: Command) => {
      const { adminToken } = ensureWorkspace(flags.db);
      announceCreation(flags.db, adminToken);
      const { text, summary } = refusing(command, () =>
        createTokenWithSummary(flags.db, { role: flags.role, ...(flags.label !== undefined ? { label: flags.label } : {}), ...(flags.machine !== undefined ? { machine: flags.machine } : {}) }),
      );
      const bound = summary.computer !== undefined ? ` for ${summary.computer}` : '';
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ token: text, ...summary })}\n` : `${flags.role} token${bound} (shown once): ${text}\n`);
    });
  token
    .command('list')
    .description('List tokens: id, role, label, machine, created and revoked (never their secrets).')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((flags: FormatFlags) => {
      const { workspace: ws, adminToken } = ensureWorkspace(flags.db);
      announceCreation(flags.db, adminToken);
      const tokens = tokenSummaries(ws);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ tokens })}\n` : tokensTable(tokens));
    });
  token
    .command('revoke')
    .description('Revoke a token at once (the running server refuses it from its next request).')
    .argument('<id>', 'the token id (token list; the part after upk_ in the token)')
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .addOption(formatOption())
    .action((id: string, flags: FormatFlags, command: Command) => {
      let revoked: TokenSummary | undefined;
      changeFile(command, flags.db, (current) => {
        const outcome = revokeToken(current, id.replace(/^upk_([0-9a-f]{12})_.*$/, '$1'), new Date());
        revoked = outcome.summary;
        return outcome.workspace;
      });
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(revoked)}\n` : `Revoked ${revoked!.role} token ${revoked!.id} at ${revoked!.revokedAt}.\n`);
    });
}

/** A change of an existing workspace file under its lock; a refused change is a usage error naming the fix. */
function changeFile(command: Command, db: string, change: (current: Workspace) => Workspace): Workspace {
  const file = workspaceFileOf(db);
  return refusing(command, () =>
    updateWorkspace(file, (current) => {
      if (!current) throw new TokenChangeError(404, 'NoWorkspace', `${file} does not exist: start \`upkeep serve --db ${db}\` or run \`upkeep workspace show --db ${db}\` first.`);
      return change(current);
    }),
  );
}

function refusing<T>(command: Command, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TokenChangeError) return command.error(`upkeep: ${error.message}`, { exitCode: 1, code: `upkeep.${error.code}` });
    throw error;
  }
}

function tokensTable(tokens: readonly TokenSummary[]): string {
  if (tokens.length === 0) return 'No tokens.\n';
  const rows = tokens.map((t) => [t.id, t.role, t.revokedAt ? `revoked ${t.revokedAt}` : 'active', t.computer ?? t.agentId ?? '', t.createdAt, t.label ?? '']);
  const header = ['ID', 'ROLE', 'STATE', 'MACHINE', 'CREATED', 'LABEL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function keysTable(keys: ReturnType<typeof keysView>): string {
  const previous = keys.previousKeyValidUntil === null ? '' : `Previous key  still accepted until ${keys.previousKeyValidUntil}\n`;
  return `Workspace id  ${keys.workspaceId}\nPrimary key   ${keys.primaryKey}\n${previous}`;
}

function graceHours(text: string): number {
  const hours = Number(text);
  if (text.trim() === '' || !Number.isFinite(hours) || hours < 0 || hours > 168) throw new InvalidArgumentError(`'${text}' is not a number of hours from 0 to 168.`);
  return hours;
}

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['json', 'table']).default('table');
}

/** A workspace created by a CLI command: its admin token goes to stderr so stdout stays parseable. */
function announceCreation(db: string, adminToken: string | undefined): void {
  if (adminToken === undefined) return;
  process.stderr.write(`Created a new workspace in ${workspaceFileOf(db)}. Admin token (shown only now): ${adminToken}\n`);
}
