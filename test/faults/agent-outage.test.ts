/**
 * The server down for an hour of simulated time while a fleet keeps working: 20 simulated
 * machines (the real agent: schedule, batcher, spool, sender, signed transport) and the real
 * server on one virtual clock (test/fleet's FleetServer). The server is stopped at 00:30, the
 * clock runs to 01:30 with every batch going to the machines' spool, the server comes back on
 * the same file and port, and the spool drains. Then, counted in the real server:
 *   - every record the machines produced is stored (per table), none twice;
 *   - every batch the sender had acknowledged has its batch id stored once (`_ingest_batches`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { runSimulation, type FleetDriver } from '../../agent/simulate/simulation.js';
import { VirtualClock } from '../../agent/simulate/virtual-clock.js';
import { FleetServer } from '../fleet/fleet-server.js';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 7, 0, 0);
const MACHINES = 20;
const clock = new VirtualClock(T0);
const server = new FleetServer(clock, 30_000);
afterAll(() => server.dispose());

interface Observed {
  storedBeforeOutage: number;
  spooledDuringOutage: number;
  deliveredWhileDown: boolean;
}

/** One-minute steps: every agent wakes, produces, and the sender tries (and fails while down). */
async function stepTo(atMs: number): Promise<void> {
  while (clock.now().getTime() < atMs) {
    await clock.advanceTo(Math.min(atMs, clock.now().getTime() + MIN));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function count(table: string): Promise<number> {
  const { rows } = await server.kql(`${table} | summarize n = count()`);
  return Number(rows[0]!.n);
}

it('spools everything while the server is down for an hour and delivers it once when it returns', { timeout: 120_000 }, async () => {
  await server.start();
  const spoolDir = join(server.dir, 'agent-spool');
  const observed: Partial<Observed> = {};
  const scenario = async (fleet: FleetDriver) => {
    await stepTo(T0 + 30 * MIN);
    expect(await fleet.deliver(30_000)).toBe(true);
    observed.storedBeforeOutage = await count('Heartbeat');
    await server.close();
    await stepTo(T0 + 90 * MIN);
    observed.deliveredWhileDown = await fleet.deliver(500);
    observed.spooledDuringOutage = readdirSync(spoolDir).length;
    await server.start();
    await stepTo(T0 + 95 * MIN);
    expect(await fleet.deliver(60_000)).toBe(true);
  };
  const summary = await runSimulation({
    endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.primaryKey, now: () => clock.now().getTime(), timeoutMs: 5_000 },
    machines: MACHINES,
    speed: 1, // unused: the scenario moves the time
    durationMs: 2 * 60 * MIN,
    seed: 11,
    clock,
    noJobs: true,
    batchRecords: 200,
    spoolDir,
    log: () => undefined,
    drive: scenario,
  });
  const o = observed as Observed;
  expect(o.deliveredWhileDown).toBe(false);
  // An hour of heartbeats (one a minute per machine) waited in the spool.
  expect(o.spooledDuringOutage).toBeGreaterThan(0);
  expect(summary.stats.retries).toBeGreaterThan(0);
  expect(summary.undelivered).toBe(0);
  expect(summary.stats.batchesDropped).toBe(0);
  expect(summary.stats.recordsAcked).toBe(summary.recordsProduced);

  const stored: Record<string, number> = {};
  for (const table of Object.keys(summary.recordsByTable)) stored[table] = await count(table);
  expect(stored).toEqual(summary.recordsByTable);
  expect(summary.heartbeats).toBeGreaterThanOrEqual(MACHINES * 94);
  // None twice: a heartbeat is one per machine and minute.
  const twice = await server.kql('Heartbeat | summarize n = count() by Computer, TimeGenerated | where n > 1 | count');
  expect(twice.rows[0]!.Count).toBe(0);

  await server.close();
  const batches = await storedBatchIds(server.dbPath);
  expect(batches.total).toBe(summary.stats.batchesSent);
  expect(batches.distinct).toBe(batches.total);
  console.log(
    `agent-outage: ${MACHINES} machines, server down 60 simulated minutes; ${summary.recordsProduced} records produced ` +
      `(${summary.heartbeats} heartbeats), ${Object.values(stored).reduce((a, b) => a + b, 0)} stored, ${o.storedBeforeOutage} heartbeats before the outage; ` +
      `${o.spooledDuringOutage} batches spooled during it, ${summary.stats.retries} retries; ${batches.total} batch ids stored, ${summary.stats.batchesSent} acknowledged`,
  );
});

async function storedBatchIds(dbPath: string): Promise<{ total: number; distinct: number }> {
  const instance = await DuckDBInstance.create(dbPath);
  try {
    const conn = await instance.connect();
    const [total, distinct] = (await conn.runAndReadAll('SELECT count(*), count(DISTINCT batch_id) FROM _ingest_batches')).getRows()[0]!;
    conn.closeSync();
    return { total: Number(total), distinct: Number(distinct) };
  } finally {
    instance.closeSync();
  }
}
