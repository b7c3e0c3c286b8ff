/**
 * Wire compatibility: the reference's official SDKs, unchanged, against Upkeep over TLS with a
 * self-signed certificate made here by openssl, trusted through the SDK pipeline's tlsOptions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../app/workspace/workspace-file.js';
import { startTestServer, type TestServer } from './test-server.js';

let t: TestServer;
let certDir: string;
let ca: string;

function selfSignedPair(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { certFile, keyFile };
}

/** A TokenCredential carrying an Upkeep token, as an SDK user would write one. */
function upkeepCredential(token: string): TokenCredential {
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'upkeep-tls-'));
  const tls = selfSignedPair(certDir);
  ca = readFileSync(tls.certFile, 'utf8');
  t = await startTestServer({ tls }, ca);
});
afterAll(async () => {
  await t?.close();
  rmSync(certDir, { recursive: true, force: true });
});

describe('official SDKs over TLS', () => {
  it('LogsIngestionClient uploads gzip-compressed records with an ingest token (204)', async () => {
    expect(t.url).toMatch(/^https:/);
    const client = new LogsIngestionClient(t.url, upkeepCredential(createToken(t.dbPath, 'ingest')), { tlsOptions: { ca } });
    const logs = Array.from({ length: 250 }, (_, i) => ({ Computer: `sdk-${i}`, TimeGenerated: new Date().toISOString(), OSType: 'Linux' }));
    await client.upload('dcr-00000000000000000000000000000000', 'Custom-Heartbeat', logs);
    await client.upload('dcr-00000000000000000000000000000000', 'Microsoft-Heartbeat_CL', [{ Computer: 'sdk-microsoft', OSType: 'Windows' }]);
    expect(await t.count('Heartbeat | where Computer startswith "sdk-"')).toBe(251);
  });

  it('LogsIngestionClient surfaces a refusal and nothing is stored', async () => {
    const client = new LogsIngestionClient(t.url, upkeepCredential(createToken(t.dbPath, 'ingest')), { tlsOptions: { ca } });
    await expect(client.upload('dcr-1', 'Custom-Heartbeat', [{ Computer: 'sdk-bad', Computr: 'typo' }])).rejects.toThrow();
    const reader = new LogsIngestionClient(t.url, upkeepCredential(createToken(t.dbPath, 'reader')), { tlsOptions: { ca } });
    await expect(reader.upload('dcr-1', 'Custom-Heartbeat', [{ Computer: 'sdk-bad' }])).rejects.toThrow();
    expect(await t.count('Heartbeat | where Computer == "sdk-bad"')).toBe(0);
  });

  it('LogsQueryClient reads typed tables with a reader token', async () => {
    const client = new LogsQueryClient(upkeepCredential(createToken(t.dbPath, 'reader')), { endpoint: `${t.url}/v1`, tlsOptions: { ca } });
    const result = await client.queryWorkspace(
      t.workspaceId,
      'Heartbeat | where Computer startswith "sdk-" | summarize n = count(), latest = max(TimeGenerated) by OSType | sort by OSType asc',
      { duration: 'PT1H' },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const table = result.tables[0]!;
    expect(table.columnDescriptors.map((c) => [c.name, c.type])).toEqual([['OSType', 'string'], ['n', 'long'], ['latest', 'datetime']]);
    expect(table.rows.map((r) => r.slice(0, 2))).toEqual([['Linux', 250], ['Windows', 1]]);
    expect(table.rows[0]![2]).toBeInstanceOf(Date);
  });

  it('LogsQueryClient reports a query error with its code', async () => {
    const client = new LogsQueryClient(upkeepCredential(createToken(t.dbPath, 'reader')), { endpoint: `${t.url}/v1`, tlsOptions: { ca } });
    await expect(client.queryWorkspace(t.workspaceId, 'Heartbeat | where Nope == 1', { duration: 'PT1H' })).rejects.toMatchObject({ statusCode: 400 });
  });
});
