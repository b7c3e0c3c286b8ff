/**
 * The two sample rules (samples/alert-rules/) on a generated sample fleet: created over the API
 * of a real server, evaluated for one period on a ManualClock; the instances that fire must be
 * the machines an independent SQL query over the same window finds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../samples/generate.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { ensureRecordTables } from '../../records/store/duckdb-store.js';
import { ManualClock } from '../../contracts/clock.js';
import type { AlertInstance, AlertRule } from '../../contracts/alerts.js';

const end = new Date('2024-06-01T12:00:00Z');
const windowSql = `TimeGenerated >= TIMESTAMP '2024-05-31 12:00:00' AND TimeGenerated < TIMESTAMP '2024-06-01 12:00:00'`;
const latestSql = `SELECT * FROM UpdateSummary WHERE ${windowSql} QUALIFY row_number() OVER (PARTITION BY Computer ORDER BY TimeGenerated DESC) = 1`;
const expectedSql = {
  missing: `SELECT Computer FROM (${latestSql}) WHERE CriticalUpdatesMissing > 0 OR SecurityUpdatesMissing > 0 ORDER BY Computer`,
  disabled: `SELECT Computer FROM (${latestSql}) WHERE WindowsUpdateSetting IN ('Manual', 'Disabled') ORDER BY Computer`,
  all: `SELECT DISTINCT Computer FROM UpdateSummary WHERE ${windowSql}`,
};
const files = { missing: 'missing-critical-or-security-update.json', disabled: 'automatic-updates-disabled.json' };

let dir: string;
let server: RunningServer;
const expected: Record<string, string[]> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-alert-samples-'));
  const dbPath = join(dir, 'upkeep.duckdb');
  const instance = await DuckDBInstance.create(dbPath);
  await ensureRecordTables(instance);
  const conn = await instance.connect();
  await generateSample(conn, { machines: 60, days: 2, seed: 11, end });
  for (const [key, sql] of Object.entries(expectedSql)) expected[key] = (await conn.runAndReadAll(sql)).getRows().map((r) => String(r[0]));
  conn.closeSync();
  instance.closeSync();
  const clock = new ManualClock('2024-06-01T11:30:00Z');
  server = await startServer({ dbPath, port: 0, clock, alerts: { tickMs: 3_600_000 }, savedSearches: { addSamples: false }, dashboards: { addDefault: false } });
  for (const file of Object.values(files)) {
    const response = await post('/api/alert-rules', JSON.parse(readFileSync(join(import.meta.dirname, '../../samples/alert-rules', file), 'utf8')));
    expect(response.status, await response.clone().text()).toBe(201);
  }
  clock.set(end); // the rules' first period [11:00, 12:00) ends
  await server.alerts.evaluator.tick();
  await server.alerts.evaluator.settled();
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${server.workspace.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function firing(name: string): Promise<string[]> {
  const rules = ((await (await fetch(`${server.url}/api/alert-rules`, { headers: { authorization: `Bearer ${server.workspace.adminToken}` } })).json()) as { alertRules: AlertRule[] }).alertRules;
  const rule = rules.find((r) => r.name === name)!;
  const answer = await fetch(`${server.url}/api/alert-rules/${rule.id}/instances`, { headers: { authorization: `Bearer ${server.workspace.adminToken}` } });
  const instances = ((await answer.json()) as { instances: AlertInstance[] }).instances;
  return instances.filter((i) => i.state === 'Firing').map((i) => String(i.dimensions.Computer)).sort();
}

describe('sample alert rules on the sample fleet', () => {
  it('"a machine misses a critical or security update" fires for exactly the machines SQL finds', async () => {
    expect(expected.missing!.length).toBeGreaterThan(0);
    expect(expected.missing!.length).toBeLessThan(expected.all!.length);
    expect(await firing('Machine misses a critical or security update')).toEqual(expected.missing);
  });

  it('"automatic updates are disabled" fires for exactly the machines SQL finds', async () => {
    expect(expected.disabled!.length).toBeGreaterThan(0);
    expect(expected.disabled!.length).toBeLessThan(expected.all!.length);
    expect(await firing('Automatic updates are disabled')).toEqual(expected.disabled);
  });

  it('records one AlertEvaluation row per firing machine, queryable with KQL', async () => {
    const response = await post('/api/query', { query: 'AlertEvaluation | where State == "Firing" | summarize machines = dcount(Computer), rows = count() by RuleName | order by RuleName asc' });
    const body = (await response.json()) as { tables: { rows: unknown[][] }[] };
    expect(body.tables[0]!.rows).toEqual([
      ['Automatic updates are disabled', expected.disabled!.length, expected.disabled!.length],
      ['Machine misses a critical or security update', expected.missing!.length, expected.missing!.length],
    ]);
  });
});
