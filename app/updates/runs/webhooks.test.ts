/** Pre/post webhooks around a run, against a real receiver on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../contracts/updates.js';
import { ManualClock } from '../../../contracts/clock.js';
import { MemoryDeployments, testDeployment } from './test-fixtures.js';
import { UpdateRuns } from './update-runs.js';
import { callWebhook } from './webhooks.js';

interface Received {
  path: string;
  body: { event: string; deployment: Deployment; run: { id: string; status: string; machines: unknown[] } };
}

let receiver: Server;
let base: string;
const received: Received[] = [];
/** Status the receiver answers per path; 'hang' never answers. */
const answers = new Map<string, number | 'hang'>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'] });
      const answer = answers.get(req.url ?? '') ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

let dir: string;
let instance: DuckDBInstance;
let runs: UpdateRuns;
afterEach(async () => {
  await runs?.close();
  instance?.closeSync();
  rmSync(dir, { recursive: true, force: true });
  received.length = 0;
});

async function runOnce(webhooks: Deployment['webhooks']): Promise<{ runs: UpdateRuns; deployment: Deployment; clock: ManualClock }> {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-webhooks-'));
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  const clock = new ManualClock('2030-01-07T02:00:00Z');
  const deployment = testDeployment({ webhooks, targets: { machines: ['web1.contoso.com'], groups: [], dynamicGroups: [] } });
  runs = await UpdateRuns.open({ instance, deployments: new MemoryDeployments(deployment), clock, sink: async () => undefined, webhooks: { timeoutMs: 300, retryDelaysMs: [20, 20] } });
  await runs.scheduler.tick();
  await runs.engine.settled();
  return { runs, deployment, clock };
}

describe('webhooks', () => {
  it('POSTs the deployment and run before the first machine starts and the outcome after the run', async () => {
    const { deployment } = await runOnce({ pre: `${base}/pre`, post: `${base}/post` });
    expect(received.map((r) => r.path)).toEqual(['/pre']);
    expect(received[0]!.body).toMatchObject({ event: 'pre', deployment: { id: deployment.id }, run: { status: 'NotStarted' } });
    const job = await runs.jobs.next({ computer: 'web1.contoso.com', agentId: 'a', waitSeconds: 0 }, { agentId: 'a' });
    await runs.jobs.complete(job!.jobId, { status: 'Succeeded', rebooted: false });
    await runs.engine.settled();
    expect(received.map((r) => r.path)).toEqual(['/pre', '/post']);
    expect(received[1]!.body).toMatchObject({ event: 'post', run: { status: 'Succeeded', machines: [{ computer: 'web1.contoso.com', status: 'Succeeded' }] } });
    const [run] = await runs.store.runsOf(deployment.id);
    expect(run).toMatchObject({ phase: 'done', postWebhook: 'HTTP 200' });
  });

  it('fails the run with a clear reason when the pre-webhook keeps failing, after retrying', async () => {
    answers.set('/pre-500', 500);
    const { deployment } = await runOnce({ pre: `${base}/pre-500`, post: `${base}/post` });
    expect(received.map((r) => r.path)).toEqual(['/pre-500', '/pre-500', '/pre-500', '/post']);
    const [stored] = await runs.store.runsOf(deployment.id);
    const run = await runs.engine.view(stored!);
    expect(run.status).toBe('Failed');
    expect(run.reason).toMatch(/^The pre-webhook http:\/\/127\.0\.0\.1:\d+\/pre-500 answered HTTP 500 .*\(after 3 attempts\); no machine was started/);
    expect(run.machines).toMatchObject([{ status: 'Canceled', reason: 'the pre-webhook failed' }]);
    expect(await runs.jobs.next({ computer: 'web1.contoso.com', agentId: 'a', waitSeconds: 0 }, { agentId: 'a' })).toBeUndefined();
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    answers.set('/hang', 'hang');
    const outcome = await callWebhook(`${base}/hang`, { event: 'pre' }, { timeoutMs: 200, retryDelaysMs: [10] });
    expect(outcome).toEqual({ ok: false, error: 'did not answer within 200 ms', attempts: 2 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await callWebhook(`http://127.0.0.1:${port}/none`, {}, { timeoutMs: 200, retryDelaysMs: [] });
    expect(refused.ok === false && refused.error).toMatch(/could not be reached \(.*ECONNREFUSED/);
  });
});
