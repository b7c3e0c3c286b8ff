/** `upkeep alert …` against a real server, through bin/upkeep.mjs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/test-server.js';
import { ManualClock } from '../contracts/clock.js';
import { createToken } from '../app/workspace/workspace-file.js';

const exec = promisify(execFile);
let t: TestServer;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock('2024-05-01T00:30:00Z');
  // The rule's webhook (port 9) refuses; quick retries, so closing the server does not wait out
  // the default backoff (15 s) once the commands run as fast as the compiled CLI does.
  const backoff = { retries: 1, firstDelayMs: 50, maxDelayMs: 50, timeoutMs: 2_000 };
  t = await startTestServer({ clock, alerts: { tickMs: 3_600_000, backoff }, savedSearches: { addSamples: false }, dashboards: { addDefault: false } });
});
afterAll(async () => t?.close());

function upkeep(token: string, ...args: string[]) {
  return exec('node', ['bin/upkeep.mjs', 'alert', ...args, '--server', t.url], { env: { ...process.env, UPKEEP_TOKEN: token } });
}
const failure = (e: { stderr: string; code: number }) => e;

it('creates from a sample file, lists, shows, evaluates, lists instances and deletes', async () => {
  const operator = createToken(t.dbPath, 'operator');
  const reader = createToken(t.dbPath, 'reader');
  const created = await upkeep(operator, 'create', '--file', 'samples/alert-rules/automatic-updates-disabled.json', '--webhook', 'http://127.0.0.1:9/hook');
  expect(created.stdout).toMatch(/^Created alert rule "Automatic updates are disabled" \(.+\): rows > 0 by Computer, 1 of 1, every PT1H\./);
  const list = await upkeep(reader, 'list');
  expect(list.stdout).toMatch(/Automatic updates are disabled\s+yes\s+PT1H\s+rows > 0 by Computer, 1 of 1\s+2/);
  const shown = JSON.parse((await upkeep(reader, 'show', 'automatic updates are disabled')).stdout);
  expect(shown).toMatchObject({ name: 'Automatic updates are disabled', actions: { webhooks: ['http://127.0.0.1:9/hook'] } });

  const body = [{ TimeGenerated: '2024-05-01T00:10:00Z', Computer: 'win1', WindowsUpdateSetting: 'Manual' }, { TimeGenerated: '2024-05-01T00:10:00Z', Computer: 'win2', WindowsUpdateSetting: 'Automatic' }];
  const posted = await fetch(`${t.url}/api/logs`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'log-type': 'UpdateSummary' }, body: JSON.stringify(body) });
  expect(posted.status).toBe(200);
  expect((await upkeep(operator, 'evaluate', shown.id)).stdout).toMatch(/Computer=win1\s+Firing\s+1/);
  expect((await upkeep(reader, 'instances', shown.id)).stdout).toMatch(/No instances yet/);
  clock.set('2024-05-01T01:00:00Z');
  await t.server.alerts.evaluator.tick();
  expect((await upkeep(reader, 'instances', shown.id)).stdout).toMatch(/Computer=win1\s+Firing\s+1\s+2024-05-01T01:00:00.000Z/);

  const refused = await upkeep(reader, 'delete', shown.id).catch(failure);
  expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/Forbidden: A reader token cannot do this/) });
  const invalid = await upkeep(operator, 'create', '--file', 'samples/alert-rules/automatic-updates-disabled.json').catch(failure);
  expect(invalid).toMatchObject({ code: 1, stderr: expect.stringMatching(/AlertRuleNameTaken: An alert rule named "Automatic updates are disabled" already exists/) });
  expect((await upkeep(operator, 'delete', 'Automatic updates are disabled')).stdout).toMatch(/^Deleted alert rule "Automatic updates are disabled"/);
  expect((await fetch(`${t.url}/api/alert-rules`, { headers: { authorization: `Bearer ${reader}` } }).then((r) => r.json())) as unknown).toEqual({ alertRules: [] });
}, 90_000);
