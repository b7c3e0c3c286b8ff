/** The agent's configuration file and key file, and `upkeep-agent` (agent/main.ts) as a real process reading them. */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentEndpoint, parseConfig, readAgentConfig, readKeyFile } from './agent-config.js';
import { TestServer } from './testing/test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-agent-config-'));

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('the configuration file', () => {
  it('reads settings, comments, quotes and defaults', () => {
    const path = file('full.conf', '# comment\n\n  server = "https://upkeep.example.com:8080"\nworkspace_id=ws-1\nallow_reboot = yes\nca_file = /etc/ca.pem # not a comment\n', 0o644);
    expect(readAgentConfig(path)).toEqual({
      path, server: 'https://upkeep.example.com:8080', workspaceId: 'ws-1', keyFile: '/etc/upkeep/agent.key', stateDir: '/var/lib/upkeep',
      caFile: '/etc/ca.pem # not a comment', allowReboot: true, lines: { server: 3, workspace_id: 4, allow_reboot: 5, ca_file: 6 },
    });
  });

  it('names the file, the line and the fix for each mistake', () => {
    expect(() => parseConfig('server = http://x\nserver http://y\n', 'a.conf')).toThrow('a.conf line 2: "server http://y" is not a setting: write `key = value`');
    expect(() => parseConfig('sever = http://x\n', 'a.conf')).toThrow('a.conf line 1: unknown setting "sever": the settings are server, workspace_id, key_file, state_dir, ca_file, allow_reboot.');
    expect(() => parseConfig('key_file =\n', 'a.conf')).toThrow('a.conf line 1: key_file has no value');
    expect(() => parseConfig('server = http://x\n#\nserver = http://y\n', 'a.conf')).toThrow('a.conf line 3: server is already set on line 1');
    expect(() => readAgentConfig(file('no-ws.conf', 'server = http://x\n'))).toThrow(/no-ws\.conf: workspace_id is not set: add a line `workspace_id = /);
    expect(() => readAgentConfig(file('ftp.conf', 'workspace_id = w\nserver = ftp://x\n'))).toThrow(/ftp\.conf line 2: server must be an http:\/\/ or https:\/\/ URL/);
    expect(() => readAgentConfig(file('bool.conf', 'server = http://x\nworkspace_id = w\nallow_reboot = maybe\n'))).toThrow(/bool\.conf line 3: allow_reboot must be true or false, got "maybe"/);
    expect(() => readAgentConfig(join(dir, 'missing.conf'))).toThrow(/cannot read the agent configuration .*missing\.conf: no such file\. Pass another file with --config/);
  });

  it('refuses a key file others may read, a missing one and one without a key', () => {
    const open = file('open.key', 'a2V5\n', 0o644);
    expect(() => readKeyFile(open, 'x.conf line 3 (key_file)')).toThrow(`x.conf line 3 (key_file): the key file ${open} is readable by group or others (mode 0644): run chmod 600 ${open}.`);
    expect(() => readKeyFile(file('group.key', 'a2V5', 0o640), 'o')).toThrow(/mode 0640\): run chmod 600/);
    expect(() => readKeyFile(join(dir, 'none.key'), 'o')).toThrow(/cannot read the key file .*none\.key: no such file\. Write the workspace key/);
    expect(() => readKeyFile(file('junk.key', 'not a key!'), 'o')).toThrow(/does not hold a workspace key/);
    expect(readKeyFile(file('good.key', '  a2V5\n'), 'o')).toBe('a2V5');
    const config = readAgentConfig(file('k.conf', `server = http://x\nworkspace_id = w\nkey_file = ${open}\n`));
    expect(() => agentEndpoint(config)).toThrow(/k\.conf line 3 \(key_file\): the key file .* chmod 600/);
  });
});

describe('upkeep-agent', () => {
  const server = new TestServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function agent(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)('node', ['bin/run-ts.mjs', 'agent/main.ts', ...args], { timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('checks the configuration, then runs once from it with the key from the key file', async () => {
    const key = file('agent.key', `${server.key}\n`, 0o600);
    const config = file('agent.conf', `server = ${server.url}\nworkspace_id = ${server.workspaceId}\nkey_file = ${key}\nstate_dir = ${join(dir, 'state')}\n`, 0o644);
    const check = await agent(['--config', config, '--check-config']);
    expect(check.stdout).toContain(`${config}: complete (server ${server.url}, workspace ${server.workspaceId}`);
    expect(check.code).toBe(0);
    const once = await agent(['--config', config, '--once']);
    expect(once.stdout).toMatch(/^agent agent-\S+: \d+ records in 3 batches acknowledged/);
    expect(once.code).toBe(0);
    expect(server.records('Heartbeat')).toHaveLength(1);
  }, 90_000);

  it('exits 2 naming the problem when the configuration is not complete', async () => {
    const config = file('bad.conf', `server = ${server.url}\nworkspace_id = w\nkey_file = ${file('loose.key', server.key, 0o604)}\n`, 0o644);
    const bad = await agent(['--config', config, '--once']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^upkeep-agent: .*bad\.conf line 3 \(key_file\): the key file .*loose\.key is readable by group or others \(mode 0604\): run chmod 600/);
    const usage = await agent(['--key', server.key]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown option '--key'/);
  }, 90_000);
});
