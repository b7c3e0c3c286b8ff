/** What `upkeep workspace show|rotate-key` and `upkeep token list|create|revoke` do (their flags are in workspace-commands.ts). */
import type { Command } from 'commander';
import type { Role } from '../app/workspace/credentials.js';
import { keysView, revokeToken, rotateKey, TokenChangeError, tokenSummaries, type TokenSummary } from '../app/workspace/tokens.js';
import { createTokenWithSummary, ensureWorkspace, updateWorkspace, workspaceFileOf, type Workspace } from '../app/workspace/workspace-file.js';

export interface FormatFlags {
  db: string;
  format: 'json' | 'table';
}

export function workspaceShow(flags: FormatFlags): void {
  const { workspace: ws, adminToken } = ensureWorkspace(flags.db);
  announceCreation(flags.db, adminToken);
  const shown = keysView(ws, new Date());
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(shown)}\n` : keysTable(shown));
}

export function workspaceRotateKey(flags: FormatFlags & { graceHours: number }, command: Command): void {
  const ensured = ensureWorkspace(flags.db);
  announceCreation(flags.db, ensured.adminToken);
  const now = new Date();
  const rotated = changeFile(command, flags.db, (current) => rotateKey(current, flags.graceHours, now));
  const shown = keysView(rotated, now);
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(shown)}\n` : keysTable(shown));
}

export function tokenCreate(flags: FormatFlags & { role: Role; label?: string; machine?: string }, command: Command): void {
  const { adminToken } = ensureWorkspace(flags.db);
  announceCreation(flags.db, adminToken);
  const { text, summary } = refusing(command, () =>
    createTokenWithSummary(flags.db, { role: flags.role, ...(flags.label !== undefined ? { label: flags.label } : {}), ...(flags.machine !== undefined ? { machine: flags.machine } : {}) }),
  );
  const bound = summary.computer !== undefined ? ` for ${summary.computer}` : '';
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ token: text, ...summary })}\n` : `${flags.role} token${bound} (shown once): ${text}\n`);
}

export function tokenList(flags: FormatFlags): void {
  const { workspace: ws, adminToken } = ensureWorkspace(flags.db);
  announceCreation(flags.db, adminToken);
  const tokens = tokenSummaries(ws);
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ tokens })}\n` : tokensTable(tokens));
}

export function tokenRevoke(id: string, flags: FormatFlags, command: Command): void {
  let revoked: TokenSummary | undefined;
  changeFile(command, flags.db, (current) => {
    const outcome = revokeToken(current, id.replace(/^upk_([0-9a-f]{12})_.*$/, '$1'), new Date());
    revoked = outcome.summary;
    return outcome.workspace;
  });
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(revoked)}\n` : `Revoked ${revoked!.role} token ${revoked!.id} at ${revoked!.revokedAt}.\n`);
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

/** A workspace created by a CLI command: its admin token goes to stderr so stdout stays parseable. */
function announceCreation(db: string, adminToken: string | undefined): void {
  if (adminToken === undefined) return;
  process.stderr.write(`Created a new workspace in ${workspaceFileOf(db)}. Admin token (shown only now): ${adminToken}\n`);
}
