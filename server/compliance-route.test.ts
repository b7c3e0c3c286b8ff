/**
 * GET /api/compliance/machines and /api/compliance/updates on a real server over a real DuckDB
 * file: records go in through the signed Data Collector API, the views come out over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineCompliance, MissingUpdate } from '../contracts/updates.js';
import { createToken } from '../app/workspace/workspace-file.js';
import { startTestServer, type TestServer } from './test-server.js';

// Whole seconds, so the datetimes the views print compare as ISO text.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
let t: TestServer;

async function send(table: string, records: Record<string, unknown>[]): Promise<void> {
  const response = await t.postLogs(table, records);
  expect(response.status, `${table}: ${await response.clone().text()}`).toBe(200);
}

async function get(path: string, token: string | null = t.adminToken): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${t.url}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  // The server's clock stands still so readiness is exact (signed requests must be near it).
  t = await startTestServer({ now: () => now });
  const linux = { OSType: 'Linux', OSName: 'Debian' };
  await send('Heartbeat', [
    { TimeGenerated: ago(1), Computer: 'web-01.test', ...linux },
    { TimeGenerated: ago(90), Computer: 'db-01.test', ...linux },
    { TimeGenerated: ago(2), Computer: 'win-01.test', OSType: 'Windows', OSName: 'Windows Server 2022 Datacenter' },
  ]);
  await send('UpdateSummary', [
    { TimeGenerated: ago(200), Computer: 'web-01.test', RestartPending: false },
    { TimeGenerated: ago(20), Computer: 'web-01.test', RestartPending: true },
    { TimeGenerated: ago(30), Computer: 'db-01.test', RestartPending: false },
  ]);
  const needed = { UpdateState: 'Needed', Optional: false, OSType: 'Linux', OSName: 'Debian', ProductArch: 'amd64' };
  await send('Update', [
    // web-01 missed openssl at its older assessment, no longer at its latest: only curl counts.
    { TimeGenerated: ago(200), Computer: 'web-01.test', Title: 'openssl', Product: 'openssl', Classification: 'Critical Updates', ...needed },
    { TimeGenerated: ago(20), Computer: 'web-01.test', Title: 'curl', Product: 'curl', ProductVersion: '8.1', Classification: 'Security Updates', CVENumbers: 'CVE-2024-9', ...needed },
    { TimeGenerated: ago(30), Computer: 'db-01.test', Title: 'curl', Product: 'curl', ProductVersion: '8.1', Classification: 'Security Updates', ...needed },
    { TimeGenerated: ago(30), Computer: 'db-01.test', Title: 'less', Product: 'less', Classification: 'Other Updates', ...needed },
  ]);
}, 60_000);

afterAll(async () => t?.close());

describe('GET /api/compliance/machines', () => {
  it('answers every machine with its compliance and the query it ran', async () => {
    const { status, body } = await get('/api/compliance/machines');
    expect(status).toBe(200);
    expect(body.query).toContain('UpdateSummary');
    const machines = new Map((body.machines as MachineCompliance[]).map((m) => [m.computer, m]));
    expect(machines.get('web-01.test')).toEqual({
      computer: 'web-01.test', osType: 'Linux', osName: 'Debian', compliant: false, worstMissing: 'security', readiness: 'Ready',
      lastHeartbeat: ago(1).replace('.000Z', 'Z'), lastAssessment: ago(20).replace('.000Z', 'Z'),
      missing: { critical: 0, security: 1, other: 0 }, restartPending: true,
    });
    expect(machines.get('db-01.test')).toMatchObject({ readiness: 'Disconnected', worstMissing: 'security', missing: { critical: 0, security: 1, other: 1 } });
    expect(machines.get('win-01.test')).toMatchObject({ readiness: 'Ready', worstMissing: 'notAssessed', compliant: false, osType: 'Windows' });
  });

  it('filters from the query string, and refuses an unknown filter value with the valid ones', async () => {
    const ready = await get('/api/compliance/machines?readiness=ready&os=Linux');
    expect((ready.body.machines as MachineCompliance[]).map((m) => m.computer)).toEqual(['web-01.test']);
    const bad = await get('/api/compliance/machines?compliance=green');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'InvalidFilter', message: expect.stringContaining('use one of: compliant, noncompliant') });
  });

  it('needs a bearer token of a reading role: 401 without one, 403 for an ingest token, 200 for a reader', async () => {
    const none = await fetch(`${t.url}/api/compliance/machines`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await get('/api/compliance/updates', null)).status).toBe(401);
    expect((await get('/api/compliance/updates', createToken(t.dbPath, 'ingest'))).status).toBe(403);
    expect((await get('/api/compliance/updates', createToken(t.dbPath, 'reader'))).status).toBe(200);
  });
});

describe('GET /api/compliance/updates', () => {
  it('counts machines per update from their latest assessments', async () => {
    const { status, body } = await get('/api/compliance/updates');
    expect(status).toBe(200);
    const updates = body.updates as MissingUpdate[];
    expect(updates.map((u) => [u.key, u.machines])).toEqual([['curl|amd64', 2], ['less|amd64', 1]]);
    expect(updates[0]).toMatchObject({ title: 'curl', osType: 'Linux', product: 'curl', productArch: 'amd64', version: '8.1', classification: 'Security Updates', cves: ['CVE-2024-9'] });
    const security = await get('/api/compliance/updates?classification=Security%20Updates');
    expect((security.body.updates as MissingUpdate[]).map((u) => u.key)).toEqual(['curl|amd64']);
    expect((await get('/api/compliance/updates?os=Linux&classification=Tools')).status).toBe(400);
  });
});
