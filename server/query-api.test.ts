/** The query API, the schema route and their authentication, against a real server and DuckDB file. */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../app/workspace/workspace-file.js';
import { heartbeat, startTestServer, type TestServer } from './test-server.js';

let t: TestServer;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(async () => {
  t = await startTestServer({ queryLimits: { maxRows: 3 } });
  const response = await t.postLogs('Heartbeat', [
    heartbeat('recent', { TimeGenerated: hoursAgo(0.5) }),
    heartbeat('older', { TimeGenerated: hoursAgo(2) }),
    heartbeat('oldest', { TimeGenerated: hoursAgo(30) }),
  ]);
  expect(response.status).toBe(200);
});
afterAll(async () => t?.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('answers', () => {
  it('has the reference shape with render and truncation', async () => {
    const { status, body } = await t.query('Heartbeat | summarize n = count() by Computer | sort by Computer asc | render barchart');
    expect(status).toBe(200);
    expect(body).toEqual({
      tables: [{ name: 'PrimaryResult', columns: [{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }], rows: [['older', 1], ['oldest', 1], ['recent', 1]] }],
      render: { visualization: 'barchart', properties: {} },
      truncated: false,
    });
  });

  it('flags a result cut at the row limit', async () => {
    const { body } = await t.query('range i from 1 to 10 step 1');
    expect(body.tables[0]!.rows).toHaveLength(3);
    expect(body.truncated).toBe(true);
  });

  it('prints longs beyond 2^53 as exact JSON numbers', async () => {
    const response = await post('/api/query', { query: 'print big = 9007199254740993, small = 1' });
    expect(await response.text()).toContain('"rows":[[9007199254740993,1]]');
  });

  it('serves the workspace path of the reference and refuses another workspace id', async () => {
    const ok = await post(`/v1/workspaces/${t.workspaceId}/query`, { query: 'print x = 1' });
    expect(ok.status).toBe(200);
    const other = await post('/v1/workspaces/00000000-0000-0000-0000-000000000000/query', { query: 'print x = 1' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('WorkspaceNotFound');
  });
});

describe('timespan', () => {
  const computers = async (timespan: string, query = 'Heartbeat | project Computer | sort by Computer asc') => {
    const { status, body } = await t.query(query, { timespan });
    expect(status).toBe(200);
    return body.tables[0]!.rows.map((r) => r[0]);
  };

  it('limits every table scan to the duration before now', async () => {
    expect(await computers('PT1H')).toEqual(['recent']);
    expect(await computers('P1D')).toEqual(['older', 'recent']);
  });

  it('applies to scans inside subqueries and joins too', async () => {
    const query = 'Heartbeat | where Computer in ((Heartbeat | project Computer)) | join kind=inner (Heartbeat | project Computer) on Computer | project Computer';
    expect(await computers('PT1H', query)).toEqual(['recent']);
  });

  it('takes start/end and start/duration intervals', async () => {
    expect(await computers(`${hoursAgo(3)}/${hoursAgo(1)}`)).toEqual(['older']);
    expect(await computers(`${hoursAgo(31)}/PT2H`)).toEqual(['oldest']);
  });

  it('refuses a timespan it cannot read', async () => {
    const { status, body } = await t.query('Heartbeat', { timespan: 'one hour' });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('InvalidTimespan');
  });
});

describe('errors', () => {
  it('names the line, column and code of a query error', async () => {
    const { status, body } = await t.query('Heartbeat\n| where Nope == 1');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BadArgumentError', details: [{ line: 2, column: 9, code: 'E202' }] });
  });

  it('reports syntax errors the same way', async () => {
    const { status, body } = await t.query('Heartbeat | where');
    expect(status).toBe(400);
    expect(body.error?.details?.[0]?.code).toMatch(/^E1/);
  });

  it('refuses a body without a query', async () => {
    const response = await post('/api/query', { text: 'Heartbeat' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'InvalidRequest' });
  });
});

describe('Arrow results', () => {
  it('decodes with apache-arrow: dictionary strings, nanosecond datetimes, exact longs, Kusto types in metadata', async () => {
    const response = await post('/api/query', { query: 'print s = "a", t = datetime(2024-01-01T23:59:59.9999999), big = 9007199254740993, r = 1.5, b = true, d = 1d' }, { accept: 'application/vnd.apache.arrow.stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, [String(f.type), f.metadata.get('kusto.type')]]));
    expect(types).toEqual({
      s: ['Dictionary<Int32, Utf8>', 'string'],
      t: ['Timestamp<NANOSECOND, UTC>', 'datetime'],
      big: ['Int64', 'long'],
      r: ['Float64', 'real'],
      b: ['Bool', 'bool'],
      d: ['Duration<NANOSECOND>', 'timespan'],
    });
    expect(table.getChild('s')!.get(0)).toBe('a');
    expect(table.getChild('big')!.get(0)).toBe(9007199254740993n);
    expect(table.getChild('t')!.data[0]!.values[0]).toBe(1704153599999999900n);
    expect(table.getChild('d')!.data[0]!.values[0]).toBe(86_400_000_000_000n);
    expect(table.schema.metadata.get('kusto.truncated')).toBe('false');
  });
});

describe('schema route and roles', () => {
  it('lists tables, columns and Kusto types', async () => {
    const response = await fetch(`${t.url}/api/schema`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    const body = (await response.json()) as { tables: { name: string; columns: { name: string; type: string }[] }[] };
    const update = body.tables.find((table) => table.name === 'Update');
    expect(update?.columns).toContainEqual({ name: 'PublishedDate', type: 'datetime' });
    expect(body.tables.map((table) => table.name)).toContain('Heartbeat');
  });

  it('needs a token with a reading role', async () => {
    const anonymous = await fetch(`${t.url}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"print 1"}' });
    expect(anonymous.status).toBe(401);
    expect(await post('/api/query', { query: 'print 1' }, { authorization: 'Bearer upk_000000000000_notarealtokennotarealtoken' }).then((r) => r.status)).toBe(401);
    const ingestOnly = createToken(t.dbPath, 'ingest');
    expect(await post('/api/query', { query: 'print 1' }, { authorization: `Bearer ${ingestOnly}` }).then((r) => r.status)).toBe(403);
    const reader = createToken(t.dbPath, 'reader');
    expect(await post('/api/query', { query: 'print 1' }, { authorization: `Bearer ${reader}` }).then((r) => r.status)).toBe(200);
  });
});
