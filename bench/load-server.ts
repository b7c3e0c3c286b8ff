/**
 * The load test's server: `upkeep serve` (startServer) in a process of its own, so its memory
 * and event-loop delay are its own and not the load generator's. Forked by bench/load.ts with
 * an IPC channel: it answers `ready` with the endpoint, samples its RSS every 250 ms, measures
 * event-loop delay between `measure` and `report`, and closes cleanly on `stop`.
 *
 *   argv: <database file> [maxQueuedRecords] [maxIngestRequests]  (empty: the server's defaults)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../server/start-server.js';

export type ServerMessage =
  | { type: 'ready'; url: string; workspaceId: string; primaryKey: string; adminToken: string; rss: number }
  | { type: 'memory'; rss: number }
  | { type: 'report'; eventLoopP50Ms: number; eventLoopP99Ms: number; eventLoopMaxMs: number; peakRss: number }
  | { type: 'stopped' };

export type ControlMessage = { type: 'measure' } | { type: 'report' } | { type: 'stop' };

const [dbPath, maxQueued, maxRequests] = process.argv.slice(2);
if (!dbPath || !process.send) throw new Error('usage: fork bench/load-server.ts <db file> [maxQueuedRecords] [maxIngestRequests] with an IPC channel');
const send = (message: ServerMessage) => process.send?.(message);

const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, logger: false, ...(maxQueued ? { maxQueuedRecords: Number(maxQueued) } : {}), ...(maxRequests ? { maxIngestRequests: Number(maxRequests) } : {}) });
const loop = monitorEventLoopDelay({ resolution: 10 });
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  send({ type: 'memory', rss });
}, 250);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(sampler);
  await server.close();
  send({ type: 'stopped' });
  process.disconnect?.();
}

process.on('message', (message: ControlMessage) => {
  if (message.type === 'measure') {
    loop.reset();
    loop.enable();
    peakRss = process.memoryUsage.rss();
  } else if (message.type === 'report') {
    loop.disable();
    send({ type: 'report', eventLoopP50Ms: loop.percentile(50) / 1e6, eventLoopP99Ms: loop.percentile(99) / 1e6, eventLoopMaxMs: loop.max / 1e6, peakRss });
  } else if (message.type === 'stop') {
    void stop();
  }
});
// The parent went away: close the file cleanly rather than linger.
process.on('disconnect', () => void stop());

const ws = server.workspace;
send({ type: 'ready', url: server.url, workspaceId: ws.workspace.workspaceId, primaryKey: ws.workspace.primaryKey, adminToken: ws.adminToken ?? '', rss: process.memoryUsage.rss() });
