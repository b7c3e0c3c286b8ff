/**
 * Tokens and keys on a real server: the admin API and the CLI on the same workspace file while
 * serving, revocation taking effect at the next request, key rotation with its grace period on
 * the server's clock, per-machine agent tokens, and secrets never stored in clear.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWorkspaceCommands } from '../../cli/workspace-commands.js';
import { signedLogHeaders, startTestServer, type TestServer } from '../../server/test-server.js';
import { createToken, readWorkspace, workspaceFileOf } from '../../app/workspace/workspace-file.js';

const run = promisify(execFile);
let t: TestServer;
let clock = new Date('2031-05-06T10:00:00Z');
/** Every token text handed out here: none may be found in any stored file. */
const issued: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ now: () => clock, savedSearches: { addSamples: false } });
  issued.push(t.adminToken);
}, 60_000);

let stopped = false;
afterAll(async () => {
  if (!stopped) await t?.server.close();
  if (t) rmSync(t.dir, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The CLI in this process (the real commands; spawning bin/upkeep.mjs costs seconds each on a busy machine). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command().exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: (text) => void errors.push(text) });
  registerWorkspaceCommands(program);
  const out: string[] = [];
  const errors: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => errors.push(String(chunk)) > 0);
  let code = 0;
  try {
    await program.parseAsync(['node', 'upkeep', ...args, '--db', t.dbPath]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { code, stdout: out.join(''), stderr: errors.join('') };
}

/** The CLI as a user runs it, in its own process. */
async function upkeep(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/upkeep.mjs', ...args, '--db', t.dbPath], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function signed(path: string, body: unknown, key: string): Promise<number> {
  const text = JSON.stringify(body);
  const headers = { ...signedLogHeaders(t.workspaceId, key, Buffer.byteLength(text), 'application/json', path, clock), 'log-type': 'Heartbeat' };
  return (await fetch(`${t.url}${path}`, { method: 'POST', headers, body: text })).status;
}

const heartbeat = (computer: string) => [{ Computer: computer, TimeGenerated: clock.toISOString(), OSType: 'Linux', Version: '1.0' }];

describe('tokens over the admin API and the CLI', () => {
  it('creates, lists and revokes tokens; a revoked token is refused at its next request', async () => {
    const made = await call('POST', '/api/tokens', t.adminToken, { role: 'reader', label: 'wallboard' });
    expect(made.status).toBe(201);
    const reader = String(made.json.token);
    issued.push(reader);
    expect(reader).toMatch(/^upk_[0-9a-f]{12}_/);
    expect((await call('POST', '/api/query', reader, { query: 'print 1' })).status).toBe(200);
    const listed = (await call('GET', '/api/tokens', t.adminToken)).json.tokens as Record<string, unknown>[];
    const entry = listed.find((x) => x.id === made.json.id)!;
    expect(entry).toMatchObject({ role: 'reader', label: 'wallboard' });
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'label', 'role']);
    expect(JSON.stringify(listed)).not.toMatch(/salt|hash|upk_/);

    // The CLI sees the same tokens and revokes one while the server runs.
    const cliList = await cli('token', 'list', '--format', 'json');
    expect((JSON.parse(cliList.stdout) as { tokens: { id: string }[] }).tokens.map((x) => x.id)).toContain(made.json.id);
    const revoked = await upkeep('token', 'revoke', String(made.json.id));
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked reader token/);
    const refused = await call('POST', '/api/query', reader, { query: 'print 1' });
    expect(refused.status).toBe(401);
    expect((await cli('token', 'list')).stdout).toMatch(new RegExp(`${String(made.json.id)}\\s+reader\\s+revoked`));

    // Over the API too, and a CLI-made token works at once.
    const madeByCli = await cli('token', 'create', '--role', 'operator', '--label', 'ops', '--format', 'json');
    const operator = (JSON.parse(madeByCli.stdout) as { token: string; id: string });
    issued.push(operator.token);
    expect((await call('POST', '/api/runs/none/cancel', operator.token)).status).toBe(404);
    expect((await call('DELETE', `/api/tokens/${operator.id}`, t.adminToken)).status).toBe(204);
    expect((await call('POST', '/api/runs/none/cancel', operator.token)).status).toBe(401);
    expect((await call('DELETE', '/api/tokens/000000000000', t.adminToken)).json).toMatchObject({ error: { code: 'UnknownToken' } });
  });

  it('refuses bad requests with the field and the fix, and never revokes the last admin token', async () => {
    expect((await call('POST', '/api/tokens', t.adminToken, { role: 'root' })).json).toMatchObject({ error: { code: 'InvalidTokenRequest', message: expect.stringMatching(/role must be one of admin, operator, reader, agent, ingest/) } });
    expect((await call('POST', '/api/tokens', t.adminToken, { role: 'reader', machine: 'x' })).json.error).toMatchObject({ message: expect.stringMatching(/Only agent tokens are bound to a machine/) });
    expect((await call('POST', '/api/tokens', t.adminToken, { role: 'agent', machine: 'nowhere.example' })).status).toBe(404);
    const adminId = t.adminToken.slice(4, 16);
    const last = await call('DELETE', `/api/tokens/${adminId}`, t.adminToken);
    expect(last.status).toBe(409);
    expect(last.json.error).toMatchObject({ code: 'LastAdminToken', message: expect.stringMatching(/create another first/) });
    expect((await cli('token', 'revoke', adminId)).stderr).toMatch(/last admin token/);
    expect((await call('GET', '/api/tokens', t.adminToken)).status).toBe(200);
  });

  it('tells a reader which role an action needs', async () => {
    const reader = createToken(t.dbPath, 'reader');
    issued.push(reader);
    const refused = await call('POST', '/api/deployments', reader, {});
    expect(refused.status).toBe(403);
    expect(refused.json.error).toEqual({ code: 'Forbidden', message: 'A reader token cannot do this: it needs the operator role (allowed: operator, admin). Ask an admin for an operator token (upkeep token create --role operator).' });
    expect(((await call('GET', '/api/tokens', reader)).json.error as { message: string }).message).toMatch(/needs the admin role\. Ask an admin for an admin token/);
  });
});

