/**
 * `upkeep alert list|show|create|delete|instances|evaluate`: scheduled alert rules through a
 * running server's HTTP API (--server, --token or UPKEEP_TOKEN: reader to read, operator to
 * change). A rule comes from --file rule.json (e.g. samples/alert-rules/*.json), flags override
 * its fields; the server validates, and its problems print one per line. Their flags; what they
 * do is in alert-actions.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { ApiFlags, CreateFlags } from './alert-actions.js';
import { withServerConnection } from './server-connection.js';

const actions = () => import('./alert-actions.js');
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAlertCommand(program: Command): void {
  const alert = program.command('alert').description('Scheduled alert rules (talks to a running `upkeep serve`).');

  withApi(alert.command('list').description('List alert rules.')).action(async (flags: ApiFlags) => (await actions()).list(flags));

  withApi(alert.command('show').argument('<id-or-name>').description('Show an alert rule as JSON.')).action(async (idOrName: string, flags: ApiFlags) => (await actions()).show(idOrName, flags));

  withApi(alert.command('create').description('Create an alert rule from --file rule.json; flags override its fields.'))
    .requiredOption('--file <path>', 'the rule as JSON, e.g. samples/alert-rules/automatic-updates-disabled.json')
    .option('--name <name>', 'unique name (overrides the file\'s)')
    .option('--webhook <url>', 'webhook to POST state changes to; repeatable (replaces the file\'s)', collect)
    .option('--disabled', 'create it disabled')
    .action(async (flags: CreateFlags) => (await actions()).create(flags));

  withApi(alert.command('delete').argument('<id-or-name>').description('Delete an alert rule.')).action(async (idOrName: string, flags: ApiFlags) => (await actions()).remove(idOrName, flags));

  withApi(alert.command('instances').argument('<id-or-name>').description('The current state of each alert instance of a rule.')).action(async (idOrName: string, flags: ApiFlags) =>
    (await actions()).instances(idOrName, flags),
  );

  withApi(alert.command('evaluate').argument('<id-or-name>').description('Evaluate the rule now, as a test: nothing is stored and nobody is notified.')).action(async (idOrName: string, flags: ApiFlags) =>
    (await actions()).evaluate(idOrName, flags),
  );
}

function withApi(command: Command): Command {
  return withServerConnection(command, '; reader to read, operator or admin to change');
}
