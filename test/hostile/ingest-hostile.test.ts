/**
 * Hostile input at the ingestion edges, on a real server: each case asserts the status, the
 * error's code and message, and — by a query afterwards — that nothing of it was stored.
 * Refused records are Heartbeats whose Computer starts with "hostile-", so one count covers every
 * case; the few cases that store on purpose name their records "kept-…".
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, signedLogHeaders, startTestServer, type TestServer } from '../../server/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ savedSearches: { addSamples: false }, dashboards: { addDefault: false } });
});
afterAll(async () => t?.close());

const MB = 1024 * 1024;

interface Refusal {
  status: number;
  code: string;
  message: string;
  field?: string;
  recordIndex?: number;
}

async function refusal(response: Response): Promise<Refusal> {
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as { error?: Omit<Refusal, 'status'> };
  return { status: response.status, ...(body.error ?? { code: '', message: text }) };
}

async function storedHostile(): Promise<number> {
  const { status, body } = await t.query('Heartbeat | where Computer startswith "hostile-" | count');
  expect(status).toBe(200);
  return Number(body.tables[0]!.rows[0]![0]);
}

async function expectRefused(response: Response, expected: Omit<Partial<Refusal>, 'message'> & { message: RegExp }): Promise<Refusal> {
  const got = await refusal(response);
  expect(got).toMatchObject({ ...expected, message: expect.stringMatching(expected.message) });
  expect(await storedHostile()).toBe(0);
  return got;
}

describe('JSON bodies', () => {
  it('malformed JSON', async () => {
    await expectRefused(await t.postLogs('Heartbeat', '[{"Computer":"hostile-1","OSType":'), { status: 400, code: 'InvalidBody', message: /^The body is not valid JSON \(.+\); send a JSON array of records\.$/ });
    await expectRefused(await t.postLogs('Heartbeat', '{"Computer":"hostile-1"}'), { status: 400, code: 'InvalidBody', message: /^The body must be a JSON array of records \(objects\), got an object\.$/ });
    await expectRefused(await t.postLogs('Heartbeat', ''), { status: 400, code: 'InvalidBody', message: /not valid JSON/ });
  });

  it('deep nesting: 100,000 nested arrays as the body, and as a dynamic field value', async () => {
    const depth = 100_000;
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    await expectRefused(await t.postLogs('Heartbeat', nested), { status: 400, code: 'InvalidBody', message: /^record 0 must be a JSON object of fields, got an array\.$/ });
    // ComputerPrivateIPs is dynamic: any JSON value passes the type check, so depth must be bounded elsewhere.
    const deepField = `[{"Computer":"hostile-deep","ComputerPrivateIPs":${nested}}]`;
    await expectRefused(await t.postLogs('Heartbeat', deepField), { status: 400, code: 'WrongType', field: 'ComputerPrivateIPs', message: /^record 0: field 'ComputerPrivateIPs' .*nest/ });
  });

  it('wrong types name the record and the field', async () => {
    const records = [heartbeat('hostile-ok'), heartbeat('hostile-bad', { IsGatewayInstalled: 'yes' })];
    await expectRefused(await t.postLogs('Heartbeat', records), { status: 400, code: 'WrongType', recordIndex: 1, field: 'IsGatewayInstalled', message: /^record 1: field 'IsGatewayInstalled' must be true or false, got string "yes"\.$/ });
    await expectRefused(await t.postLogs('Heartbeat', [heartbeat('hostile-t', { TimeGenerated: 1714560000 })]), { status: 400, code: 'WrongType', field: 'TimeGenerated', message: /^record 0: field 'TimeGenerated' must be .*got number 1714560000\.$/ });
    await expectRefused(await t.postLogs('Heartbeat', [{ Computer: 42 }]), { status: 400, code: 'WrongType', field: 'Computer', message: /must be a string/ });
    // Valid ISO 8601 but outside nanosecond timestamps: the message says the range.
    await expectRefused(await t.postLogs('Heartbeat', [heartbeat('hostile-y', { TimeGenerated: '9999-12-31T23:59:59Z' })]), { status: 400, code: 'WrongType', field: 'TimeGenerated', message: /from 1678 to 2261/ });
  });

  it('a 5 MB field name is refused at once, and the answer does not echo it', async () => {
    const started = performance.now();
    const response = await t.postLogs('Heartbeat', `[{"Computer":"hostile-key","${'k'.repeat(5 * MB)}":1}]`);
    const got = await expectRefused(response, { status: 400, code: 'UnknownField', message: /^record 0: field 'k{100}…' \(5242880 characters\) is not a column of Heartbeat \(field names are case-sensitive\)\.$/ });
    expect(got.field).toHaveLength(101);
    // It took 37 s of a parsing worker's time when the name was compared with every column.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('numbers past a 64-bit real (1e400, -1e400) are refused at their field, not stored as Infinity', async () => {
    for (const number of ['1e400', '-1e400', '1.8e308']) {
      await expectRefused(await t.postLogs('Heartbeat', `[{"Computer":"hostile-inf","RemoteIPLatitude":${number}}]`), {
        status: 400,
        code: 'WrongType',
        recordIndex: 0,
        field: 'RemoteIPLatitude',
        message: /^record 0: field 'RemoteIPLatitude' must be a number between -1\.7976931348623157e308 and 1\.7976931348623157e308 \(a 64-bit real; larger ones such as 1e400 read as Infinity\), got number -?Infinity\.$/,
      });
    }
    // The largest finite real is stored as it is.
    const kept = await t.postLogs('Heartbeat', '[{"Computer":"kept-max-real","RemoteIPLatitude":1.7976931348623157e308}]');
    expect(kept.status).toBe(200);
    const { body } = await t.query('Heartbeat | where Computer == "kept-max-real" | project RemoteIPLatitude');
    expect(body.tables[0]!.rows).toEqual([[1.7976931348623157e308]]);
  });

  it('an escaped half of a surrogate pair ("\\ud800" alone), in a string or inside a dynamic value', async () => {
    await expectRefused(await t.postLogs('Heartbeat', '[{"Computer":"hostile-\\ud800x"}]'), { status: 400, code: 'WrongType', field: 'Computer', message: /^record 0: field 'Computer' must be valid Unicode text \(it escapes half of a UTF-16 surrogate pair/ });
    await expectRefused(await t.postLogs('Heartbeat', '[{"Computer":"hostile-s","ComputerPrivateIPs":[{"a":"\\udc00"}]}]'), { status: 400, code: 'WrongType', field: 'ComputerPrivateIPs', message: /surrogate/ });
  });

  it('invalid UTF-8 bytes in a string', async () => {
    const before = Buffer.from('[{"Computer":"hostile-utf8-');
    const after = Buffer.from('","OSType":"Linux"}]');
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      const body = Buffer.concat([before, Buffer.from(bad), after]);
      await expectRefused(await t.postLogs('Heartbeat', body), { status: 400, code: 'InvalidBody', message: /^The body is not valid UTF-8 \(byte \d+\); send JSON text encoded as UTF-8\.$/ });
    }
  });
});

describe('sizes', () => {
  it('a string near the 30 MB limit is stored; a body over it is refused with 413 before it is read', async () => {
    const near = 'x'.repeat(29 * MB);
    const accepted = await t.postLogs('Heartbeat', [heartbeat('kept-near', { Version: near })]);
    expect([accepted.status, await accepted.json()]).toEqual([200, { stored: 1, duplicateBatch: false }]);
    const { body } = await t.query('Heartbeat | where Computer == "kept-near" | project n = strlen(Version)');
    expect(body.tables[0]!.rows).toEqual([[29 * MB]]);
    expect((await t.query('Heartbeat | where Computer == "kept-near" | count')).body.tables[0]!.rows).toEqual([[1]]);
    const over = 'x'.repeat(31 * MB);
    const refused = await refusal(await t.postLogs('Heartbeat', [heartbeat('hostile-over', { Version: over })]));
    expect(refused).toMatchObject({ status: 413, code: 'PayloadTooLarge', message: expect.stringMatching(/^The request body is larger than 30 MB; split the records into several requests of at most 30 MB each\.$/) });
    expect(await storedHostile()).toBe(0);
  }, 60_000);
});

describe('signatures and dates', () => {
  // Refused requests carry a "hostile-" record (so the count sees them if stored); the replay case stores a "kept-" one.
  const body = Buffer.from(JSON.stringify([heartbeat('hostile-signed')]));
  const kept = Buffer.from(JSON.stringify([heartbeat('kept-signed')]));
  const post = (headers: Record<string, string>, payload = body) => fetch(`${t.url}/api/logs`, { method: 'POST', headers: { 'log-type': 'Heartbeat', ...headers }, body: new Uint8Array(payload) });

  it('forged signatures: another key, another workspace, another length, no signature', async () => {
    const otherKey = Buffer.alloc(64, 7).toString('base64');
    await expectRefused(await post(signedLogHeaders(t.workspaceId, otherKey, body.length)), { status: 403, code: 'InvalidSignature', message: /^The signature does not match: sign "POST\\n<content-length>\\napplication\/json\\nx-ms-date:<date>\\n\/api\/logs" with the workspace's primary key/ });
    await expectRefused(await post(signedLogHeaders('00000000-0000-0000-0000-000000000000', t.primaryKey, body.length)), { status: 403, code: 'InvalidSignature', message: /check the workspace id/ });
    await expectRefused(await post(signedLogHeaders(t.workspaceId, t.primaryKey, body.length + 1)), { status: 403, code: 'InvalidSignature', message: /The signature does not match/ });
    const unsigned = signedLogHeaders(t.workspaceId, t.primaryKey, body.length);
    delete unsigned.authorization;
    await expectRefused(await post(unsigned), { status: 403, code: 'InvalidAuthorization', message: /^The Authorization header is missing/ });
  });

  it('a date 16 minutes old, even correctly signed, is refused', async () => {
    const stale = signedLogHeaders(t.workspaceId, t.primaryKey, body.length, 'application/json', '/api/logs', new Date(Date.now() - 16 * 60_000));
    await expectRefused(await post(stale), { status: 403, code: 'StaleDate', message: /^x-ms-date \(.+\) is more than 15 minutes from the server's time \(.+\): sign with the current time and check the sender's clock\.$/ });
  });

  it('the same signed request replayed within 15 minutes: deduplicated by its batch id, stored again without one', async () => {
    const signed = { ...signedLogHeaders(t.workspaceId, t.primaryKey, kept.length), 'x-upkeep-batch-id': 'hostile-replay-1' };
    const first = await post(signed, kept);
    expect([first.status, await first.json()]).toEqual([200, { stored: 1, duplicateBatch: false }]);
    const replay = await post(signed, kept);
    expect([replay.status, await replay.json()]).toEqual([200, { stored: 0, duplicateBatch: true }]);
    const count = async () => Number((await t.query('Heartbeat | where Computer == "kept-signed" | count')).body.tables[0]!.rows[0]![0]);
    expect(await count()).toBe(1);
    // Without a batch id the signature alone cannot tell a replay from a resend (as in the
    // reference): within the 15-minute window the replay is stored again.
    const unkeyed = signedLogHeaders(t.workspaceId, t.primaryKey, kept.length);
    expect((await post(unkeyed, kept)).status).toBe(200);
    expect((await post(unkeyed, kept)).status).toBe(200);
    expect(await count()).toBe(3);
  });
});

describe('headers', () => {
  it('oversized headers are refused with 431 and a JSON reason', async () => {
    const answer = await rawPost('/api/logs', { 'log-type': 'Heartbeat', 'x-padding': 'p'.repeat(64 * 1024) }, '[]');
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'HeaderFieldsTooLarge', message: expect.stringMatching(/^The request headers are larger than \d+ KB/) } });
    expect(await storedHostile()).toBe(0);
  });
});

describe('Logs Ingestion API (gzip)', () => {
  const path = '/dataCollectionRules/dcr-1/streams/Custom-Heartbeat?api-version=2023-01-01';

  it('refuses a gzip bomb without inflating it all: 1 MB of gzip that would expand to 1 GB', async () => {
    // A gzip stream of many members, each 16 MB of spaces: valid JSON ("[" … "]") if inflated whole.
    const member = gzipSync(Buffer.alloc(16 * MB, 0x20), { level: 9 });
    const bomb = Buffer.concat([gzipSync('['), ...Array.from({ length: 64 }, () => member), gzipSync(']')]);
    expect(bomb.length).toBeLessThan(2 * MB);
    const rssBefore = process.memoryUsage().rss;
    const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(bomb) });
    const got = await refusal(response);
    expect(got).toMatchObject({ status: 413, code: 'PayloadTooLarge', message: expect.stringMatching(/^The decompressed body is larger than 30 MB; upload fewer records per request\.$/) });
    // The server shares this process: inflating 1 GB would show here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * MB);
    expect(await storedHostile()).toBe(0);
  }, 30_000);

  it('refuses a body that is not gzip, and one whose JSON inside is bad', async () => {
    const headers = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const notGzip = await fetch(`${t.url}${path}`, { method: 'POST', headers, body: '[{"Computer":"hostile-gz"}]' });
    expect(await refusal(notGzip)).toMatchObject({ status: 400, code: 'InvalidContentEncoding', message: expect.stringMatching(/^Content-Encoding is gzip but the body is not valid gzip/) });
    const badInside = await fetch(`${t.url}${path}`, { method: 'POST', headers, body: new Uint8Array(gzipSync('[{"Computer":"hostile-gz",')) });
    expect(await refusal(badInside)).toMatchObject({ status: 400, code: 'InvalidBody', message: expect.stringMatching(/not valid JSON/) });
    expect(await storedHostile()).toBe(0);
  });
});

/** node's http client: fetch refuses to send some of these requests at all. */
function rawPost(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
