/**
 * Stopping the server while agents are sending: a request in flight when close() begins is
 * answered, and its keep-alive connection is closed as soon as it is idle — not left open for
 * the keep-alive timeout (fastify's 72 s), which kept `upkeep serve` (and a restart) waiting.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signedLogHeaders, startTestServer, type TestServer } from './test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Sends the headers and the first half of a signed POST /api/logs on a keep-alive connection. */
function startRequest(server: TestServer, body: Buffer): Promise<{ socket: Socket; rest: Buffer; answer: Promise<string> }> {
  const { port } = new URL(server.url);
  const headers = { ...signedLogHeaders(server.workspaceId, server.primaryKey, body.length), 'log-type': 'Heartbeat', 'content-length': String(body.length), host: `127.0.0.1:${port}`, connection: 'keep-alive' };
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /api/logs HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      const half = Math.floor(body.length / 2);
      socket.write(body.subarray(0, half));
      const answer = new Promise<string>((done) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (/\r\n\r\n/.test(text)) done(text);
        });
      });
      resolve({ socket, rest: body.subarray(half), answer });
    });
    socket.on('error', reject);
  });
}

describe('server close with a request in flight', () => {
  it('answers the request, then closes its keep-alive connection at once', async () => {
    t = await startTestServer();
    const body = Buffer.from(JSON.stringify([{ Computer: 'web-01.contoso.com', OSType: 'Linux', Version: '1.0', TimeGenerated: new Date().toISOString() }]));
    const { socket, rest, answer } = await startRequest(t, body);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the server has read the headers
    const started = Date.now();
    const closing = t.server.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(rest);
    expect((await answer).split('\r\n')[0]).toMatch(/^HTTP\/1\.1 200/);
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await closing;
    await socketClosed;
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);
});
