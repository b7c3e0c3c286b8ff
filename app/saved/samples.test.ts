/** The sample queries become saved searches once, on a fresh workspace, and stay as the user leaves them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../../server/start-server.js';
import { createToken } from '../workspace/workspace-file.js';
import { sampleSavedSearches } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-saved-samples-'));
const dbPath = join(dir, 'upkeep.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('names the samples as identifiers, with their comments as descriptions', () => {
  const samples = sampleSavedSearches();
  expect(samples.length).toBeGreaterThanOrEqual(9);
  expect(samples[0]).toEqual({
    name: 'LinuxOnboarded',
    category: 'Samples',
    description: 'Linux machines reporting to the workspace: the latest heartbeat of each.',
    query: expect.stringContaining('Heartbeat\n| where OSType == "Linux"'),
  });
});

it('adds every sample once; a deleted one does not come back; a restart keeps them', async () => {
  const expected = sampleSavedSearches().map((s) => s.name).sort();
  let server = await startServer({ dbPath, port: 0 });
  try {
    const first = server.savedSearches.list().filter((s) => s.category === 'Samples');
    expect(first.map((s) => s.name).sort()).toEqual(expected);
    expect((await server.savedSearches.delete('DistinctMissingUpdates')).ok).toBe(true);
  } finally {
    await server.close();
  }
  server = await startServer({ dbPath, port: 0 });
  try {
    const second = server.savedSearches.list().filter((s) => s.category === 'Samples');
    expect(second.map((s) => s.name).sort()).toEqual(expected.filter((n) => n !== 'DistinctMissingUpdates'));
    expect(second.find((s) => s.name === 'LinuxOnboarded')?.query).toMatch(/^\/\/ Linux machines/);
    // Usable by name right after a restart: the store reloads the compiler's functions.
    const token = createToken(dbPath, 'reader');
    const response = await fetch(`${server.url}/api/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'LinuxOnboarded | count' }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tables: { rows: unknown[][] }[] }).tables[0]!.rows).toEqual([[0]]);
  } finally {
    await server.close();
  }
}, 60_000);
