/**
 * kill -9 of a serving process in the middle of a load, then a restart on the same file: every
 * record acknowledged with 200 is there exactly once, and every batch is whole or absent.
 * test/faults/kill-loop.test.ts repeats this many times (re-sending what was in flight, one
 * sender on Arrow); the child-process helpers are shared from test/faults/serve-child.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchBody, killHard, postBatch, serveChild, stopGently, storedBatches, workspaceFor, type ServingChild } from '../test/faults/serve-child.js';

const SENDERS = 4;
const RECORDS_PER_BATCH = 200;
const MAX_BATCHES_PER_SENDER = 40;

const dir = mkdtempSync(join(tmpdir(), 'upkeep-crash-'));
const dbPath = join(dir, 'upkeep.duckdb');
const children: ServingChild[] = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 mid-load', () => {
  it('keeps every acknowledged record exactly once and every batch whole', async () => {
    const credentials = workspaceFor(dbPath);
    const first = await serveChild(dbPath);
    children.push(first);
    const acknowledged: string[] = [];
    let killed = false;

    async function sender(s: number): Promise<void> {
      for (let b = 0; b < MAX_BATCHES_PER_SENDER && !killed; b++) {
        const batch = `s${s}-b${b}`;
        try {
          const response = await postBatch(first.url, credentials, batch, batchBody(batch, RECORDS_PER_BATCH));
          if (response.status === 200) acknowledged.push(batch);
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    }

    const load = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    const started = Date.now();
    while (acknowledged.length < 12 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
    await killHard(first);
    killed = true;
    await load;
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);

    const second = await serveChild(dbPath);
    children.push(second);
    try {
      const stored = await storedBatches(second.url, credentials);
      for (const batch of acknowledged) expect(stored.get(batch), `acknowledged batch ${batch}`).toEqual({ rows: RECORDS_PER_BATCH, distinct: RECORDS_PER_BATCH });
      // Every stored batch is whole and stored once (rows = distinct records = batch size).
      for (const [batch, counts] of stored) expect([batch, counts]).toEqual([batch, { rows: RECORDS_PER_BATCH, distinct: RECORDS_PER_BATCH }]);
    } finally {
      // A clean stop: SIGTERM finishes requests, commits, checkpoints and exits 0.
      expect(await stopGently(second)).toBe(0);
    }
  }, 90_000);
});
