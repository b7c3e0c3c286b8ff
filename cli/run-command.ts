/**
 * `upkeep run list <deploymentId>`, `upkeep run show <runId> [--machine <computer>]`,
 * `upkeep run cancel <runId>`: the runs API of a running server, with a bearer token
 * (--token or UPKEEP_TOKEN; reader for list/show, operator for cancel). Their flags; what they do
 * is in run-actions.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { ApiFlags } from './run-actions.js';
import { withServerConnection } from './server-connection.js';

const actions = () => import('./run-actions.js');

export function registerRunCommand(program: Command): void {
  const run = program.command('run').description('Runs of update deployments on a running server.');
  withApi(run.command('list').description("A deployment's runs, newest first.").argument('<deploymentId>'))
    .action(async (deploymentId: string, flags: ApiFlags) => (await actions()).list(deploymentId, flags));
  withApi(run.command('show').description('A run machine by machine, or one machine update by update.').argument('<runId>').option('--machine <computer>', 'show this machine\'s updates'))
    .action(async (runId: string, flags: ApiFlags & { machine?: string }) => (await actions()).show(runId, flags));
  withApi(run.command('cancel').description('Cancel a run: machines not started are canceled, running agents stop.').argument('<runId>'))
    .action(async (runId: string, flags: ApiFlags) => (await actions()).cancel(runId, flags));
}

function withApi(command: Command): Command {
  return withServerConnection(command, '');
}
