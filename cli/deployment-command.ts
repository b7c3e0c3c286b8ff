/**
 * `upkeep deployment create|list|show|update|delete|occurrences`: update deployments through a
 * running server's HTTP API (--server, --token or UPKEEP_TOKEN). Definitions come from flags
 * or from --file deployment.json; the server validates, and its problems print one per line.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Deployment } from '../contracts/updates.js';
import { ApiError, DeploymentClient } from '../app/updates/deployments/deployment-client.js';
import { deploymentFromFlags, FlagError, type DeploymentFlags } from '../app/updates/deployments/deployment-flags.js';
import { describeSchedule } from '../app/updates/deployments/describe.js';
import { textTable, withServerConnection } from './server-connection.js';

interface ConnectionFlags {
  server: string;
  token?: string;
  format?: 'json' | 'table';
}

type DefinitionFlags = DeploymentFlags & ConnectionFlags & { file?: string };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerDeploymentCommand(program: Command): void {
  const deployment = program.command('deployment').description('Update deployments: what to install where and when (talks to a running `upkeep serve`).');

  withDefinitionFlags(withConnection(deployment.command('create').description('Create a deployment from flags or --file deployment.json.'))).action(
    (flags: DefinitionFlags) => run(async () => {
      const body = flags.file ? { ...readDefinition(flags.file), ...deploymentFromFlags(flags, readDefinition(flags.file)) } : withCreateDefaults(deploymentFromFlags(flags));
      const created = await client(flags).create(body);
      print(flags, created, `Created deployment "${created.name}" (${created.id}): ${describeSchedule(created)}.`);
    }),
  );

  withConnection(deployment.command('list').description('List deployments.')).action((flags: ConnectionFlags) =>
    run(async () => {
      const all = await client(flags).list();
      if (flags.format === 'json') return write(`${JSON.stringify(all, null, 2)}\n`);
      if (all.length === 0) return write('No deployments. Create one with `upkeep deployment create`.\n');
      write(table(['Id', 'Name', 'OS', 'Enabled', 'Schedule'], all.map((d) => [d.id, d.name, d.os, d.enabled ? 'yes' : 'no', describeSchedule(d)])));
    }),
  );

  withConnection(deployment.command('show').argument('<id-or-name>').description('Show a deployment as JSON.')).action((idOrName: string, flags: ConnectionFlags) =>
    run(async () => write(`${JSON.stringify(await client(flags).resolve(idOrName), null, 2)}\n`)),
  );

  withDefinitionFlags(withConnection(deployment.command('update').argument('<id-or-name>').description('Change a deployment: the flags given (or --file, a whole definition) replace those fields.'))).action(
    (idOrName: string, flags: DefinitionFlags) => run(async () => {
      const api = client(flags);
      const current = await api.resolve(idOrName);
      const base: Record<string, unknown> = flags.file ? readDefinition(flags.file) : inputOf(current);
      const updated = await api.replace(current.id, { ...base, ...deploymentFromFlags(flags, base) });
      print(flags, updated, `Updated deployment "${updated.name}" (${updated.id}): ${describeSchedule(updated)}.`);
    }),
  );

  withConnection(deployment.command('delete').argument('<id-or-name>').description('Delete a deployment (refused while its runs are in progress).')).action((idOrName: string, flags: ConnectionFlags) =>
    run(async () => {
      const api = client(flags);
      const current = await api.resolve(idOrName);
      await api.delete(current.id);
      write(`Deleted deployment "${current.name}" (${current.id}).\n`);
    }),
  );

  withConnection(deployment.command('occurrences').argument('<id-or-name>').description('The next times the deployment runs (UTC and its own time zone).'))
    .option('--count <n>', 'how many', '10')
    .action((idOrName: string, flags: ConnectionFlags & { count: string }) =>
      run(async () => {
        const api = client(flags);
        const current = await api.resolve(idOrName);
        const next = await api.occurrences(current.id, Number(flags.count));
        if (flags.format === 'json') return write(`${JSON.stringify(next)}\n`);
        const local = new Intl.DateTimeFormat('sv-SE', { timeZone: current.schedule.timeZone, dateStyle: 'short', timeStyle: 'short' });
        write(next.length === 0 ? 'The deployment does not run again.\n' : next.map((at) => `${at}  (${local.format(new Date(at))} ${current.schedule.timeZone})\n`).join(''));
      }),
    );
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

/** What a new deployment made from flags needs beyond them: a window and the classifications that matter most. */
function withCreateDefaults(body: Record<string, unknown>): Record<string, unknown> {
  return { classifications: ['Critical Updates', 'Security Updates'], windowMinutes: 120, ...body };
}

function inputOf(deployment: Deployment): Record<string, unknown> {
  const { id: _id, createdAt: _created, updatedAt: _updated, frozenGroups: _frozen, ...input } = deployment;
  return input;
}

function readDefinition(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FlagError(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path given to --file.`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new FlagError(`${path} is not a JSON object with a deployment (${(error as Error).message}).`);
  }
}

function client(flags: ConnectionFlags): DeploymentClient {
  return new DeploymentClient({ server: flags.server, token: flags.token ?? process.env.UPKEEP_TOKEN });
}

function print(flags: ConnectionFlags, deployment: Deployment, summary: string): void {
  write(flags.format === 'json' ? `${JSON.stringify(deployment, null, 2)}\n` : `${summary}\n`);
}

/** Refusals print their problems one per line and exit 1; bad flags exit 2. */
async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError) {
      process.stderr.write(`upkeep: ${error.message}\n${error.problems.map((p) => `  ${p.field || '(definition)'}: ${p.message}\n`).join('')}`);
      process.exitCode = 1;
    } else if (error instanceof FlagError) {
      process.stderr.write(`upkeep: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}

function write(text: string): void {
  process.stdout.write(text);
}

function table(header: string[], rows: string[][]): string {
  return `${textTable(header, rows)}
`;
}
