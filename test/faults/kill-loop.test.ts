/**
 * kill -9 of `upkeep serve` during sustained ingestion from several concurrent senders (three
 * JSON, one Arrow), again and again on one file (FAULT_CYCLES, default 6: a restart takes 5–9 s
 * on the loaded CI machine). server/crash.test.ts does this once (JSON only);
 * here each restart must also open cleanly after the previous kill, the senders re-send the
 * batch that was in flight when the server died (same batch id, as the agent does), and after
 * every restart:
 *   - every batch acknowledged with 200 is stored, whole (all its records);
 *   - no batch is stored twice (rows = distinct records = batch size), re-sent or not;
 *   - nothing else is stored (every stored batch is one that was sent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { arrowBatchBody, arrowType, batchBody, killHard, postBatch, serveChild, stopGently, storedBatches, workspaceFor, type Credentials, type ServingChild } from './serve-child.js';

const CYCLES = Number(process.env.FAULT_CYCLES ?? 6);
const SENDERS = 4;
const RECORDS = 100;

const dir = mkdtempSync(join(tmpdir(), 'upkeep-kill-loop-'));
const dbPath = join(dir, 'upkeep.duckdb');
const live: ServingChild[] = [];
afterAll(async () => {
  for (const serving of live) await killHard(serving);
  rmSync(dir, { recursive: true, force: true });
});

interface Ledger {
  sent: Set<string>;
  acknowledged: Set<string>;
  /** Per sender: the batch whose answer never came (the server died), re-sent after the restart. */
  inFlight: (string | undefined)[];
  /** Re-sent batches the server answered as already stored. */
  duplicatesAnswered: number;
  nextBatch: number[];
}

/** One sender: re-sends its unanswered batch, then new batches until the server goes away. */
async function sender(serving: ServingChild, credentials: Credentials, ledger: Ledger, s: number, onAck: () => void): Promise<void> {
  for (;;) {
    const batch = ledger.inFlight[s] ?? `s${s}-b${ledger.nextBatch[s]!++}`;
    ledger.inFlight[s] = batch;
    ledger.sent.add(batch);
    let response: Response;
    try {
      // Sender 0 sends Arrow: the appender path must survive a kill as the spooled JSON does.
      response = s === 0
        ? await postBatch(serving.url, credentials, batch, arrowBatchBody(batch, RECORDS), arrowType)
        : await postBatch(serving.url, credentials, batch, batchBody(batch, RECORDS));
    } catch {
      return; // the server is gone: this batch stays in flight
    }
    const answer = (await response.json()) as { duplicateBatch?: boolean };
    expect(response.status, JSON.stringify(answer)).toBe(200);
    if (answer.duplicateBatch) ledger.duplicatesAnswered++;
    ledger.acknowledged.add(batch);
    ledger.inFlight[s] = undefined;
    onAck();
  }
}

async function expectIntact(serving: ServingChild, credentials: Credentials, ledger: Ledger): Promise<number> {
  const stored = await storedBatches(serving.url, credentials);
  for (const batch of ledger.acknowledged) expect(stored.has(batch), `acknowledged batch ${batch} is stored`).toBe(true);
  for (const [batch, { rows, distinct }] of stored) {
    expect(ledger.sent.has(batch), `stored batch ${batch} was sent`).toBe(true);
    expect([batch, rows, distinct]).toEqual([batch, RECORDS, RECORDS]);
  }
  return stored.size;
}

it(`keeps every acknowledged batch exactly once across ${CYCLES} kill -9 cycles`, { timeout: 30_000 + CYCLES * 15_000 }, async () => {
  const credentials = workspaceFor(dbPath);
  const ledger: Ledger = { sent: new Set(), acknowledged: new Set(), inFlight: Array(SENDERS).fill(undefined), duplicatesAnswered: 0, nextBatch: Array(SENDERS).fill(0) };
  const starts: number[] = [];
  let stored = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const serving = await serveChild(dbPath);
    live.push(serving);
    starts.push(serving.startMs);
    stored = await expectIntact(serving, credentials, ledger);
    // Vary the moment of death: after 4–15 acknowledgements in this cycle, plus 0–40 ms.
    const ackTarget = 4 + ((cycle * 7) % 12);
    let acks = 0;
    let reached: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (reached = resolve));
    const load = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(serving, credentials, ledger, s, () => ++acks >= ackTarget && reached())));
    await Promise.race([enough, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await new Promise((resolve) => setTimeout(resolve, (cycle * 13) % 41));
    await killHard(serving);
    await load;
    expect(acks).toBeGreaterThanOrEqual(ackTarget);
  }
  expect([...ledger.acknowledged].some((b) => b.startsWith('s0-'))).toBe(true);
  const last = await serveChild(dbPath);
  live.push(last);
  stored = await expectIntact(last, credentials, ledger);
  expect(await stopGently(last)).toBe(0);
  console.log(
    `kill-loop: ${CYCLES} kill -9 cycles, ${SENDERS} senders × ${RECORDS} records/batch; ` +
      `${ledger.acknowledged.size} batches acknowledged (${ledger.acknowledged.size * RECORDS} records), ${stored} stored (${stored * RECORDS} records), ` +
      `${ledger.sent.size - ledger.acknowledged.size} sent without an answer; ${ledger.duplicatesAnswered} re-sent batches answered duplicateBatch; ` +
      `restart to listening ${Math.min(...starts)}–${Math.max(...starts)} ms`,
  );
});
