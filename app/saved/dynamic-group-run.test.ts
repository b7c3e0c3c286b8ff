/** A deployment's dynamic groups naming a saved search are evaluated at the run, through the real scheduler on a ManualClock. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { heartbeat, signedLogHeaders, startTestServer, type TestServer } from '../../server/test-server.js';
import type { Deployment, Run } from '../../contracts/updates.js';
import { ManualClock } from '../../contracts/clock.js';

const clock = new ManualClock('2030-03-04T01:00:00Z');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ clock, updateRuns: { tickMs: 5_000 }, savedSearches: { addSamples: false } });
  const at = { TimeGenerated: '2030-03-04T00:30:00Z' };
  const body = JSON.stringify([heartbeat('web1.contoso.com', at), heartbeat('web2.contoso.com', at), heartbeat('db1.contoso.com', at)]);
  // Signed at the server's (manual) time.
  const headers = signedLogHeaders(t.workspaceId, t.primaryKey, Buffer.byteLength(body), 'application/json', '/api/logs', clock.now());
  expect((await fetch(`${t.url}/api/logs`, { method: 'POST', headers: { ...headers, 'log-type': 'Heartbeat' }, body })).status).toBe(200);
});
afterAll(async () => t?.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${t.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

it('targets the machines the saved search returns when the run starts', async () => {
  expect((await call('POST', '/api/saved-searches', { name: 'WebFleet', query: 'Heartbeat | where Computer startswith "web" | distinct Computer' })).status).toBe(201);
  const created = await call('POST', '/api/deployments', {
    name: 'Web fleet', os: 'Linux', classifications: ['Security Updates'], excludedUpdates: [], includedUpdates: [],
    targets: { machines: [], groups: [], dynamicGroups: [{ name: 'fleet', savedSearch: 'WebFleet' }, { name: 'db', query: 'Heartbeat | where Computer !in (WebFleet) | distinct Computer' }] },
    schedule: { startTime: '2030-03-04T02:00', timeZone: 'UTC', recurrence: { frequency: 'Once' } },
    windowMinutes: 90, reboot: 'Never', enabled: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const deployment = created.body as Deployment;
  clock.set('2030-03-04T02:00:00Z');
  let runs: Run[] = [];
  for (let i = 0; i < 100 && runs.length === 0; i++) {
    runs = ((await call('GET', `/api/deployments/${deployment.id}/runs`)).body as { runs: Run[] }).runs;
    if (runs.length === 0) {
      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  expect(runs).toHaveLength(1);
  expect(runs[0]!.machines.map((m) => m.computer).sort()).toEqual(['db1.contoso.com', 'web1.contoso.com', 'web2.contoso.com']);
  const refused = await call('DELETE', '/api/saved-searches/WebFleet');
  expect(refused.status).toBe(409);
  expect((refused.body as { error: { users: { field: string }[] } }).error.users.map((u) => u.field)).toEqual(['targets.dynamicGroups[0]', 'targets.dynamicGroups[1]']);
}, 60_000);
