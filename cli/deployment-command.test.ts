/** `upkeep deployment …` as child processes against a real server. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/test-server.js';
import { sampleDeploymentInput } from '../app/updates/deployments/sample-input.js';
import { createToken } from '../app/workspace/workspace-file.js';

const exec = promisify(execFile);
let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = createToken(t.dbPath, 'operator');
});
afterAll(async () => {
  await t?.close();
});

/** `token` null: no token at all. */
async function upkeep(args: string[], token: string | null = operator): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (token === null) delete env.UPKEEP_TOKEN;
  else env.UPKEEP_TOKEN = token;
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/upkeep.mjs', 'deployment', ...args, '--server', t.url], { timeout: 30_000, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each command is a fresh node process: seconds each on a loaded machine.
describe('upkeep deployment', { timeout: 120_000 }, () => {
  it('create from flags, list, occurrences, update, show, delete', async () => {
    const created = await upkeep(['create', '--name', 'Nightly Linux', '--os', 'Linux', '--classification', 'security', '--exclude', 'kernel*', '--machine', 'web-01', '--start', '2031-03-29T02:30', '--time-zone', 'Europe/Berlin', '--every', 'day', '--window', '90', '--reboot', 'Never']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created deployment "Nightly Linux" \([0-9a-f-]{36}\): every day at 02:30, from 2031-03-29 Europe\/Berlin, 90 min; next 2031-03-29T01:30Z/);

    const listed = await upkeep(['list']);
    expect(listed.stdout).toMatch(/Id +Name +OS +Enabled +Schedule\n[0-9a-f-]{36} +Nightly Linux +Linux +yes +every day/);

    const next = await upkeep(['occurrences', 'nightly linux', '--count', '3']);
    expect(next.stdout).toBe('2031-03-29T01:30:00.000Z  (2031-03-29 02:30 Europe/Berlin)\n2031-03-30T01:00:00.000Z  (2031-03-30 03:00 Europe/Berlin)\n2031-03-31T00:30:00.000Z  (2031-03-31 02:30 Europe/Berlin)\n');

    const updated = await upkeep(['update', 'Nightly Linux', '--window', '180', '--every', '2 weeks', '--weekdays', 'tue,sat']);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/every 2 weeks on Tuesday, Saturday at 02:30/);
    const shown = JSON.parse((await upkeep(['show', 'Nightly Linux'])).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ windowMinutes: 180, reboot: 'Never', excludedUpdates: ['kernel*'], classifications: ['Security Updates'] });

    expect((await upkeep(['delete', 'Nightly Linux'])).stdout).toMatch(/^Deleted deployment "Nightly Linux"/);
    const gone = await upkeep(['show', 'Nightly Linux']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No deployment has the id or name "Nightly Linux": see upkeep deployment list/);
  });

  it('create from --file; validation problems print one per line', async () => {
    const file = join(t.dir, 'deployment.json');
    writeFileSync(file, JSON.stringify(sampleDeploymentInput({ name: 'From file' })));
    expect((await upkeep(['create', '--file', file])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ ...sampleDeploymentInput({ name: 'Broken' }), os: 'Windows', excludedUpdates: ['KB4012345'], windowMinutes: 20 }));
    const refused = await upkeep(['create', '--file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')).toEqual([
      'upkeep: The server refused the deployment (InvalidDeployment):',
      expect.stringMatching(/^  excludedUpdates\[0\]: .*write 4012345, not KB4012345\.$/),
      expect.stringMatching(/^  windowMinutes: .*from 30 to 360/),
      '',
    ]);
  });

  it('a missing token names `upkeep token create --role operator`; an unreachable server names upkeep serve', async () => {
    const missing = await upkeep(['list'], null);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No token: pass --token or set UPKEEP_TOKEN\. Create one with `upkeep token create --role operator`/);
    const closedPort = await freePort();
    const { stderr, code } = await exec(process.execPath, ['bin/upkeep.mjs', 'deployment', 'list', '--server', `http://127.0.0.1:${closedPort}`, '--token', 'x'], { timeout: 30_000 }).then(
      () => ({ stderr: '', code: 0 }),
      (error: { stderr: string; code: number }) => error,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/Cannot reach the Upkeep server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with `upkeep serve`/);
    const badFlag = await upkeep(['create', '--name', 'x', '--every', 'fortnightly']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--every "fortnightly" is not a recurrence/);
  });
});

/** A loopback port nothing listens on (one the OS just handed out and took back). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
