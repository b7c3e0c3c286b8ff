/**
 * The agent job protocol over a real server and DuckDB file: signed long polls, progress and
 * completion, UpdateRunProgress rows checked by KQL, run views, assess now, and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentJob, Run, UpdateProgress } from '../contracts/updates.js';
import { MemoryDeployments, SignedAgent, testDeployment } from '../app/updates/runs/test-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const minute = (d: Date) => d.toISOString().slice(0, 16);
const now = new Date();
const deployment = testDeployment({
  name: 'Web servers now',
  schedule: { startTime: minute(now), timeZone: 'UTC', recurrence: { frequency: 'Once' } },
  createdAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
  updatedAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
  windowMinutes: 60,
});
const deployments = new MemoryDeployments(deployment);
let t: TestServer;
let web1: SignedAgent;
let web2: SignedAgent;

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

function get(path: string, token = t.adminToken): Promise<Response> {
  return fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  t = await startTestServer({ updateRuns: { deployments, tickMs: 100 } });
  web1 = new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'web1.contoso.com');
  web2 = new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'WEB2.contoso.com');
});
afterAll(async () => t?.close());

async function waitForRun(runId: string, done: (run: Run) => boolean): Promise<Run> {
  for (let i = 0; i < 100; i++) {
    const run = await json<Run>(await get(`/api/runs/${runId}`));
    if (done(run)) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not reach the expected state`);
}

describe('agent job protocol', () => {
  let job1: AgentJob & { kind: 'install' };
  let job2Id: string;
  let runId: string;

  it('hands each target machine its install job by long poll', async () => {
    const job = await json<AgentJob>(await web1.next(10));
    expect(job.kind).toBe('install');
    job1 = job as typeof job1;
    runId = job1.runId;
    expect(job1).toMatchObject({ updateRunName: 'Web servers now', os: 'Linux', classifications: ['Critical Updates', 'Security Updates'], excludedUpdates: ['kernel*'], reboot: 'IfRequired' });
    expect(Date.parse(job1.windowEndsAt) - Date.parse(`${minute(now)}:00Z`)).toBe(60 * 60_000);
    // Machine names match whatever their case.
    const job2 = await json<AgentJob>(await web2.next(10));
    expect(job2).toMatchObject({ kind: 'install', runId });
    job2Id = job2.jobId;
    const run = await json<Run>(await get(`/api/runs/${runId}`));
    expect(run.status).toBe('InProgress');
    expect(run.machines.map((m) => m.status)).toEqual(['InProgress', 'InProgress']);
    // No second job for a machine that has its job.
    expect((await web1.next(0)).status).toBe(204);
  });

  it('writes every reported status change to UpdateRunProgress before answering', async () => {
    const started = new Date().toISOString();
    const updates: UpdateProgress[] = [
      { product: 'openssl', productArch: 'x86_64', version: '3.0.2-1', title: 'openssl 3.0.2-1', status: 'InProgress', startTime: started },
      { product: 'curl', productArch: 'x86_64', version: '8.1-2', title: 'curl 8.1-2', status: 'NotStarted' },
    ];
    expect(await json(await web1.progress(job1.jobId, updates))).toEqual({ cancel: false });
    const done = updates.map((u) => ({ ...u, status: 'Succeeded', endTime: new Date().toISOString() }));
    expect(await json(await web1.progress(job1.jobId, done))).toEqual({ cancel: false });
    expect(await json(await web1.complete(job1.jobId, 'Succeeded'))).toEqual({});
    const { body } = await t.query(`UpdateRunProgress | where CorrelationId == '${runId}' and Computer == 'web1.contoso.com' | summarize n = count() by InstallationStatus, Product | order by Product asc, InstallationStatus asc`);
    expect(body.tables[0]!.rows).toEqual([
      ['InProgress', 'openssl.x86_64', 1],
      ['Succeeded', 'openssl.x86_64', 1],
      ['NotStarted', 'curl.x86_64', 1],
      ['Succeeded', 'curl.x86_64', 1],
      ['Succeeded', '', 1],
    ].sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0]))));
    const names = await t.query(`UpdateRunProgress | where CorrelationId == '${runId}' | distinct UpdateRunName, OSType`);
    expect(names.body.tables[0]!.rows).toEqual([['Web servers now', 'Linux']]);
    const machine = await json<{ updates: UpdateProgress[] }>(await get(`/api/runs/${runId}/machines/web1.contoso.com`));
    expect(machine.updates.map((u) => [u.product, u.status])).toEqual([['curl', 'Succeeded'], ['openssl', 'Succeeded']]);
  });

  it('derives the run status from the machines: one failed machine fails the run', async () => {
    const job2 = (await json<Run>(await get(`/api/runs/${runId}`))).machines;
    expect(job2.find((m) => m.computer === 'web1.contoso.com')).toMatchObject({ status: 'Succeeded', counts: { Succeeded: 2 } });
    const jobId = job2Id;
    await json(await web2.progress(jobId, [{ product: 'bash', title: 'bash 5.2', status: 'InstallFailed', errorResult: 'dpkg: error processing package bash' }]));
    await json(await web2.complete(jobId, 'Failed', 'one update failed to install'));
    const run = await waitForRun(runId, (r) => r.endedAt !== undefined);
    expect(run.status).toBe('Failed');
    expect(run.endedAt).toBeDefined();
    const runs = await json<{ runs: Run[]; missed: string[] }>(await get(`/api/deployments/${deployment.id}/runs`));
    expect(runs.runs.map((r) => r.id)).toEqual([runId]);
    // A repeated completion is acknowledged and not recorded twice.
    await json(await web2.complete(jobId, 'Failed', 'one update failed to install'));
    expect((await t.query(`UpdateRunProgress | where CorrelationId == '${runId}' and Computer =~ 'web2.contoso.com' and Title == '' | count`)).body.tables[0]!.rows).toEqual([[1]]);
    // Ended runs cannot be canceled.
    const cancel = await fetch(`${t.url}/api/runs/${runId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(cancel.status).toBe(409);
  });

  it('wakes a waiting long poll when an operator asks to assess now', async () => {
    const web3 = new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'web3.contoso.com');
    const started = Date.now();
    const polling = web3.next(20);
    await new Promise((r) => setTimeout(r, 300));
    const queued = await json<{ jobId: string }>(await fetch(`${t.url}/api/machines/web3.contoso.com/assess`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` } }), 202);
    const job = await json<AgentJob>(await polling);
    expect(job).toEqual({ kind: 'assess', jobId: queued.jobId });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await web3.next(0)).status).toBe(204);
  });

  it('answers 204 when no job comes within waitSeconds', async () => {
    const started = Date.now();
    const response = await new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'idle.contoso.com').next(1);
    expect(response.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses unsigned and badly signed requests, unknown jobs and bad bodies with clear errors', async () => {
    const unsigned = await web1.post('/api/agents/jobs/next', { computer: 'web1.contoso.com', agentId: 'a', waitSeconds: 0 }, 'none');
    expect(unsigned.status).toBe(403);
    const bad = await web1.post('/api/agents/jobs/next', { computer: 'web1.contoso.com', agentId: 'a', waitSeconds: 0 }, 'bad-key');
    expect(((await json<{ error: { code: string } }>(bad, 403)).error.code)).toBe('InvalidSignature');
    const unknown = await json<{ error: { code: string; message: string } }>(await web1.progress('no-such-job', []), 404);
    expect(unknown.error.code).toBe('UnknownJob');
    const badStatus = await json<{ error: { code: string; message: string } }>(await web1.progress(job1.jobId, [{ title: 'x', status: 'Done' }]), 400);
    expect(badStatus.error.message).toMatch(/status/);
    const reader = await fetch(`${t.url}/api/machines/web1/assess`, { method: 'POST' });
    expect(reader.status).toBe(401);
    expect((await get('/api/runs/nope')).status).toBe(404);
  });
});
