/**
 * The database's directory made read-only under a running `upkeep serve`. The server runs as
 * an unprivileged user (nobody) so permissions apply: root would write anyway — the test is
 * skipped with the reason when it cannot switch users. Remounting read-only is no option with
 * the database open for writing (the kernel answers EBUSY), so modes stand in for it: the
 * database directory and the spool beside it become 0555. Files already open for writing (the
 * database, its log) stay writable for the running process — permissions are checked at open —
 * so what fails is what creates files: a JSON body's spool file.
 *   - ingestion answers 503 StorageUnavailable naming the permission problem, stores nothing;
 *   - once the directory is writable again the same batch (same id) is stored, once;
 *   - a server started on a read-only database file refuses to start and says why.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { batchBody, killHard, kqlRows, postBatch, serveChild, stopGently, storedBatches, workspaceFor, type ServingChild } from './serve-child.js';

const nobody = { uid: 65534, gid: 65534 };
const canSwitchUser = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'upkeep-read-only-'));
const dir = join(root, 'db');
const live: ServingChild[] = [];

afterAll(async () => {
  for (const serving of live) await killHard(serving);
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

/** The directory and everything in it, owned by nobody (the tree above must be traversable). */
function handToNobody(): void {
  chmodSync(root, 0o755);
  chownSync(dir, nobody.uid, nobody.gid);
  for (const name of readdirSync(dir)) chownSync(join(dir, name), nobody.uid, nobody.gid);
}

it.skipIf(!canSwitchUser)('answers 503 while the database directory is read-only and takes the batch once it is writable again', { timeout: 90_000 }, async () => {
  mkdirSync(dir);
  const dbPath = join(dir, 'upkeep.duckdb');
  const credentials = workspaceFor(dbPath);
  handToNobody();
  const serving = await serveChild(dbPath, { user: nobody });
  live.push(serving);
  expect((await postBatch(serving.url, credentials, 'before', batchBody('before', 100))).status).toBe(200);

  const spool = `${dbPath}.spool`;
  chmodSync(dir, 0o555);
  chmodSync(spool, 0o555);
  const refused = await postBatch(serving.url, credentials, 'while-read-only', batchBody('while-read-only', 100));
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(refused.status, JSON.stringify(body)).toBe(503);
  expect(body.error.code).toBe('StorageUnavailable');
  expect(body.error.message).toMatch(/^Nothing was stored: the database cannot take writes \(.*(EACCES|permission denied)/i);
  expect(await kqlRows(serving.url, credentials, 'Heartbeat | summarize n = count()')).toEqual([[100]]);

  chmodSync(dir, 0o755);
  chmodSync(spool, 0o755);
  const retried = await postBatch(serving.url, credentials, 'while-read-only', batchBody('while-read-only', 100));
  expect([retried.status, await retried.json()]).toEqual([200, { stored: 100, duplicateBatch: false }]);
  await killHard(serving);

  const restarted = await serveChild(dbPath, { user: nobody });
  live.push(restarted);
  expect(Object.fromEntries(await storedBatches(restarted.url, credentials))).toEqual({ before: { rows: 100, distinct: 100 }, 'while-read-only': { rows: 100, distinct: 100 } });
  expect(await stopGently(restarted)).toBe(0);

  // Started on a read-only file: refused at start with the reason, not at the first write.
  chmodSync(dbPath, 0o444);
  const problem = await serveChild(dbPath, { user: nobody }).then(
    (started) => {
      live.push(started);
      return 'started';
    },
    (error: Error) => error.message,
  );
  expect(problem).toMatch(/upkeep: .*upkeep\.duckdb cannot be opened for writing \(.*Permission denied\)\. The server writes the database file, its \.wal and the \.spool directory beside it: make them writable/);
});
