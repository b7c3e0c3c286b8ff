import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../workbench/precompress.js';
import { startTestServer, type TestServer } from './test-server.js';
import { workbenchRoute } from './workbench-route.js';

describe('workbench route (a built dist in a temp folder)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'upkeep-dist-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wb</title>');
    writeFileSync(join(dist, 'assets', 'index-Abc123_x.js'), 'console.log(1)');
    app.get('/api/schema', async () => ({ tables: [] }));
    await app.register(async (scope) => workbenchRoute(scope, dist));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for client routes, revalidated', async () => {
    for (const url of ['/', '/search', '/search?q=Heartbeat', '/deployments/42']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>wb</title>');
    }
  });

  it('serves hashed assets with a year of caching, and 404s missing files and escapes', async () => {
    const res = await app.inject({ url: '/assets/index-Abc123_x.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/..%2f..%2fetc%2fpasswd.txt' })).statusCode).toBe(404);
  });

  it('leaves API paths to the API: real routes win, unknown ones answer the JSON 404', async () => {
    expect((await app.inject({ url: '/api/schema' })).json()).toEqual({ tables: [] });
    const res = await app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NotFound');
  });

  it('says how to build the workbench when dist is missing', async () => {
    const bare = Fastify();
    await bare.register(async (scope) => workbenchRoute(scope, join(dist, 'nope')));
    const res = await bare.inject({ url: '/search' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:workbench');
    await bare.close();
  });
});

