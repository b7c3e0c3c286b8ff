/**
 * `upkeep serve` started from another directory than the installation's: the parsing workers must
 * still load (they once resolved their loader from the current directory and never answered), and
 * a signed JSON batch is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { batchBody, postBatch, serveChild, stopGently, workspaceFor } from './serve-child.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-elsewhere-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ingests JSON when served from a directory outside the installation', async () => {
  const dbPath = join(dir, 'fleet.duckdb');
  const credentials = workspaceFor(dbPath);
  const serving = await serveChild(dbPath, { cwd: dir });
  try {
    const response = await postBatch(serving.url, credentials, 'elsewhere-1', batchBody('elsewhere-1', 3));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ stored: 3 });
  } finally {
    await stopGently(serving);
  }
}, 30_000);
