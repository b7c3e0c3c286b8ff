/**
 * The compliance views on a generated sample fleet (real DuckDB, the real compiler), checked
 * against hand-written SQL and hand-made machines whose answer is known.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../../query/run-query.js';
import { generateSample } from '../../../samples/generate.js';
import { emptyDatabase, rows } from '../../../samples/testing.js';
import type { MachineCompliance, MissingUpdate } from '../../../contracts/updates.js';
import { machinesQuery, parseMachineFilters, parseUpdateFilters } from './queries.js';
import { machinesView, updatesView, type RunKql } from './views.js';

const end = new Date('2024-06-01T12:00:00Z');
const now = new Date(end.getTime() + 60_000);
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

let conn: DuckDBConnection;
const run: RunKql = (text, at) => runQuery(text, { connection: conn, now: at });

async function machines(filters = {}): Promise<MachineCompliance[]> {
  const outcome = await machinesView(run, filters, now);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.rows;
}
async function updates(filters = {}): Promise<MissingUpdate[]> {
  const outcome = await updatesView(run, filters, now);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.rows;
}
const byComputer = (list: MachineCompliance[]) => new Map(list.map((m) => [m.computer, m]));

// ---- hand-made records -----------------------------------------------------------------------
const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;
async function heartbeat(computer: string, at: string, os = 'Linux'): Promise<void> {
  await conn.run(`INSERT INTO Heartbeat (TimeGenerated, Computer, OSType, OSName) VALUES (${sql(at)}, ${sql(computer)}, ${sql(os)}, ${sql(os === 'Linux' ? 'Debian' : 'Windows Server 2022 Datacenter')})`);
}
async function summary(computer: string, at: string, restartPending = false): Promise<void> {
  await conn.run(`INSERT INTO UpdateSummary (TimeGenerated, Computer, OsVersion, RestartPending) VALUES (${sql(at)}, ${sql(computer)}, '12', ${restartPending})`);
}
interface HandUpdate { classification: string; os?: 'Windows' | 'Linux'; optional?: boolean; state?: string; product?: string; updateId?: string; kbid?: string; cves?: string }
async function update(computer: string, at: string, u: HandUpdate): Promise<void> {
  const os = u.os ?? 'Linux';
  await conn.run(`INSERT INTO "Update" (TimeGenerated, Computer, OSType, OSName, Title, Product, ProductArch, ProductVersion, Classification, UpdateState, Optional, UpdateID, KBID, CVENumbers, PublishedDate)
    VALUES (${sql(at)}, ${sql(computer)}, ${sql(os)}, 'hand', ${sql(u.product ?? u.kbid ?? 'pkg')}, ${sql(u.product ?? '')}, ${sql(os === 'Linux' ? 'amd64' : '')}, '1.1',
      ${sql(u.classification)}, ${sql(u.state ?? 'Needed')}, ${u.optional ?? false}, ${sql(u.updateId ?? '')}, ${sql(u.kbid ?? '')}, ${sql(u.cves ?? '')}, '2024-05-01T00:00:00Z')`);
}

beforeAll(async () => {
  conn = await emptyDatabase();
  await generateSample(conn, { machines: 40, days: 2, seed: 5, end });

  // Missed a critical update two assessments ago, installed it since: the latest assessment is clean.
  await heartbeat('fixed.hand.test', minutesAgo(2));
  await summary('fixed.hand.test', minutesAgo(600));
  await update('fixed.hand.test', minutesAgo(600), { classification: 'Critical Updates', product: 'hand-openssl' });
  await summary('fixed.hand.test', minutesAgo(300));
  await update('fixed.hand.test', minutesAgo(300), { classification: 'Critical Updates', product: 'hand-openssl', state: 'NotNeeded' });
  await summary('fixed.hand.test', minutesAgo(30));
  // Misses only an optional Windows security update and an ordinary Windows update.
  await heartbeat('optional.hand.test', minutesAgo(60), 'Windows');
  await summary('optional.hand.test', minutesAgo(45), true);
  await update('optional.hand.test', minutesAgo(45), { os: 'Windows', classification: 'Security Updates', optional: true, updateId: 'hand-guid-optional', kbid: '5099001' });
  await update('optional.hand.test', minutesAgo(45), { os: 'Windows', classification: 'Updates', updateId: 'hand-guid-other', kbid: '5099002' });
  // Readiness boundaries: the last heartbeat an hour and a second ago; assessed lately, no heartbeat; silent for days.
  await heartbeat('late.hand.test', new Date(now.getTime() - 3_601_000).toISOString());
  await summary('late.hand.test', minutesAgo(100));
  await update('late.hand.test', minutesAgo(100), { classification: 'Security Updates', product: 'hand-curl', cves: 'CVE-2024-1, CVE-2024-2' });
  await summary('noheartbeat.hand.test', minutesAgo(20));
  await update('noheartbeat.hand.test', minutesAgo(20), { classification: 'Security Updates', product: 'hand-curl', cves: 'CVE-2024-1,CVE-2024-2' });
  await heartbeat('gone.hand.test', minutesAgo(3 * 1440 - 5));
  await summary('gone.hand.test', minutesAgo(3 * 1440));
  // Misses a critical update now: the worst machine of all.
  await heartbeat('critical.hand.test', minutesAgo(1), 'Windows');
  await summary('critical.hand.test', minutesAgo(10));
  for (let i = 0; i < 9; i++) await update('critical.hand.test', minutesAgo(10), { os: 'Windows', classification: 'Critical Updates', updateId: `hand-guid-critical-${i}`, kbid: `50980${i}` });
  // Heartbeats but never assessed.
  await heartbeat('new.hand.test', minutesAgo(1));
}, 60_000);

describe('machines view', () => {
  it('counts missing updates from each machine’s latest assessment, as hand-written SQL does', async () => {
    const expected = await rows(conn, `
      WITH latest AS (SELECT Computer, max(TimeGenerated) AS t FROM UpdateSummary GROUP BY Computer)
      SELECT l.Computer AS computer,
        count(u.Computer) FILTER (WHERE u.Classification = 'Critical Updates')::INTEGER AS critical,
        count(u.Computer) FILTER (WHERE u.Classification = 'Security Updates')::INTEGER AS security,
        count(u.Computer) FILTER (WHERE u.Classification NOT IN ('Critical Updates', 'Security Updates'))::INTEGER AS other
      FROM latest l LEFT JOIN "Update" u ON u.Computer = l.Computer AND u.TimeGenerated = l.t AND u.UpdateState = 'Needed' AND u.Optional IS NOT TRUE
      GROUP BY l.Computer ORDER BY l.Computer`);
    const view = byComputer(await machines());
    expect(expected.length).toBeGreaterThan(30);
    for (const e of expected) {
      const m = view.get(String(e.computer));
      expect(m?.missing, String(e.computer)).toEqual({ critical: e.critical, security: e.security, other: e.other });
      expect(m?.compliant, String(e.computer)).toBe(Number(e.critical) + Number(e.security) === 0);
    }
    const worst = new Set([...view.values()].map((m) => m.worstMissing));
    for (const w of ['critical', 'security', 'other', 'upToDate', 'notAssessed']) expect(worst, w).toContain(w);
    expect((await machines())[0]?.computer).toBe('critical.hand.test'); // worst first
  });

  it('agrees with the counts the sample’s agents wrote into their latest UpdateSummary', async () => {
    const summaries = await rows(conn, `SELECT Computer AS computer, CriticalUpdatesMissing AS c, SecurityUpdatesMissing AS s, OtherUpdatesMissing AS o, RestartPending AS r
      FROM UpdateSummary WHERE Computer NOT LIKE '%.hand.test' QUALIFY row_number() OVER (PARTITION BY Computer ORDER BY TimeGenerated DESC) = 1`);
    const view = byComputer(await machines());
    for (const s of summaries) {
      const m = view.get(String(s.computer))!;
      expect([m.missing.critical, m.missing.security, m.missing.other, m.restartPending], String(s.computer)).toEqual([s.c, s.s, s.o, s.r]);
    }
  });

  it('a machine whose latest assessment misses nothing is compliant though an older one missed a critical update', async () => {
    const m = byComputer(await machines()).get('fixed.hand.test')!;
    expect(m).toMatchObject({ compliant: true, worstMissing: 'upToDate', readiness: 'Ready', missing: { critical: 0, security: 0, other: 0 } });
    expect(m.lastAssessment).toBe(minutesAgo(30).replace('.000Z', 'Z'));
    expect((await updates()).some((u) => u.product === 'hand-openssl')).toBe(false);
  });

  it('optional Windows updates do not make a machine non-compliant, nor count as missing', async () => {
    const m = byComputer(await machines()).get('optional.hand.test')!;
    expect(m).toMatchObject({ compliant: true, worstMissing: 'other', osType: 'Windows', restartPending: true, missing: { critical: 0, security: 0, other: 1 } });
    const keys = (await updates()).map((u) => u.key);
    expect(keys).toContain('hand-guid-other');
    expect(keys).not.toContain('hand-guid-optional');
  });

  it('readiness: Ready up to exactly an hour, Disconnected after, NotConfigured when assessed without heartbeats', async () => {
    const view = byComputer(await machines());
    expect(view.get('optional.hand.test')?.readiness).toBe('Ready'); // last heartbeat exactly 60 minutes ago
    expect(view.get('late.hand.test')).toMatchObject({ readiness: 'Disconnected', compliant: false, worstMissing: 'security' });
    expect(view.get('noheartbeat.hand.test')).toMatchObject({ readiness: 'NotConfigured', osType: 'Linux', compliant: false });
    expect(view.get('noheartbeat.hand.test')?.lastHeartbeat).toBeUndefined();
    // Silent for days: Disconnected; its last heartbeat is older than the view's 6 h lookback.
    expect(view.get('gone.hand.test')).toMatchObject({ readiness: 'Disconnected', worstMissing: 'upToDate', osType: '' });
    expect(view.get('gone.hand.test')?.lastHeartbeat).toBeUndefined();
  });

  it('matches hand-written readiness on the sample fleet within the 6 h lookback (silent agents are Disconnected)', async () => {
    const expected = await rows(conn, `SELECT Computer AS computer, max(TimeGenerated) >= TIMESTAMP '${now.toISOString().slice(0, 19)}' - INTERVAL 1 HOUR AS ready
      FROM Heartbeat WHERE Computer NOT LIKE '%.hand.test' AND TimeGenerated > TIMESTAMP '${now.toISOString().slice(0, 19)}' - INTERVAL 6 HOUR GROUP BY Computer`);
    const view = byComputer(await machines());
    expect(expected.filter((e) => !e.ready).length).toBeGreaterThan(0);
    for (const e of expected) expect(view.get(String(e.computer))?.readiness, String(e.computer)).toBe(e.ready ? 'Ready' : 'Disconnected');
  });

  it('a machine with heartbeats but no assessment is notAssessed, neither compliant nor in the noncompliant filter', async () => {
    const m = byComputer(await machines()).get('new.hand.test')!;
    expect(m).toMatchObject({ worstMissing: 'notAssessed', compliant: false, readiness: 'Ready', osType: 'Linux' });
    expect(m.lastAssessment).toBeUndefined();
    const noncompliant = await machines({ compliance: 'noncompliant' });
    expect(noncompliant.length).toBeGreaterThan(0);
    expect(noncompliant.every((x) => x.worstMissing === 'critical' || x.worstMissing === 'security')).toBe(true);
  });

  it('filters by OS and compliance, and puts the filter into the query it returns', async () => {
    const outcome = await machinesView(run, { os: 'Windows', compliance: 'upToDate' }, now);
    if (!outcome.ok) throw new Error('view failed');
    expect(outcome.rows.length).toBeGreaterThan(0);
    expect(outcome.rows.every((m) => m.osType === 'Windows' && m.worstMissing === 'upToDate' && m.compliant)).toBe(true);
    expect(outcome.query).toContain('| where OSType == "Windows"');
    // The returned text runs on its own (what log search does with it) and gives the same machines.
    const again = await runQuery(outcome.query, { connection: conn, now });
    expect(again.ok && again.result.rows.length).toBe(outcome.rows.length);
  });
});

describe('missing updates view', () => {
  it('counts the machines that need each update, as hand-written SQL does', async () => {
    const expected = await rows(conn, `
      WITH latest AS (SELECT Computer, max(TimeGenerated) AS t FROM UpdateSummary GROUP BY Computer)
      SELECT CASE WHEN u.OSType = 'Windows' THEN u.UpdateID ELSE u.Product || '|' || u.ProductArch END AS key, count(DISTINCT u.Computer)::INTEGER AS machines
      FROM "Update" u JOIN latest l ON u.Computer = l.Computer AND u.TimeGenerated = l.t
      WHERE u.UpdateState = 'Needed' AND u.Optional IS NOT TRUE GROUP BY key`);
    const view = await updates();
    expect(new Map(view.map((u) => [u.key, u.machines]))).toEqual(new Map(expected.map((e) => [String(e.key), Number(e.machines)])));
    expect(view.map((u) => u.machines)).toEqual([...view.map((u) => u.machines)].sort((a, b) => b - a));
    const windows = view.find((u) => u.osType === 'Windows')!;
    expect(windows.kbId).toMatch(/^\d+$/);
    expect(windows.publishedDate).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('adds up with the machines view, classification by classification', async () => {
    const [view, ms] = [await updates(), await machines()];
    const sum = (pick: (u: MissingUpdate) => boolean) => view.filter(pick).reduce((n, u) => n + u.machines, 0);
    const isCs = (c: string) => c === 'Critical Updates' || c === 'Security Updates';
    expect(sum((u) => u.classification === 'Critical Updates')).toBe(ms.reduce((n, m) => n + m.missing.critical, 0));
    expect(sum((u) => u.classification === 'Security Updates')).toBe(ms.reduce((n, m) => n + m.missing.security, 0));
    expect(sum((u) => !isCs(u.classification))).toBe(ms.reduce((n, m) => n + m.missing.other, 0));
  });

  it('splits CVE lists and filters by OS and classification', async () => {
    const curl = (await updates()).find((u) => u.key === 'hand-curl|amd64')!;
    expect(curl).toMatchObject({ machines: 2, osType: 'Linux', classification: 'Security Updates', cves: ['CVE-2024-1', 'CVE-2024-2'] });
    const security = await updates({ os: 'Linux', classification: 'Security Updates' });
    expect(security.length).toBeGreaterThan(0);
    expect(security.every((u) => u.osType === 'Linux' && u.classification === 'Security Updates')).toBe(true);
  });
});

describe('filters', () => {
  it('refuses unknown values naming the valid ones, and accepts any letter case', () => {
    expect(parseMachineFilters({ os: 'Mac' })).toEqual({ ok: false, message: "os 'Mac' is not valid; use one of: Windows, Linux." });
    expect(parseMachineFilters({ os: 'windows', compliance: 'NONCOMPLIANT' })).toEqual({ ok: true, filters: { os: 'Windows', compliance: 'noncompliant' } });
    const wrongForOs = parseUpdateFilters({ os: 'Linux', classification: 'Feature Packs' });
    expect(wrongForOs.ok === false && wrongForOs.message).toContain('does not exist for Linux');
    expect(machinesQuery({ readiness: 'Ready' })).toContain('| where Readiness == "Ready"');
  });
});
