/**
 * `upkeep saved list|show|create|update|delete|users`: saved searches through a running server's
 * HTTP API (--server, --token or UPKEEP_TOKEN). A saved search is also a function other queries
 * call by its name, and a computer group when it returns a Computer column. Their flags; what
 * they do is in saved-actions.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { ConnectionFlags, DefinitionFlags } from './saved-actions.js';
import { withServerConnection } from './server-connection.js';

const actions = () => import('./saved-actions.js');

export function registerSavedCommand(program: Command): void {
  const saved = program.command('saved').description('Saved searches: named queries, usable by name in other queries and as computer groups (talks to a running `upkeep serve`).');

  withConnection(saved.command('list').description('List saved searches by category.'))
    .option('--category <category>', 'only this category')
    .action(async (flags: ConnectionFlags & { category?: string }) => (await actions()).list(flags));

  withConnection(saved.command('show').argument('<id-or-name>').description('Show a saved search.')).action(async (idOrName: string, flags: ConnectionFlags) =>
    (await actions()).show(idOrName, flags),
  );

  withDefinition(withConnection(saved.command('create').description('Create a saved search from --name and --query (or --query-file).'))).action(async (flags: DefinitionFlags) =>
    (await actions()).create(flags),
  );

  withDefinition(withConnection(saved.command('update').argument('<id-or-name>').description('Change a saved search: the flags given replace those fields.'))).action(
    async (idOrName: string, flags: DefinitionFlags) => (await actions()).update(idOrName, flags),
  );

  withConnection(saved.command('delete').argument('<id-or-name>').description('Delete a saved search (refused while deployments, alert rules or other saved searches use it).')).action(
    async (idOrName: string, flags: ConnectionFlags) => (await actions()).remove(idOrName, flags),
  );

  withConnection(saved.command('users').argument('<id-or-name>').description('What uses a saved search (and so blocks renaming or deleting it).')).action(async (idOrName: string, flags: ConnectionFlags) =>
    (await actions()).users(idOrName, flags),
  );
}

function withConnection(command: Command): Command {
  return withServerConnection(command, '; operator or admin to change, reader to read');
}

function withDefinition(command: Command): Command {
  return command
    .option('--name <name>', 'the name queries call it by: letters, digits and _, e.g. LinuxWebServers')
    .option('--category <category>', 'e.g. "Computer groups"')
    .option('--description <text>', 'what it finds')
    .option('--query <kql>', 'the KQL')
    .option('--query-file <path>', 'read the KQL from a file (e.g. a .kql file)');
}
