/** Test helper: a real webhook receiver on 127.0.0.1 that records every POST and can refuse the first ones per path. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertNotification } from '../../contracts/alerts.js';

export interface Hit {
  path: string;
  at: number;
  status: number;
  body: AlertNotification;
}

export interface Receiver {
  url: string;
  hits: Hit[];
  /** Answers 503 to the next `count` POSTs on `path`. */
  failNext(path: string, count: number): void;
  delivered(path: string): AlertNotification[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hits: Hit[] = [];
  const failing = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '/';
      const left = failing.get(path) ?? 0;
      const status = left > 0 ? 503 : 200;
      if (left > 0) failing.set(path, left - 1);
      hits.push({ path, at: performance.now(), status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertNotification });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    failNext: (path, count) => void failing.set(path, count),
    delivered: (path) => hits.filter((h) => h.path === path && h.status === 200).map((h) => h.body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
