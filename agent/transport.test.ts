/** The transport against a local server that checks signatures the way the contract says. */
import { createServer as createTlsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKeySignature } from './signature.js';
import { TestServer } from './testing/test-server.js';
import { RegistrationError, UpkeepClient } from './transport.js';

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const client = (key = server.key, url = server.url) => new UpkeepClient({ url, workspaceId: server.workspaceId, key, timeoutMs: 2000 });

describe('signature', () => {
  it('matches the Data Collector API example computed independently', () => {
    // HMAC-SHA256 over the canonical string with the base64-decoded key, as the reference documents it.
    const key = Buffer.alloc(32, 7).toString('base64');
    const date = 'Mon, 04 Mar 2024 10:00:00 GMT';
    const expected = execFileSync('sh', ['-c', `printf 'POST\\n12\\napplication/json\\nx-ms-date:${date}\\n/api/logs' | openssl dgst -sha256 -mac HMAC -macopt hexkey:${'07'.repeat(32)} -binary | base64`]).toString().trim();
    expect(sharedKeySignature(key, 12, date, '/api/logs')).toBe(expected);
  });
});

describe('sendLogs', () => {
  it('is acknowledged with a batch id, once, even when sent twice', async () => {
    const c = client();
    const records = [{ Computer: 'wéb1.contoso.com', TimeGenerated: '2024-03-04T10:00:00.000Z' }];
    expect(await c.sendLogs('Heartbeat', records, '00000000-0000-4000-8000-000000000001')).toEqual({ kind: 'accepted' });
    expect(await c.sendLogs('Heartbeat', records, '00000000-0000-4000-8000-000000000001')).toEqual({ kind: 'accepted' });
    expect(server.batches.get('00000000-0000-4000-8000-000000000001')?.records).toEqual(records);
    expect(server.duplicates).toBe(1);
    c.close();
  });

  it('says what to do with 403, 400, 429 + Retry-After and a refused connection', async () => {
    const wrong = client(Buffer.from('wrong key').toString('base64'));
    expect(await wrong.sendLogs('Heartbeat', [], 'x')).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/--workspace and --key/) });
    wrong.close();
    const c = client();
    server.failNext = [400];
    expect(await c.sendLogs('Heartbeat', [], 'y')).toMatchObject({ kind: 'rejected', status: 400, message: '400: told to answer 400' });
    server.failNext = [429];
    server.retryAfterSeconds = 7;
    expect(await c.sendLogs('Heartbeat', [], 'z')).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    server.retryAfterSeconds = 0;
    c.close();
    const closed = new TestServer();
    await closed.start();
    await closed.stop();
    const refused = client(server.key, closed.url);
    expect(await refused.sendLogs('Heartbeat', [], 'w')).toMatchObject({ kind: 'retry', message: expect.stringMatching(/cannot reach .*ECONNREFUSED.*proxy\/firewall/) });
    refused.close();
  });
});

describe('register', () => {
  it('registers, and explains a machine registered to another workspace (409)', async () => {
    const c = client();
    expect(await c.register({ machineId: 'aaaaaaaa-0000-4000-8000-000000000000', fqdn: 'web1', osType: 'Linux' })).toEqual({ agentId: 'agent-aaaaaaaa', workspaceId: server.workspaceId });
    server.registrations.set('bbbbbbbb-0000-4000-8000-000000000000', 'another-workspace');
    const error = await c.register({ machineId: 'bbbbbbbb-0000-4000-8000-000000000000', fqdn: 'web2', osType: 'Linux' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationError);
    expect((error as Error).message).toMatch(/Machine is already registered to a different account\. Remove the machine from the other workspace/);
    c.close();
  });

  it('names the issuer of an untrusted certificate and suggests --ca; trusts it with --ca', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upkeep-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=Upkeep Test Authority/O=Contoso Interception', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ agentId: 'tls-agent', workspaceId: server.workspaceId }));
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    try {
      const untrusted = client(server.key, url);
      const error = await untrusted.register({ machineId: 'cccccccc-0000-4000-8000-000000000000', fqdn: 'web3', osType: 'Linux' }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/TLS problem: .*not signed by an authority this machine trusts \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. The server presented a certificate issued by "Upkeep Test Authority, Contoso Interception"\..*--ca FILE/);
      untrusted.close();
      const trusted = new UpkeepClient({ url, workspaceId: server.workspaceId, key: server.key, ca: cert });
      expect(await trusted.register({ machineId: 'cccccccc-0000-4000-8000-000000000000', fqdn: 'web3', osType: 'Linux' })).toMatchObject({ agentId: 'tls-agent' });
      trusted.close();
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});
