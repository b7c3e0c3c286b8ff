/** What `upkeep serve` does once its flags are checked (serve-command.ts): start the server, stop it cleanly on SIGINT/SIGTERM. */
import { startServer } from '../server/start-server.js';
import { workspaceFileOf } from '../app/workspace/workspace-file.js';

export interface ServeFlags {
  host: string;
  port: number;
  db: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: string;
  store?: string;
  maxIngestRequests?: number;
  queryMemory?: number;
}

export async function serve(flags: ServeFlags): Promise<void> {
  // Handlers first: a SIGTERM that arrives while the server starts (or right after it says it
  // listens) must still stop it cleanly, not end the process with the default action.
  const stopSignal = waitForStopSignal();
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      dbPath: flags.db,
      host: flags.host,
      port: flags.port,
      logger: { level: flags.logLevel },
      ...(flags.store !== undefined ? { store: flags.store } : {}),
      ...(flags.maxIngestRequests !== undefined ? { maxIngestRequests: flags.maxIngestRequests } : {}),
      ...(flags.queryMemory !== undefined ? { queryLimits: { memoryLimitBytes: flags.queryMemory } } : {}),
      ...(flags.tlsCert && flags.tlsKey ? { tls: { certFile: flags.tlsCert, keyFile: flags.tlsKey } } : {}),
    });
  } catch (error) {
    stopSignal.cancel();
    throw error;
  }
  const { workspace, adminToken } = server.workspace;
  if (adminToken) {
    say(
      `Created workspace ${workspace.workspaceId} (stored in ${workspaceFileOf(flags.db)}).\n` +
        `  Workspace id:  ${workspace.workspaceId}\n  Primary key:   ${workspace.primaryKey}\n  Admin token:   ${adminToken}\n` +
        'The admin token is shown only now: keep it. More tokens: upkeep token create --role <role>.\n',
    );
  }
  say(`Upkeep listening on ${server.url} (database ${flags.db}, workspace ${workspace.workspaceId})\n`);
  const signal = await stopSignal.received;
  say(`${signal}: stopping (finishing requests, committing and checkpointing)...\n`);
  try {
    await server.close();
  } catch (error) {
    say(`upkeep serve: shutdown failed: ${(error as Error).message}\n`, process.stderr);
    process.exitCode = 1;
  }
}

/** SIGINT/SIGTERM handlers installed now; `received` resolves with the first signal. */
function waitForStopSignal(): { received: Promise<NodeJS.Signals>; cancel(): void } {
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    received,
    cancel: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/**
 * Writes a message unless its reader has gone: after the terminal or the pipe that started the
 * server closes, a write fails with EPIPE, and an unhandled stream error would end the process
 * in the middle of its clean stop (uncommitted records, no checkpoint).
 */
function say(text: string, stream: NodeJS.WriteStream = process.stdout): void {
  // Our own listener, even when others exist: a stream piped into stdout listens for errors
  // too, but drops its listener and re-throws when it sees one.
  if (!guardedStreams.has(stream)) {
    stream.on('error', () => {});
    guardedStreams.add(stream);
  }
  if (stream.destroyed || !stream.writable) return;
  stream.write(text);
}

const guardedStreams = new WeakSet<NodeJS.WriteStream>();