describe('workspace key rotation', () => {
  it('keeps the old key valid for the grace period on the server clock, then refuses it', async () => {
    const before = (await call('GET', '/api/workspace/keys', t.adminToken)).json;
    expect(before).toEqual({ workspaceId: t.workspaceId, primaryKey: t.primaryKey, previousKeyValidUntil: null });
    const rotated = (await call('POST', '/api/workspace/keys/rotate', t.adminToken, { graceHours: 2 })).json;
    expect(rotated.primaryKey).not.toBe(t.primaryKey);
    expect(rotated.previousKeyValidUntil).toBe('2031-05-06T12:00:00.000Z');
    expect(await signed('/api/logs', heartbeat('rotation-1'), t.primaryKey)).toBe(200);
    expect(await signed('/api/logs', heartbeat('rotation-1'), String(rotated.primaryKey))).toBe(200);
    clock = new Date('2031-05-06T12:00:01Z');
    expect(await signed('/api/logs', heartbeat('rotation-1'), t.primaryKey)).toBe(403);
    expect(await signed('/api/logs', heartbeat('rotation-1'), String(rotated.primaryKey))).toBe(200);
    expect((await call('GET', '/api/workspace/keys', t.adminToken)).json.previousKeyValidUntil).toBeNull();
    expect((await call('POST', '/api/workspace/keys/rotate', t.adminToken, { graceHours: 1000 })).json.error).toMatchObject({ code: 'InvalidKeyRotation' });
  });

  it('rotates from the CLI while serving; --grace-hours 0 retires the old key at once', async () => {
    const old = readWorkspace(workspaceFileOf(t.dbPath)).primaryKey;
    const rotated = await upkeep('workspace', 'rotate-key', '--grace-hours', '0', '--format', 'json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const { primaryKey, previousKeyValidUntil } = JSON.parse(rotated.stdout) as { primaryKey: string; previousKeyValidUntil: string | null };
    expect(previousKeyValidUntil).toBeNull();
    expect(await signed('/api/logs', heartbeat('rotation-2'), old)).toBe(403);
    expect(await signed('/api/logs', heartbeat('rotation-2'), primaryKey)).toBe(200);
    expect((await cli('workspace', 'rotate-key', '--grace-hours', 'soon')).stderr).toMatch(/not a number of hours from 0 to 168/);
  });
});

describe('per-machine agent tokens', () => {
  const key = () => readWorkspace(workspaceFileOf(t.dbPath)).primaryKey;
  const register = async (machineId: string, fqdn: string) => {
    const body = JSON.stringify({ machineId, fqdn, osType: 'Linux' });
    const headers = signedLogHeaders(t.workspaceId, key(), Buffer.byteLength(body), 'application/json', '/api/agents/register', clock);
    const answer = (await (await fetch(`${t.url}/api/agents/register`, { method: 'POST', headers, body })).json()) as { agentId: string; agentToken: string };
    issued.push(answer.agentToken);
    return { ...answer, machineId, fqdn };
  };
  const next = (token: string, agent: { agentId: string; fqdn: string }) => call('POST', '/api/agents/jobs/next', token, { computer: agent.fqdn, agentId: agent.agentId, waitSeconds: 0 });

  it('fetch and report their own machine\'s jobs only; SharedKey and admin act for any machine', async () => {
    const a = await register('machine-a', 'a.example.com');
    const b = await register('machine-b', 'b.example.com');
    for (const m of [a, b]) expect((await call('POST', `/api/machines/${m.fqdn}/assess`, t.adminToken)).status).toBe(202);

    const stolen = await next(a.agentToken, b);
    expect(stolen.status).toBe(403);
    expect(stolen.json.error).toMatchObject({ code: 'OtherMachine', message: expect.stringMatching(/acts only for a\.example\.com .* not for b\.example\.com/) });
    expect((await call('POST', '/api/agents/jobs/next', a.agentToken, { computer: b.fqdn, agentId: a.agentId, waitSeconds: 0 })).status).toBe(403);
    const own = await next(a.agentToken, a);
    expect(own.status).toBe(200);
    const jobA = String(own.json.jobId);

    // b's job, fetched by a SharedKey signer (any machine, as in the reference).
    const text = JSON.stringify({ computer: b.fqdn, agentId: b.agentId, waitSeconds: 0 });
    const headers = signedLogHeaders(t.workspaceId, key(), Buffer.byteLength(text), 'application/json', '/api/agents/jobs/next', clock);
    const fetched = (await (await fetch(`${t.url}/api/agents/jobs/next`, { method: 'POST', headers, body: text })).json()) as Record<string, unknown>;
    const jobB = String(fetched.jobId);

    const done = { status: 'Succeeded', rebooted: false };
    expect((await call('POST', `/api/agents/jobs/${jobB}/complete`, a.agentToken, done)).status).toBe(403);
    expect((await call('POST', `/api/agents/jobs/${jobB}/progress`, a.agentToken, { updates: [] })).status).toBe(403);
    expect((await call('POST', `/api/agents/jobs/${jobA}/complete`, a.agentToken, done)).status).toBe(200);
    expect((await call('POST', `/api/agents/jobs/${jobB}/complete`, b.agentToken, done)).status).toBe(200);
    expect((await next(t.adminToken, b)).status).toBe(204);

    // Its token re-registers its own machine only; agents ingest for the workspace.
    const other = await call('POST', '/api/agents/register', a.agentToken, { machineId: b.machineId, fqdn: b.fqdn, osType: 'Linux' });
    expect(other.status).toBe(403);
    const logs = await fetch(`${t.url}/api/logs`, { method: 'POST', headers: { authorization: `Bearer ${a.agentToken}`, 'content-type': 'application/json', 'log-type': 'Heartbeat' }, body: JSON.stringify(heartbeat(a.fqdn)) });
    expect(logs.status).toBe(200);
  });

  it('binds a CLI-made agent token with --machine; an unbound one may register and ingest but not handle jobs', async () => {
    const c = await register('machine-c', 'c.example.com');
    const made = await cli('token', 'create', '--role', 'agent', '--machine', 'C.example.com', '--format', 'json');
    const bound = JSON.parse(made.stdout) as { token: string; agentId: string; computer: string };
    issued.push(bound.token);
    expect(bound).toMatchObject({ agentId: c.agentId, computer: 'c.example.com' });
    expect((await next(bound.token, c)).status).toBe(204);
    // The machine registering again replaces its registration token, not the one an admin bound to it.
    const again = await register('machine-c', 'c.example.com');
    expect(again.agentId).toBe(c.agentId);
    expect((await next(c.agentToken, c)).status).toBe(401);
    expect((await next(again.agentToken, c)).status).toBe(204);
    expect((await next(bound.token, c)).status).toBe(204);
    expect((await cli('token', 'list')).stdout).toMatch(/agent\s+active\s+c\.example\.com/);
    expect((await cli('token', 'create', '--role', 'agent', '--machine', 'nowhere')).stderr).toMatch(/No registered machine is called nowhere/);

    const unbound = createToken(t.dbPath, 'agent');
    issued.push(unbound);
    const refused = await next(unbound, c);
    expect(refused.status).toBe(403);
    expect((refused.json.error as { message: string }).message).toMatch(/not bound to a machine/);
    const registered = await call('POST', '/api/agents/register', unbound, { machineId: 'machine-d', fqdn: 'd.example.com', osType: 'Linux' });
    expect(registered.status).toBe(201);
    issued.push(String(registered.json.agentToken));
    expect((await next(String(registered.json.agentToken), { agentId: String(registered.json.agentId), fqdn: 'd.example.com' })).status).toBe(204);
  });
});

describe('secrets at rest', () => {
  it('the workspace file and the database files hold no token secret, only salted hashes', async () => {
    const search = (await call('POST', '/api/saved-searches', t.adminToken, { name: 'SecretsSearch', category: 'Test', description: '', query: 'Heartbeat | count' })).json;
    const tile = { title: 'Count', savedSearchId: search.id, visualization: 'auto', timeRange: 'PT1H', refreshSeconds: 0, x: 0, y: 0, w: 4, h: 3 };
    const dashboard = (await call('POST', '/api/dashboards', t.adminToken, { name: 'Secrets', tiles: [tile] })).json as { id: string; tiles: { id: string }[] };
    const embed = await call('POST', `/api/dashboards/${dashboard.id}/tiles/${dashboard.tiles[0]!.id}/embed-token`, t.adminToken, {});
    expect(String(embed.json.token)).toMatch(/^upe_/);
    await t.server.close();
    stopped = true;
    const files = listFiles(t.dir);
    expect(files.some((f) => f.endsWith('.duckdb'))).toBe(true);
    expect(files.some((f) => f.endsWith('.workspace.json'))).toBe(true);
    // Stopped first, so the database file holds everything (checkpointed); the secrets are base64url, '_' included.
    const secrets = [...issued, String(embed.json.token)].map((text) => text.slice(17));
    expect(secrets.length).toBeGreaterThan(8);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${secret} found in ${file}`).toBe(false);
    }
    const stored = readWorkspace(workspaceFileOf(t.dbPath)).tokens;
    const kept = issued.map((text) => stored.find((s) => s.id === text.slice(4, 16))).filter((s) => s !== undefined);
    expect(kept.length).toBe(issued.length - 1); // machine c's first registration token was replaced
    for (const token of stored) expect(token.hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
