/** `upkeep run list|show|cancel` against a real server, through bin/upkeep.mjs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryDeployments, SignedAgent, testDeployment } from '../app/updates/runs/test-fixtures.js';
import { startTestServer, type TestServer } from '../server/test-server.js';

const exec = promisify(execFile);
const now = new Date();
const deployment = testDeployment({
  name: 'CLI run',
  schedule: { startTime: now.toISOString().slice(0, 16), timeZone: 'UTC', recurrence: { frequency: 'Once' } },
  createdAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
  updatedAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
  windowMinutes: 60,
});
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ updateRuns: { deployments: new MemoryDeployments(deployment), tickMs: 100 } });
});
afterAll(async () => t?.close());

function upkeep(...args: string[]) {
  return exec('node', ['bin/upkeep.mjs', ...args, '--server', t.url], { env: { ...process.env, UPKEEP_TOKEN: t.adminToken } });
}

it('lists, shows and cancels runs', async () => {
  const agent = new SignedAgent(t.url, t.workspaceId, t.primaryKey, 'web1.contoso.com');
  const job = (await (await agent.next(10)).json()) as { runId: string };
  const list = await upkeep('run', 'list', deployment.id);
  expect(list.stdout).toContain(job.runId);
  expect(list.stdout).toMatch(/InProgress {2}2 machines/);
  const shown = await upkeep('run', 'show', job.runId, '--format', 'json');
  expect(JSON.parse(shown.stdout)).toMatchObject({ id: job.runId, name: 'CLI run' });
  const canceled = await upkeep('run', 'cancel', job.runId);
  expect(canceled.stdout).toMatch(/web2\.contoso\.com\s+Canceled/);
  const missing = await upkeep('run', 'show', 'nope').catch((e: { stderr: string; code: number }) => e);
  expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/404 There is no run nope/) });
}, 60_000);
