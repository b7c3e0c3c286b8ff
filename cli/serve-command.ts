/** `upkeep serve`: the HTTP server over the embedded database. */
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { startServer } from '../server/start-server.js';
import { defaultDatabasePath } from '../records/store/duckdb-store.js';
import { workspaceFileOf } from '../app/workspace/workspace-file.js';

interface ServeFlags {
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

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the ingestion, query and agent APIs over HTTP(S) on the database file.')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', portNumber, 8080)
    .option('--db <path>', 'DuckDB database file (created if missing)', defaultDatabasePath)
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--store <url>', 'keep the record tables on a ClickHouse cluster: clickhouse://host:port[,host:port…] (HTTP ports; default: the --db file)')
    .option('--log-level <level>', `structured log level (${logLevels.join(', ')})`, 'info')
    .option('--max-ingest-requests <n>', 'ingestion requests in progress before new ones get 429 with Retry-After (default 256)', positiveInteger)
    .option('--query-memory <size>', "memory the database engine may use for queries and inserts together, e.g. 4GB, 512MB or 40% of RAM (default 50%); a query over it gets 400 QueryMemoryExceeded", memorySize)
    .action(async (flags: ServeFlags, command: Command) => {
      const usage = (message: string): never => command.error(`upkeep serve: ${message}`, { exitCode: 2, code: 'upkeep.usage' });
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) usage('--tls-cert and --tls-key go together: give both to serve HTTPS, or neither for HTTP.');
      for (const file of [flags.tlsCert, flags.tlsKey]) if (file !== undefined && !existsSync(file)) usage(`${file} does not exist; give the path of a PEM file.`);
      if (flags.store !== undefined && !/^clickhouse:\/\/[^,\s]+(,[^,\s]+)*$/.test(flags.store)) usage(`--store must be clickhouse://host:port[,host:port…], got '${flags.store}'.`);
      if (!logLevels.includes(flags.logLevel)) usage(`--log-level must be one of ${logLevels.join(', ')}.`);
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
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

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError(`'${text}' is not a port number (0–65535).`);
  return port;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new InvalidArgumentError(`'${text}' is not a positive whole number.`);
  return value;
}

/** `4GB`, `512MB`, `1.5GiB`, `40%` (of the machine's memory) → bytes. */
export function memorySize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(%|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`'${text}' is not a memory size: write it like 4GB, 512MB or 40%.`);
  const value = Number(match[1]);
  const unit = match[2]!.toUpperCase();
  const bytes = unit === '%' ? (value / 100) * totalmem() : value * (memoryUnits[unit] ?? 1);
  if (unit === '%' && (value <= 0 || value > 100)) throw new InvalidArgumentError(`'${text}': a share of memory is between 1% and 100%.`);
  if (bytes < 16 * 2 ** 20) throw new InvalidArgumentError(`'${text}' is too little: give the database engine at least 16MB.`);
  return Math.floor(bytes);
}

const memoryUnits: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };
