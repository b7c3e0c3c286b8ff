/** What `upkeep saved list|show|create|update|delete|users` do (their flags are in saved-command.ts). */
import { readFileSync } from 'node:fs';
import type { SavedSearch, SavedSearchInput } from '../contracts/saved.js';
import { SavedApiError, SavedSearchClient } from '../app/saved/saved-search-client.js';
import { describeUser } from '../app/saved/saved-search-service.js';
import { textTable } from './server-connection.js';

export interface ConnectionFlags {
  server: string;
  token?: string;
  format: 'json' | 'table';
}

export interface DefinitionFlags extends ConnectionFlags {
  name?: string;
  category?: string;
  description?: string;
  query?: string;
  queryFile?: string;
}

class UsageError extends Error {}

export function list(flags: ConnectionFlags & { category?: string }): Promise<void> {
  return run(async () => {
    const all = (await client(flags).list()).filter((s) => flags.category === undefined || s.category.toLowerCase() === flags.category.toLowerCase());
    if (flags.format === 'json') return write(`${JSON.stringify(all, null, 2)}\n`);
    if (all.length === 0) return write('No saved searches. Create one with `upkeep saved create --name <Name> --query <kql>`.\n');
    write(table(['Category', 'Name', 'Description'], all.map((s) => [s.category || '-', s.name, oneLine(s.description)])));
  });
}

export function show(idOrName: string, flags: ConnectionFlags): Promise<void> {
  return run(async () => {
    const found = await client(flags).get(idOrName);
    write(flags.format === 'json' ? `${JSON.stringify(found, null, 2)}\n` : describe(found));
  });
}

export function create(flags: DefinitionFlags): Promise<void> {
  return run(async () => {
    const created = await client(flags).create(definitionOf(flags));
    print(flags, created, `Created saved search ${created.name} (${created.id}); use it in a query as ${created.name}.`);
  });
}

export function update(idOrName: string, flags: DefinitionFlags): Promise<void> {
  return run(async () => {
    const api = client(flags);
    const current = await api.get(idOrName);
    const { name, category, description, query } = current;
    const updated = await api.replace(current.id, { name, category, description, query, ...definitionOf(flags) });
    print(flags, updated, `Updated saved search ${updated.name} (${updated.id}).`);
  });
}

export function remove(idOrName: string, flags: ConnectionFlags): Promise<void> {
  return run(async () => {
    const api = client(flags);
    const current = await api.get(idOrName);
    await api.delete(current.id);
    write(`Deleted saved search ${current.name} (${current.id}).\n`);
  });
}

export function users(idOrName: string, flags: ConnectionFlags): Promise<void> {
  return run(async () => {
    const found = await client(flags).users(idOrName);
    if (flags.format === 'json') return write(`${JSON.stringify(found, null, 2)}\n`);
    write(found.length === 0 ? 'Nothing uses it.\n' : found.map((u) => `${describeUser(u)}\n`).join(''));
  });
}

function definitionOf(flags: DefinitionFlags): Partial<SavedSearchInput> {
  if (flags.query !== undefined && flags.queryFile !== undefined) throw new UsageError('Give the query once: --query or --query-file, not both.');
  const query = flags.queryFile !== undefined ? readQuery(flags.queryFile) : flags.query;
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.category !== undefined ? { category: flags.category } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(query !== undefined ? { query } : {}),
  };
}

function readQuery(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path given to --query-file.`);
  }
}

function client(flags: ConnectionFlags): SavedSearchClient {
  return new SavedSearchClient({ server: flags.server, token: flags.token ?? process.env.UPKEEP_TOKEN });
}

function describe(s: SavedSearch): string {
  const header = [`${s.name}  (${s.id})`, `Category: ${s.category || '-'}`, ...(s.description ? [`Description: ${s.description}`] : []), `Updated: ${s.updatedAt}`];
  return `${header.join('\n')}\n\n${s.query.trimEnd()}\n`;
}

function print(flags: ConnectionFlags, saved: SavedSearch, summary: string): void {
  write(flags.format === 'json' ? `${JSON.stringify(saved, null, 2)}\n` : `${summary}\n`);
}

/** Refusals print their problems (or users) one per line and exit 1; bad usage exits 2. */
async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SavedApiError) {
      const problems = error.problems.map((p) => `  ${p.field || '(body)'}: ${p.message}\n`).join('');
      process.stderr.write(`upkeep: ${error.message}\n${problems}`);
      process.exitCode = 1;
    } else if (error instanceof UsageError) {
      process.stderr.write(`upkeep: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function write(text: string): void {
  process.stdout.write(text);
}

function table(header: string[], rows: string[][]): string {
  return `${textTable(header, rows)}
`;
}