/** A raw HTTP exchange on loopback: the bytes as sent (node:http does not decompress). */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('workbench files pre-compressed, over a real loopback server', () => {
  const root = mkdtempSync(join(tmpdir(), 'upkeep-dist-'));
  const dist = join(root, 'dist');
  const outside = join(root, 'secret.js');
  const app = Fastify();
  let base = '';
  const bundle = Buffer.from('export function chart(rows) { return rows.map((r) => r.value * 2); }\n'.repeat(300));
  const favicon = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(80)}</svg>`);
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wb</title>');
    writeFileSync(join(dist, 'assets', 'monaco-CYlQGorR.js'), bundle);
    writeFileSync(join(dist, 'assets', 'tiny-Abc12345.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), favicon);
    writeFileSync(outside, 'export const secret = 1;\n'.repeat(100));
    await precompressDir(dist);
    symlinkSync(outside, join(dist, 'assets', 'escape-Abc12345.js'));
    symlinkSync(join(dist, 'assets', 'monaco-CYlQGorR.js'), join(dist, 'assets', 'alias-Abc12345.js'));
    await app.register(async (scope) => workbenchRoute(scope, dist));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const asset = '/assets/monaco-CYlQGorR.js';
  const decoders: Record<string, (b: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b) => b };

  it('answers brotli first, then gzip, else the file as it is, each decompressing to the file', async () => {
    const cases: [string | undefined, string][] = [
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0.1, gzip', 'br'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['*', 'br'],
      ['br;q=0, *;q=0.5', 'gzip'],
      ['gzip;q=0, br;q=0', 'identity'],
      ['identity', 'identity'],
      [undefined, 'identity'],
    ];
    for (const [accept, coding] of cases) {
      const res = await get(base, asset, accept === undefined ? {} : { 'accept-encoding': accept });
      const label = `Accept-Encoding: ${accept}`;
      expect(res.status, label).toBe(200);
      expect(res.headers['content-encoding'], label).toBe(coding === 'identity' ? undefined : coding);
      expect(res.headers.vary, label).toBe('Accept-Encoding');
      expect(res.headers['content-type'], label).toBe('text/javascript; charset=utf-8');
      expect(res.headers['content-length'], label).toBe(String(res.body.length));
      const onDisk = coding === 'identity' ? bundle : readFileSync(join(dist, `${asset}.${coding === 'br' ? 'br' : 'gz'}`));
      expect(res.body.equals(onDisk), label).toBe(true);
      expect(decoders[coding]!(res.body).equals(bundle), label).toBe(true);
    }
  });

  it('caches hashed assets for good and revalidates every other file', async () => {
    const hashed = await get(base, asset, { 'accept-encoding': 'br' });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const svg = await get(base, '/favicon.svg', { 'accept-encoding': 'br' });
    expect(svg.headers['cache-control']).toBe('no-cache');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(svg.body).equals(favicon)).toBe(true);
    for (const path of ['/', '/search']) {
      const page = await get(base, path, { 'accept-encoding': 'br' });
      expect(page.headers['cache-control'], path).toBe('no-cache');
      // under 1 KB: no variant was written, so it goes as it is
      expect(page.headers['content-encoding'], path).toBeUndefined();
      expect(page.body.toString(), path).toBe('<!doctype html><title>wb</title>');
    }
  });

  it('sends a tiny file as it is (no variant), still saying the answer varies by Accept-Encoding', async () => {
    const res = await get(base, '/assets/tiny-Abc12345.js', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.body.toString()).toBe('console.log(1)');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const got = await get(base, asset, { 'accept-encoding': accept });
      const head = await get(base, asset, { 'accept-encoding': accept }, 'HEAD');
      expect(head.status, accept).toBe(200);
      expect(head.body.length, accept).toBe(0);
      for (const name of ['content-length', 'content-encoding', 'content-type', 'cache-control', 'vary', 'etag']) {
        expect(head.headers[name], `${accept} ${name}`).toBe(got.headers[name]);
      }
    }
  });

  it('answers 304 to a matching If-None-Match, with an ETag per coding', async () => {
    const br = await get(base, asset, { 'accept-encoding': 'br' });
    const gz = await get(base, asset, { 'accept-encoding': 'gzip' });
    expect(br.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+-br"$/);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
    const again = await get(base, asset, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(base, asset, { 'accept-encoding': 'br', 'if-none-match': `"x", W/${br.headers.etag}` })).status).toBe(304);
    // a gzip client holding the brotli tag gets the gzip body, not a 304
    expect((await get(base, asset, { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag! })).status).toBe(200);
    expect((await get(base, '/search', { 'if-none-match': (await get(base, '/')).headers.etag! })).status).toBe(304);
  });

  it('never serves a variant older than its file', async () => {
    const stale = join(dist, 'favicon.svg.br');
    utimesSync(stale, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const res = await get(base, '/favicon.svg', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(favicon)).toBe(true);
  });

  it('reads nothing outside dist: dot segments, encoded or not, symlinks out, malformed escapes', async () => {
    for (const path of ['/../secret.js', '/assets/../../secret.js', '/%2e%2e/secret.js', '/assets/%2E%2E%2F%2E%2E%2Fsecret.js', '/assets/..%5c..%5csecret.js', '/assets/escape-Abc12345.js', '/index.html%00.js']) {
      for (const method of ['GET', 'HEAD']) {
        const res = await get(base, path, { 'accept-encoding': 'br, gzip' }, method);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.toString(), `${method} ${path}`).not.toContain('export const secret');
      }
    }
    const malformed = await get(base, '/assets/%E0%A4%A.js');
    expect(malformed.status).toBe(400);
    // a symlink that stays inside is followed
    const alias = await get(base, '/assets/alias-Abc12345.js');
    expect(alias.status).toBe(200);
    expect(alias.body.equals(bundle)).toBe(true);
  });
});

describe('POST /api/query/explain on a real server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  const explain = (body: unknown, token = t.adminToken) =>
    fetch(`${t.url}/api/query/explain`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers the SQL and the output columns without running the query', async () => {
    const res = await explain({ query: 'Heartbeat | summarize n = count() by Computer' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sql: string; columns: { name: string; type: string }[]; tables: string[] };
    expect(body.sql).toMatch(/GROUP BY/i);
    expect(body.columns).toEqual([{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(body.tables).toEqual(['Heartbeat']);
  });

  it('answers query errors as the query route does, and refuses a bad token', async () => {
    const res = await explain({ query: 'Heartbeat | where Nope == 1' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { line: number; column: number; code: string }[] } };
    expect(body.error.code).toBe('BadArgumentError');
    expect(body.error.details[0]).toMatchObject({ line: 1, column: 19, code: 'E202' });
    expect((await explain({ query: 'Heartbeat' }, 'wrong')).status).toBe(401);
  });
});
