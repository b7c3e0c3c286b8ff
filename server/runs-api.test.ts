/**
 * Runs through the real server on a ManualClock: a deployment created over the deployments API
 * fires, an agent takes its job with signed requests, an operator cancels, the delete guard holds
 * while the run is unfinished, and UpdateRunProgress shows the outcome by KQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentJob, Deployment, Run } from '../contracts/updates.js';
import { ManualClock } from '../contracts/clock.js';
import { SignedAgent } from '../app/updates/runs/test-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const clock = new ManualClock('2030-03-04T01:00:00Z');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ clock, updateRuns: { tickMs: 5_000 } });
});
afterAll(async () => t?.close());

function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${t.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

it('runs a deployment created over the API, cancels it, and records it in UpdateRunProgress', async () => {
  const created = await call('POST', '/api/deployments', {
    name: 'Canary apt', os: 'Linux', classifications: ['Security Updates'], excludedUpdates: [], includedUpdates: [],
    targets: { machines: ['web1.contoso.com', 'web2.contoso.com'], groups: [], dynamicGroups: [] },
    schedule: { startTime: '2030-03-04T02:00', timeZone: 'UTC', recurrence: { frequency: 'Once' } },
    windowMinutes: 90, reboot: 'Never', enabled: true,
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const deployment = (await created.json()) as Deployment;
  clock.set('2030-03-04T02:00:00Z');
  const runs = await until(async () => {
    const listed = (await (await call('GET', `/api/deployments/${deployment.id}/runs`)).json()) as { runs: Run[] };
    return listed.runs.length > 0 ? listed.runs : undefined;
  });
  const agent = new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'web1.contoso.com', 'agent-1', () => clock.now());
  // The run row can be listed a tick before its first ring's jobs are opened: poll like an agent.
  const job = await until(async () => {
    const answer = await agent.next(0);
    return answer.status === 200 ? ((await answer.json()) as AgentJob) : undefined;
  });
  expect(job).toMatchObject({ kind: 'install', runId: runs[0]!.id, updateRunName: 'Canary apt', reboot: 'Never' });
  const busy = await call('DELETE', `/api/deployments/${deployment.id}`);
  expect(busy.status).toBe(409);
  expect(await busy.text()).toMatch(/has a run in progress/);
  const canceled = await call('POST', `/api/runs/${runs[0]!.id}/cancel`);
  expect(canceled.status).toBe(202);
  expect(((await canceled.json()) as Run).machines.map((m) => m.status)).toEqual(['InProgress', 'Canceled']);
  expect(await (await agent.progress(job.jobId, [{ product: 'nginx', title: 'nginx 1.24', status: 'InProgress' }])).json()).toEqual({ cancel: true });
  expect((await agent.complete(job.jobId, 'Canceled')).status).toBe(200);
  // The outcome is recorded for good: a different one later is refused, a repeat acknowledged.
  const late = await agent.complete(job.jobId, 'Succeeded');
  expect(late.status).toBe(409);
  expect(((await late.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'JobEnded', message: expect.stringMatching(/already ended as Canceled; its outcome stays Canceled and Succeeded was not recorded/) });
  expect((await agent.complete(job.jobId, 'Canceled')).status).toBe(200);
  const run = await until(async () => {
    const r = (await (await call('GET', `/api/runs/${runs[0]!.id}`)).json()) as Run;
    return r.endedAt ? r : undefined;
  });
  expect(run.status).toBe('Canceled');
  expect(run.machines.map((m) => m.status)).toEqual(['Canceled', 'Canceled']);
  const { body } = await t.query(`UpdateRunProgress | where CorrelationId == '${run.id}' | project Computer, InstallationStatus, Title | order by Computer asc, InstallationStatus asc`);
  expect(body.tables[0]!.rows).toEqual([
    ['web1.contoso.com', 'Canceled', ''],
    ['web1.contoso.com', 'InProgress', 'nginx 1.24'],
    ['web2.contoso.com', 'Canceled', ''],
  ]);
  expect((await call('DELETE', `/api/deployments/${deployment.id}`)).status).toBe(204);
});
