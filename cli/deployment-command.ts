/**
 * `upkeep deployment create|list|show|update|delete|occurrences`: update deployments through a
 * running server's HTTP API (--server, --token or UPKEEP_TOKEN). Definitions come from flags
 * or from --file deployment.json; the server validates, and its problems print one per line.
 * Their flags; what they do is in deployment-actions.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { ConnectionFlags, DefinitionFlags } from './deployment-actions.js';
import { withServerConnection } from './server-connection.js';

const actions = () => import('./deployment-actions.js');
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerDeploymentCommand(program: Command): void {
  const deployment = program.command('deployment').description('Update deployments: what to install where and when (talks to a running `upkeep serve`).');

  withDefinitionFlags(withConnection(deployment.command('create').description('Create a deployment from flags or --file deployment.json.'))).action(async (flags: DefinitionFlags) =>
    (await actions()).create(flags),
  );

  withConnection(deployment.command('list').description('List deployments.')).action(async (flags: ConnectionFlags) => (await actions()).list(flags));

  withConnection(deployment.command('show').argument('<id-or-name>').description('Show a deployment as JSON.')).action(async (idOrName: string, flags: ConnectionFlags) =>
    (await actions()).show(idOrName, flags),
  );

  withDefinitionFlags(withConnection(deployment.command('update').argument('<id-or-name>').description('Change a deployment: the flags given (or --file, a whole definition) replace those fields.'))).action(
    async (idOrName: string, flags: DefinitionFlags) => (await actions()).update(idOrName, flags),
  );

  withConnection(deployment.command('delete').argument('<id-or-name>').description('Delete a deployment (refused while its runs are in progress).')).action(async (idOrName: string, flags: ConnectionFlags) =>
    (await actions()).remove(idOrName, flags),
  );

  withConnection(deployment.command('occurrences').argument('<id-or-name>').description('The next times the deployment runs (UTC and its own time zone).'))
    .option('--count <n>', 'how many', '10')
    .action(async (idOrName: string, flags: ConnectionFlags & { count: string }) => (await actions()).occurrences(idOrName, flags));
}

function withConnection(command: Command): Command {
  return withServerConnection(command, '; operator or admin to change, reader to read');
}

function withDefinitionFlags(command: Command): Command {
  return command
    .option('--file <path>', 'the definition as JSON (flags given as well override its fields)')
    .option('--name <name>', 'unique name')
    .option('--os <os>', 'Windows or Linux')
    .option('--classification <c>', 'classification, repeatable or comma-separated (critical, security, other, or the full name)', collect)
    .option('--exclude <update>', 'excluded update: KB number (Windows) or package pattern such as kernel* (Linux); repeatable', collect)
    .option('--include <update>', 'only these updates, same forms; repeatable', collect)
    .option('--machine <computer>', 'target machine (Computer name); repeatable or comma-separated', collect)
    .option('--group-query <kql>', 'computer group evaluated now: KQL returning a Computer column; repeatable', collect)
    .option('--group-name <name>', 'name of the --group-query at the same position', collect)
    .option('--dynamic-group-query <kql>', 'computer group re-evaluated at every run; repeatable', collect)
    .option('--dynamic-group-name <name>', 'name of the --dynamic-group-query at the same position', collect)
    .option('--saved-search <name>', 'computer group from a saved search; repeatable', collect)
    .option('--start <local>', 'first run, local time in --time-zone: YYYY-MM-DDTHH:mm')
    .option('--time-zone <zone>', 'IANA time zone (default: this machine\'s)')
    .option('--every <interval>', 'once (default), or N hours / days / weeks / months, e.g. "2 weeks"')
    .option('--weekdays <days>', 'for weekly: e.g. tue,thu')
    .option('--month-days <days>', 'for monthly: e.g. 1,15,-1 (-1 = last day)')
    .option('--monthly <nth day>', 'for monthly: e.g. "second Tuesday", "last Friday"')
    .option('--expiry <local>', 'no run after this local time: YYYY-MM-DDTHH:mm')
    .option('--window <minutes>', 'maintenance window, 30–360 minutes')
    .option('--reboot [option]', 'IfRequired (default), Always, Never or RebootOnly; bare --reboot = Always')
    .option('--ring-percents <list>', 'rollout rings, percentages adding up to 100, e.g. 10,40,50')
    .option('--failure-threshold <percent>', 'stop before the next ring when more than this % of a ring failed')
    .option('--pre-webhook <url>', 'POSTed before a run starts')
    .option('--post-webhook <url>', 'POSTed after a run ends')
    .option('--disabled', 'create or set it disabled')
    .option('--enabled', 'set it enabled');
}
