/**
 * Disk full under a running `upkeep serve`: the database, its log and the ingest spool live on a
 * small tmpfs (mounted here; this needs root — the test is skipped with the reason otherwise).
 * A filler file takes the last byte. Then:
 *   - JSON ingestion (spooled first) and Arrow ingestion (straight into the log) answer 503
 *     StorageUnavailable naming "no space left", with Retry-After, and store nothing;
 *   - once the filler is gone the same batches (same ids) are taken and stored once;
 *   - a kill -9 after that and a restart find exactly the acknowledged batches, whole: the
 *     failed log write left nothing half-written that replay would trip on;
 *   - remounted read-only, `upkeep serve` refuses to start and names what must be writable.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { arrowBatchBody, arrowType, batchBody, killHard, kqlRows, postBatch, serveChild, stopGently, storedBatches, workspaceFor, type Credentials, type ServingChild } from './serve-child.js';

const root = mkdtempSync(join(tmpdir(), 'upkeep-disk-full-'));
const mountPoint = join(root, 'small-disk');
const mounted = tryMount();
const live: ServingChild[] = [];

afterAll(async () => {
  for (const serving of live) await killHard(serving);
  if (mounted === true) execFileSync('umount', ['-l', mountPoint]);
  rmSync(root, { recursive: true, force: true });
});

function tryMount(): true | string {
  mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return true;
  } catch (error) {
    return `cannot mount a tmpfs (needs root): ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Writes zeros until the file system refuses; returns the file's path. */
function fillDisk(): string {
  const file = join(mountPoint, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  // The last partial megabyte: fill byte by byte in 4 KiB steps.
  const tail = openSync(file, 'a');
  try {
    for (;;) writeSync(tail, Buffer.alloc(4096));
  } catch {
    // full
  } finally {
    closeSync(tail);
  }
  return file;
}

const arrowBatch = arrowBatchBody;

function postArrow(url: string, credentials: Credentials, batch: string, body: Buffer): Promise<Response> {
  return postBatch(url, credentials, batch, body, arrowType);
}

async function expectOutOfSpace(response: Response): Promise<void> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(response.status, JSON.stringify(body)).toBe(503);
  expect(body.error.code).toBe('StorageUnavailable');
  expect(body.error.message).toMatch(/^Nothing was stored: the database cannot take writes \(.*(ENOSPC|No space left on device)/i);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
}

it.skipIf(mounted !== true)('answers 503 on a full disk, stores nothing half-written, and takes the batches once space returns', { timeout: 90_000 }, async () => {
  const dbPath = join(mountPoint, 'upkeep.duckdb');
  const credentials = workspaceFor(dbPath);
  const serving = await serveChild(dbPath);
  live.push(serving);
  const RECORDS = 2000;
  expect((await postBatch(serving.url, credentials, 'before', batchBody('before', RECORDS))).status).toBe(200);

  const filler = fillDisk();
  await expectOutOfSpace(await postBatch(serving.url, credentials, 'json-full', batchBody('json-full', RECORDS)));
  await expectOutOfSpace(await postArrow(serving.url, credentials, 'arrow-full', arrowBatch('arrow-full', RECORDS)));
  // Nothing of the refused batches is visible; queries still answer on a full disk.
  expect(await kqlRows(serving.url, credentials, 'Heartbeat | summarize n = count()')).toEqual([[RECORDS]]);

  rmSync(filler);
  for (const [batch, response] of [
    ['json-full', await postBatch(serving.url, credentials, 'json-full', batchBody('json-full', RECORDS))],
    ['arrow-full', await postArrow(serving.url, credentials, 'arrow-full', arrowBatch('arrow-full', RECORDS))],
    ['after', await postBatch(serving.url, credentials, 'after', batchBody('after', RECORDS))],
  ] as const) {
    expect([batch, response.status, await response.json()]).toEqual([batch, 200, { stored: RECORDS, duplicateBatch: false }]);
  }

  // A crash now must replay the log written after the failed write, not stop at it.
  await killHard(serving);
  const restarted = await serveChild(dbPath);
  live.push(restarted);
  const stored = await storedBatches(restarted.url, credentials);
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(['before', 'json-full', 'arrow-full', 'after'].map((b) => [b, { rows: RECORDS, distinct: RECORDS }])));
  expect(await stopGently(restarted)).toBe(0);

  // The same disk remounted read-only (possible now that nothing has the files open): the
  // server refuses to start and says what must be writable; remounted writable, it starts.
  execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  const refused = await serveChild(dbPath).then(
    (started) => {
      live.push(started);
      return 'started';
    },
    (error: Error) => error.message,
  );
  expect(refused).toMatch(/upkeep\.duckdb cannot be opened for writing \(.*Read-only file system\)\. The server writes the database file, its \.wal and the \.spool directory beside it/);
  execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  const writable = await serveChild(dbPath);
  live.push(writable);
  expect(await stopGently(writable)).toBe(0);
});
