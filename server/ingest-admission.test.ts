/**
 * The bound on ingestion requests in progress, on a real server: requests whose bodies are still
 * arriving hold the places; one more is answered 429 Overloaded with Retry-After before its body
 * is read and stores nothing; places come back when a request is answered or its client leaves.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signedHeaders } from '../agent/signature.js';
import { startTestServer, type TestServer } from './test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Held {
  req: ClientRequest;
  rest: Buffer;
  answer: Promise<{ status: number; body: string }>;
}

/** Sends the headers and half the body of a signed request, and keeps the rest for later. */
async function holdOpen(server: TestServer, computer: string): Promise<Held> {
  const body = Buffer.from(JSON.stringify([{ Computer: computer, OSType: 'Linux' }]));
  const url = new URL(server.url);
  const headers = { ...signedHeaders(server.workspaceId, server.primaryKey, body, '/api/logs'), 'log-type': 'Heartbeat' };
  const req = request({ host: url.hostname, port: Number(url.port), path: '/api/logs', method: 'POST', headers, agent: false });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.subarray(0, half));
  req.flushHeaders();
  return { req, rest: body.subarray(half), answer };
}

describe('ingestion admission', () => {
  it('answers 429 with Retry-After beyond maxIngestRequests, stores nothing of it, and admits again once places free', async () => {
    t = await startTestServer({ maxIngestRequests: 3, logger: false });
    const held = [await holdOpen(t, 'held-0'), await holdOpen(t, 'held-1'), await holdOpen(t, 'held-2')];
    // The server counts a request once its headers arrived; give the three a moment to land.
    await new Promise((r) => setTimeout(r, 300));

    const refused = await t.postLogs('Heartbeat', [{ Computer: 'refused', OSType: 'Linux' }]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('Overloaded');
    expect(error.message).toMatch(/3 ingestion requests in progress.*Retry-After/);

    // A client that leaves gives its place back.
    held[2]!.req.destroy();
    await held[2]!.answer.catch(() => undefined);
    let afterLeave: Response | undefined;
    for (let i = 0; i < 50 && afterLeave?.status !== 200; i++) {
      afterLeave = await t.postLogs('Heartbeat', [{ Computer: 'after-leave', OSType: 'Linux' }]);
      if (afterLeave.status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(afterLeave?.status).toBe(200);

    for (const h of held.slice(0, 2)) h.req.end(h.rest);
    const answers = await Promise.all(held.slice(0, 2).map((h) => h.answer));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    const stored = await t.query('Heartbeat | summarize n = count() by Computer | order by Computer asc');
    expect(stored.body.tables[0]!.rows).toEqual([['after-leave', 1], ['held-0', 1], ['held-1', 1]]);
  });
});
