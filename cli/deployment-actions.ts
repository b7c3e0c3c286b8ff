/** What `upkeep deployment create|list|show|update|delete|occurrences` do (their flags are in deployment-command.ts). */
import { readFileSync } from 'node:fs';
import type { Deployment } from '../contracts/updates.js';
import { ApiError, DeploymentClient } from '../app/updates/deployments/deployment-client.js';
import { deploymentFromFlags, FlagError, type DeploymentFlags } from '../app/updates/deployments/deployment-flags.js';
import { describeSchedule } from '../app/updates/deployments/describe.js';
import { textTable } from './server-connection.js';

export interface ConnectionFlags {
  server: string;
  token?: string;
  format?: 'json' | 'table';
}

export type DefinitionFlags = DeploymentFlags & ConnectionFlags & { file?: string };

export function create(flags: DefinitionFlags): Promise<void> {
  return run(async () => {
    const body = flags.file ? { ...readDefinition(flags.file), ...deploymentFromFlags(flags, readDefinition(flags.file)) } : withCreateDefaults(deploymentFromFlags(flags));
    const created = await client(flags).create(body);
    print(flags, created, `Created deployment "${created.name}" (${created.id}): ${describeSchedule(created)}.`);
  });
}

export function list(flags: ConnectionFlags): Promise<void> {
  return run(async () => {
    const all = await client(flags).list();
    if (flags.format === 'json') return write(`${JSON.stringify(all, null, 2)}\n`);
    if (all.length === 0) return write('No deployments. Create one with `upkeep deployment create`.\n');
    write(table(['Id', 'Name', 'OS', 'Enabled', 'Schedule'], all.map((d) => [d.id, d.name, d.os, d.enabled ? 'yes' : 'no', describeSchedule(d)])));
  });
}

export function show(idOrName: string, flags: ConnectionFlags): Promise<void> {
  return run(async () => write(`${JSON.stringify(await client(flags).resolve(idOrName), null, 2)}\n`));
}

export function update(idOrName: string, flags: DefinitionFlags): Promise<void> {
  return run(async () => {
    const api = client(flags);
    const current = await api.resolve(idOrName);
    const base: Record<string, unknown> = flags.file ? readDefinition(flags.file) : inputOf(current);
    const updated = await api.replace(current.id, { ...base, ...deploymentFromFlags(flags, base) });
    print(flags, updated, `Updated deployment "${updated.name}" (${updated.id}): ${describeSchedule(updated)}.`);
  });
}

export function remove(idOrName: string, flags: ConnectionFlags): Promise<void> {
  return run(async () => {
    const api = client(flags);
    const current = await api.resolve(idOrName);
    await api.delete(current.id);
    write(`Deleted deployment "${current.name}" (${current.id}).\n`);
  });
}

export function occurrences(idOrName: string, flags: ConnectionFlags & { count: string }): Promise<void> {
  return run(async () => {
    const api = client(flags);
    const current = await api.resolve(idOrName);
    const next = await api.occurrences(current.id, Number(flags.count));
    if (flags.format === 'json') return write(`${JSON.stringify(next)}\n`);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: current.schedule.timeZone, dateStyle: 'short', timeStyle: 'short' });
    write(next.length === 0 ? 'The deployment does not run again.\n' : next.map((at) => `${at}  (${local.format(new Date(at))} ${current.schedule.timeZone})\n`).join(''));
  });
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
