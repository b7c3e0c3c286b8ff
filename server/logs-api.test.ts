/** POST /api/logs against a real server and DuckDB file: signatures, validation, limits, atomicity. */
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../app/workspace/workspace-file.js';
import { heartbeat, signedLogHeaders, startTestServer, type TestServer } from './test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

async function errorOf(response: Response): Promise<{ code: string; message: string; recordIndex?: number; field?: string }> {
  const body = (await response.json()) as { error: { code: string; message: string; recordIndex?: number; field?: string } };
  return body.error;
}

describe('signed requests', () => {
  it('stores a signed batch and answers 200 once it is queryable', async () => {
    const response = await t.postLogs('Heartbeat', [heartbeat('signed-1'), heartbeat('signed-2')]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 2, duplicateBatch: false });
    const { body } = await t.query('Heartbeat | where Computer startswith "signed-" | project Computer, TenantId, Type | sort by Computer asc');
    expect(body.tables[0]!.rows).toEqual([
      ['signed-1', t.workspaceId, 'Heartbeat'],
      ['signed-2', t.workspaceId, 'Heartbeat'],
    ]);
  });

  it('stores a batch id once however often it is sent', async () => {
    const headers = { 'x-upkeep-batch-id': 'batch-once' };
    expect((await t.postLogs('Heartbeat', [heartbeat('dup')], headers)).status).toBe(200);
    const again = await t.postLogs('Heartbeat', [heartbeat('dup')], headers);
    expect(await again.json()).toEqual({ stored: 0, duplicateBatch: true });
    expect((await t.query('Heartbeat | where Computer == "dup" | count')).body.tables[0]!.rows).toEqual([[1]]);
  });

  it('takes TimeGenerated from the time-generated-field header', async () => {
    const record = { Computer: 'timed', OSType: 'Linux', TimeGenerated: '2024-05-01T00:00:00Z', PublishedDate: '2024-04-01T10:00:00Z', Title: 't', UpdateState: 'Needed' };
    const response = await t.postLogs('Update', [record], { 'time-generated-field': 'PublishedDate' });
    expect(response.status).toBe(200);
    const { body } = await t.query('Update | where Computer == "timed" | project TimeGenerated');
    expect(body.tables[0]!.rows).toEqual([['2024-04-01T10:00:00Z']]);
  });

  it('accepts an Arrow IPC stream signed with the Arrow content type', async () => {
    const table = tableFromArrays({ Computer: ['arrow-1', 'arrow-2'], OSType: ['Linux', 'Windows'] });
    const body = Buffer.from(tableToIPC(table, 'stream'));
    const response = await t.postLogs('Heartbeat', body, { 'content-type': 'application/vnd.apache.arrow.stream' });
    expect(response.status).toBe(200);
    expect((await t.query('Heartbeat | where Computer startswith "arrow-" | count')).body.tables[0]!.rows).toEqual([[2]]);
  });

  it('accepts a token created by the CLI while the server runs, without a restart', async () => {
    const token = createToken(t.dbPath, 'ingest');
    const response = await fetch(`${t.url}/api/logs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'log-type': 'Heartbeat' },
      body: JSON.stringify([heartbeat('bearer-sender')]),
    });
    expect(response.status).toBe(200);
    expect(await t.count('Heartbeat | where Computer == "bearer-sender"')).toBe(1);
  });
});

describe('refused requests store nothing', () => {
  const marker = (name: string) => [heartbeat(`refused-${name}`)];
  const cases: { name: string; send: () => Promise<Response>; status: number; code: string; recordIndex?: number; field?: string }[] = [
    { name: 'unsigned', status: 403, code: 'InvalidAuthorization', send: () => fetch(`${t.url}/api/logs`, { method: 'POST', headers: { 'content-type': 'application/json', 'log-type': 'Heartbeat', 'x-ms-date': new Date().toUTCString() }, body: JSON.stringify(marker('unsigned')) }) },
    { name: 'bad-signature', status: 403, code: 'InvalidSignature', send: () => t.postLogs('Heartbeat', marker('bad-signature'), { authorization: `SharedKey ${t.workspaceId}:${Buffer.alloc(32).toString('base64')}` }) },
    {
      name: 'wrong-key', status: 403, code: 'InvalidSignature',
      send: () => {
        const body = Buffer.from(JSON.stringify(marker('wrong-key')));
        const headers = signedLogHeaders(t.workspaceId, Buffer.alloc(64, 7).toString('base64'), body.length);
        return fetch(`${t.url}/api/logs`, { method: 'POST', headers: { ...headers, 'log-type': 'Heartbeat' }, body });
      },
    },
    {
      name: 'stale-date', status: 403, code: 'StaleDate',
      send: () => {
        const body = Buffer.from(JSON.stringify(marker('stale-date')));
        const headers = signedLogHeaders(t.workspaceId, t.primaryKey, body.length, 'application/json', '/api/logs', new Date(Date.now() - 16 * 60_000));
        return fetch(`${t.url}/api/logs`, { method: 'POST', headers: { ...headers, 'log-type': 'Heartbeat' }, body });
      },
    },
    { name: 'unknown-table', status: 400, code: 'UnknownTable', send: () => t.postLogs('Heartbeats', marker('unknown-table')) },
    { name: 'bad-log-type', status: 400, code: 'InvalidRequest', send: () => t.postLogs('Heart beat', marker('bad-log-type')) },
    { name: 'unknown-field', status: 400, code: 'UnknownField', recordIndex: 1, field: 'Computr', send: () => t.postLogs('Heartbeat', [heartbeat('refused-unknown-field'), { Computr: 'x' }]) },
    { name: 'wrong-type', status: 400, code: 'WrongType', recordIndex: 1, field: 'IsGatewayInstalled', send: () => t.postLogs('Heartbeat', [heartbeat('refused-wrong-type'), heartbeat('refused-wrong-type', { IsGatewayInstalled: 'yes' })]) },
    { name: 'missing-field', status: 400, code: 'MissingField', recordIndex: 1, field: 'Computer', send: () => t.postLogs('Heartbeat', [heartbeat('refused-missing-field'), { OSType: 'Linux' }]) },
    { name: 'not-json', status: 400, code: 'InvalidBody', send: () => t.postLogs('Heartbeat', '[{"Computer": "refused-not-json"') },
    { name: 'not-array', status: 400, code: 'InvalidBody', send: () => t.postLogs('Heartbeat', JSON.stringify(heartbeat('refused-not-array'))) },
  ];

  it.each(cases)('$name → $status $code', async ({ name, send, status, code, recordIndex, field }) => {
    const response = await send();
    expect(response.status).toBe(status);
    const error = await errorOf(response);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
    if (recordIndex !== undefined) expect(error).toMatchObject({ recordIndex, field });
    expect(await t.count(`Heartbeat | where Computer == "refused-${name}"`)).toBe(0);
  });

  it('answers 413 with a JSON error for a body over 30 MB', async () => {
    const record = JSON.stringify(heartbeat('refused-too-large', { Solutions: 'x'.repeat(1000) }));
    const body = `[${Array.from({ length: 31_000 }, () => record).join(',')}]`;
    expect(body.length).toBeGreaterThan(30 * 1024 * 1024);
    const response = await t.postLogs('Heartbeat', body);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('PayloadTooLarge');
    expect(await t.count('Heartbeat | where Computer == "refused-too-large"')).toBe(0);
  });
});

describe('overload', () => {
  it('answers 429 with Retry-After when the queue is full, storing accepted requests whole and refused ones not at all', async () => {
    const small = await startTestServer({ maxQueuedRecords: 5 });
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => small.postLogs('Heartbeat', Array.from({ length: 4 }, (_, j) => heartbeat(`load-${i}-${j}`)))),
      );
      const statuses = responses.map((r) => r.status);
      const refused = responses.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await errorOf(refused[0]!)).code).toBe('Overloaded');
      expect(await small.count('Heartbeat')).toBe(4 * statuses.filter((s) => s === 200).length);
    } finally {
      await small.close();
    }
  });
});
