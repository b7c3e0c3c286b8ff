import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../contracts/updates.js';
import { sampleDeploymentInput } from '../app/updates/deployments/sample-input.js';
import { createToken } from '../app/workspace/workspace-file.js';
import { heartbeat, startTestServer, type TestServer } from './test-server.js';

let t: TestServer;
let operator: string;
let reader: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = createToken(t.dbPath, 'operator');
  reader = createToken(t.dbPath, 'reader');
  const sent = await t.postLogs('Heartbeat', [heartbeat('web-01.contoso.com'), heartbeat('web-02.contoso.com'), heartbeat('db-01.contoso.com', { OSType: 'Windows' })]);
  expect(sent.status).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; problems?: { field: string; message: string }[] } };
}

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
}

describe('/api/deployments on a real server', () => {
  it('creates, reads, lists, replaces and deletes a deployment', async () => {
    const created = await call('POST', '/api/deployments', operator, sampleDeploymentInput({ name: 'crud' }));
    expect(created.status).toBe(201);
    const deployment = created.body as unknown as Deployment;
    expect(deployment).toMatchObject({ name: 'crud', os: 'Linux', frozenGroups: {}, reboot: 'IfRequired' });

    expect(await call('GET', `/api/deployments/${deployment.id}`, reader)).toEqual({ status: 200, body: deployment });
    const listed = await call('GET', '/api/deployments', reader);
    expect((listed.body.deployments as Deployment[]).map((d) => d.id)).toContain(deployment.id);

    const replaced = await call('PUT', `/api/deployments/${deployment.id}`, operator, { ...deployment, windowMinutes: 240, reboot: 'Never' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: deployment.id, windowMinutes: 240, reboot: 'Never', createdAt: deployment.createdAt });

    expect((await call('DELETE', `/api/deployments/${deployment.id}`, operator)).status).toBe(204);
    expect((await call('GET', `/api/deployments/${deployment.id}`, reader)).status).toBe(404);
  });

  it('answers 400 InvalidDeployment with every problem, and stores nothing', async () => {
    const before = ((await call('GET', '/api/deployments', reader)).body.deployments as Deployment[]).length;
    const answer = await call('POST', '/api/deployments', operator, { ...sampleDeploymentInput({ name: 'bad' }), os: 'Windows', classifications: ['Other Updates'], excludedUpdates: ['KB4012345'], windowMinutes: 400 });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('InvalidDeployment');
    expect(answer.body.error?.problems).toEqual([
      { field: 'classifications[0]', message: expect.stringMatching(/not a Windows classification/) },
      { field: 'excludedUpdates[0]', message: expect.stringMatching(/write 4012345, not KB4012345/) },
      { field: 'windowMinutes', message: expect.stringMatching(/from 30 to 360/) },
    ]);
    expect(answer.body.error?.message).toMatch(/^The deployment has 3 problems: /);
    expect(((await call('GET', '/api/deployments', reader)).body.deployments as Deployment[]).length).toBe(before);
  });

  it('answers 409 for a duplicate name (ignoring case), on create and on rename', async () => {
    const first = await call('POST', '/api/deployments', operator, sampleDeploymentInput({ name: 'Patch Tuesday' }));
    expect(first.status).toBe(201);
    const again = await call('POST', '/api/deployments', operator, sampleDeploymentInput({ name: 'patch tuesday' }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'DeploymentNameTaken', problems: [{ field: 'name' }] });
    const other = await call('POST', '/api/deployments', operator, sampleDeploymentInput({ name: 'Other' }));
    const rename = await call('PUT', `/api/deployments/${String(other.body.id)}`, operator, sampleDeploymentInput({ name: 'PATCH TUESDAY' }));
    expect(rename.status).toBe(409);
  });

  it('404 for an unknown id on every route', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/deployments/nope', undefined],
      ['PUT', '/api/deployments/nope', sampleDeploymentInput({ name: 'x404' })],
      ['DELETE', '/api/deployments/nope', undefined],
      ['GET', '/api/deployments/nope/occurrences', undefined],
    ] as const) {
      const answer = await call(method, path, operator, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error?.code).toBe('DeploymentNotFound');
    }
  });

  it('freezes computer groups at creation from a query with a Computer column', async () => {
    const input = sampleDeploymentInput({
      name: 'groups',
      targets: {
        machines: [],
        groups: [{ name: 'linux web', query: 'Heartbeat | where OSType == "Linux" and Computer startswith "web" | distinct Computer' }],
        dynamicGroups: [{ name: 'all', query: 'Heartbeat | distinct Computer' }],
      },
    });
    const created = await call('POST', '/api/deployments', operator, input);
    expect(created.status).toBe(201);
    expect(created.body.frozenGroups).toEqual({ 'linux web': ['web-01.contoso.com', 'web-02.contoso.com'] });

    const noComputer = await call('POST', '/api/deployments', operator, { ...input, name: 'groups 2', targets: { groups: [{ name: 'counts', query: 'Heartbeat | summarize count() by OSType' }] } });
    expect(noComputer.status).toBe(400);
    expect(noComputer.body.error?.problems?.[0]).toEqual({ field: 'targets.groups[0]', message: expect.stringMatching(/no Computer column; end it with "\| distinct Computer"/) });

    const saved = await call('POST', '/api/deployments', operator, { ...input, name: 'groups 3', targets: { groups: [{ name: 's', savedSearch: 'Web servers' }] } });
    expect(saved.body.error?.problems?.[0]?.message).toMatch(/there is no saved search "Web servers"/);
  });

  it('lists the next occurrences in UTC', async () => {
    const input = sampleDeploymentInput({ name: 'occurrences', schedule: { startTime: '2031-03-30T02:30', timeZone: 'Europe/Berlin', recurrence: { frequency: 'Day', interval: 1 } } });
    const created = await call('POST', '/api/deployments', operator, input);
    const answer = await call('GET', `/api/deployments/${String(created.body.id)}/occurrences?count=3`, reader);
    expect(answer).toEqual({ status: 200, body: { occurrences: ['2031-03-30T01:00:00.000Z', '2031-03-31T00:30:00.000Z', '2031-04-01T00:30:00.000Z'] } });
    expect(((await call('GET', `/api/deployments/${String(created.body.id)}/occurrences`, reader)).body.occurrences as string[]).length).toBe(10);
    const bad = await call('GET', `/api/deployments/${String(created.body.id)}/occurrences?count=0`, reader);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/from 1 to 1000/);
  });

  it('refuses a delete the scheduler guards, with its reason', async () => {
    const created = await call('POST', '/api/deployments', operator, sampleDeploymentInput({ name: 'busy' }));
    const id = String(created.body.id);
    const service = t.server.deployments;
    service.setDeleteGuard((d) => (d.id === id ? '1 run is in progress: cancel it first (POST /api/runs/{runId}/cancel).' : undefined));
    try {
      const refused = await call('DELETE', `/api/deployments/${id}`, operator);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({ code: 'DeploymentBusy', message: 'Deployment "busy" cannot be deleted now: 1 run is in progress: cancel it first (POST /api/runs/{runId}/cancel).' });
      expect((await call('GET', `/api/deployments/${id}`, reader)).status).toBe(200);
    } finally {
      service.setDeleteGuard(undefined);
    }
    expect((await call('DELETE', `/api/deployments/${id}`, operator)).status).toBe(204);
  });

  it('roles: readers read, operators and admins change, others are refused', async () => {
    const ingest = createToken(t.dbPath, 'ingest');
    expect((await call('GET', '/api/deployments', undefined)).status).toBe(401);
    expect((await call('GET', '/api/deployments', ingest)).status).toBe(403);
    const byReader = await call('POST', '/api/deployments', reader, sampleDeploymentInput({ name: 'by reader' }));
    expect(byReader.status).toBe(403);
    expect(byReader.body.error?.message).toMatch(/operator, admin/);
    expect((await call('POST', '/api/deployments', t.adminToken, sampleDeploymentInput({ name: 'by admin' }))).status).toBe(201);
    expect((await call('DELETE', '/api/deployments/whatever', reader)).status).toBe(403);
  });

  it('keeps deployments across a restart on the same file', async () => {
    const { startServer } = await import('./start-server.js');
    const listed = (await call('GET', '/api/deployments', reader)).body.deployments as Deployment[];
    await t.server.close();
    const restarted = await startServer({ dbPath: t.dbPath, port: 0 });
    try {
      const response = await fetch(`${restarted.url}/api/deployments`, { headers: { authorization: `Bearer ${reader}` } });
      expect(((await response.json()) as { deployments: Deployment[] }).deployments).toEqual(listed);
    } finally {
      await restarted.close();
    }
  });
});
