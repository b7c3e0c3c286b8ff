/** `upkeep saved …` as child processes (bin/upkeep.mjs) against a real server. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, startTestServer, type TestServer } from '../../server/test-server.js';
import { sampleDeploymentInput } from '../updates/deployments/sample-input.js';
import { createToken } from '../workspace/workspace-file.js';

const exec = promisify(execFile);
let t: TestServer;
let operator: string;
let reader: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = createToken(t.dbPath, 'operator');
  reader = createToken(t.dbPath, 'reader');
  expect((await t.postLogs('Heartbeat', [heartbeat('web-01.contoso.com'), heartbeat('db-01.contoso.com', { OSType: 'Windows' })])).status).toBe(200);
});
afterAll(async () => t?.close());

async function upkeep(args: string[], token: string | null = operator): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (token === null) delete env.UPKEEP_TOKEN;
  else env.UPKEEP_TOKEN = token;
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/upkeep.mjs', 'saved', ...args, '--server', t.url], { timeout: 30_000, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each command is a fresh node process: seconds each on a loaded machine.
describe('upkeep saved', { timeout: 120_000 }, () => {
  it('create, list, show, update, users, delete', async () => {
    const file = join(t.dir, 'linux.kql');
    writeFileSync(file, 'Heartbeat\n| where OSType == "Linux"\n| distinct Computer\n');
    const created = await upkeep(['create', '--name', 'LinuxBoxes', '--category', 'Computer groups', '--description', 'Every Linux machine', '--query-file', file]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created saved search LinuxBoxes \([0-9a-f-]{36}\); use it in a query as LinuxBoxes\.\n$/);

    const listed = await upkeep(['list'], reader);
    expect(listed.stdout).toMatch(/Category +Name +Description\n/);
    expect(listed.stdout).toMatch(/Computer groups +LinuxBoxes +Every Linux machine\n/);
    expect(listed.stdout).toMatch(/Samples +LinuxOnboarded +Linux machines reporting/);
    const samplesOnly = JSON.parse((await upkeep(['list', '--category', 'samples', '--format', 'json'], reader)).stdout) as { name: string }[];
    expect(samplesOnly.length).toBe(9);

    const shown = await upkeep(['show', 'linuxboxes'], reader);
    expect(shown.stdout).toMatch(/^LinuxBoxes {2}\([0-9a-f-]{36}\)\nCategory: Computer groups\nDescription: Every Linux machine\nUpdated: .*\n\nHeartbeat\n\| where OSType == "Linux"\n\| distinct Computer\n$/);

    const updated = await upkeep(['update', 'LinuxBoxes', '--description', 'Linux, all of them']);
    expect(updated.stdout).toMatch(/^Updated saved search LinuxBoxes/);
    expect(t.server.savedSearches.find('LinuxBoxes')).toMatchObject({ description: 'Linux, all of them', query: expect.stringContaining('distinct Computer') });

    const deployment = await fetch(`${t.url}/api/deployments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleDeploymentInput({ name: 'Linux boxes nightly', targets: { machines: [], groups: [{ name: 'linux', savedSearch: 'LinuxBoxes' }], dynamicGroups: [] } })),
    });
    expect(deployment.status).toBe(201);
    expect((await upkeep(['users', 'LinuxBoxes'], reader)).stdout).toMatch(/^deployment "Linux boxes nightly" \([0-9a-f-]{36}\) at targets\.groups\[0\]\n$/);
    const refused = await upkeep(['delete', 'LinuxBoxes']);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot be deleted: it is used by deployment "Linux boxes nightly"/) });

    const sample = await upkeep(['delete', 'DistinctMissingUpdates']);
    expect(sample.stdout).toMatch(/^Deleted saved search DistinctMissingUpdates/);
  });

  it('prints problems one per line, and clear errors for bad usage and a missing token', async () => {
    const bad = await upkeep(['create', '--name', 'Bad name', '--query', 'Heartbeat | where Nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The server refused the saved search \(InvalidSavedSearch\):\n {2}name: .*"Bad_name".*\n {2}query: 1:19: E202: Unknown column or name 'Nope'/);
    expect(await upkeep(['list'], null)).toMatchObject({ code: 1, stderr: expect.stringMatching(/No token: pass --token or set UPKEEP_TOKEN/) });
    expect(await upkeep(['show', 'Nope'], reader)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no saved search with the id or name "Nope"/) });
    expect(await upkeep(['create', '--name', 'Y', '--query', 'print 1'], reader)).toMatchObject({ code: 1, stderr: expect.stringMatching(/A reader token cannot do this/) });
  });
});
