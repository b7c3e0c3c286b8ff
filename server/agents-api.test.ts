/** Agent registration over the real API, with the agent's own client and with raw signed requests. */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpkeepClient } from '../agent/transport.js';
import { workspaceFileOf } from '../app/workspace/workspace-file.js';
import { heartbeat, signedLogHeaders, startTestServer, type TestServer } from './test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

function register(body: Record<string, unknown>): Promise<Response> {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = signedLogHeaders(t.workspaceId, t.primaryKey, bytes.length, 'application/json', '/api/agents/register');
  return fetch(`${t.url}/api/agents/register`, { method: 'POST', headers, body: bytes });
}

describe('agent registration', () => {
  it('registers a machine through the agent client and keeps its id on re-registration', async () => {
    const client = new UpkeepClient({ url: t.url, workspaceId: t.workspaceId, key: t.primaryKey });
    try {
      const first = await client.register({ machineId: '6f1c2b7e-1111-4a55-9f6e-2f6f2c9d7a10', fqdn: 'web1.example.com', osType: 'Linux' });
      const again = await client.register({ machineId: '6f1c2b7e-1111-4a55-9f6e-2f6f2c9d7a10', fqdn: 'web1.example.com', osType: 'Linux' });
      expect(first.workspaceId).toBe(t.workspaceId);
      expect(again.agentId).toBe(first.agentId);
    } finally {
      client.close();
    }
  });

  it('gives Windows machines a system worker group and returns a working agent token', async () => {
    const response = await register({ machineId: 'WIN-SRV-01', fqdn: 'win1.corp.example.com', osType: 'Windows' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { agentId: string; sourceComputerId: string; systemWorkerGroup: string; agentToken: string };
    expect(body.systemWorkerGroup).toMatch(/^win1\.corp\.example\.com_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.sourceComputerId).toMatch(/^[0-9a-f]{8}-/);
    const sent = await fetch(`${t.url}/api/logs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.agentToken}`, 'content-type': 'application/json', 'log-type': 'Heartbeat' },
      body: JSON.stringify([heartbeat('win1')]),
    });
    expect(sent.status).toBe(200);
    const file = workspaceFileOf(t.dbPath);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).toContain(body.agentId);
    expect(stored).not.toContain(body.agentToken.split('_')[2]);
  });

  it('refuses a machine registered to a different workspace with 409', async () => {
    const response = await register({ machineId: 'moved-machine', fqdn: 'db1', osType: 'Linux', workspaceId: '11111111-2222-3333-4444-555555555555' });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: 'AlreadyRegistered', message: 'Machine is already registered to a different account.' } });
    const client = new UpkeepClient({ url: t.url, workspaceId: '11111111-2222-3333-4444-555555555555', key: t.primaryKey });
    try {
      await expect(client.register({ machineId: 'm', fqdn: 'm', osType: 'Linux' })).rejects.toThrow(/refused the credentials/);
    } finally {
      client.close();
    }
  });

  it('refuses unsigned requests and bodies that are not registrations', async () => {
    const unsigned = await fetch(`${t.url}/api/agents/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"machineId":"x","fqdn":"x","osType":"Linux"}' });
    expect(unsigned.status).toBe(403);
    const bad = await register({ machineId: 'x', fqdn: 'x', osType: 'Solaris' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toMatch(/osType/);
  });

  it('registers many machines at once without losing any', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => register({ machineId: `bulk-${i}`, fqdn: `bulk-${i}`, osType: 'Linux' })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const agents = (JSON.parse(readFileSync(workspaceFileOf(t.dbPath), 'utf8')) as { agents: { machineId: string }[] }).agents;
    expect(agents.filter((a) => a.machineId.startsWith('bulk-'))).toHaveLength(50);
  });
});
