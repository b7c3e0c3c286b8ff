/** `upkeep serve`: the HTTP server over the embedded database. */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { startServer } from '../server/start-server.js';
import { defaultDatabasePath } from '../store/duckdb-store.js';
import { workspaceFileOf } from '../workspace/workspace-file.js';

interface ServeFlags {
  host: string;
  port: number;
  db: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: string;
  store?: string;
  maxIngestRequests?: number;
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
  const server = await startServer({
    dbPath: flags.db,
    host: flags.host,
    port: flags.port,
    logger: { level: flags.logLevel },
    ...(flags.store !== undefined ? { store: flags.store } : {}),
    ...(flags.maxIngestRequests !== undefined ? { maxIngestRequests: flags.maxIngestRequests } : {}),
    ...(flags.tlsCert && flags.tlsKey ? { tls: { certFile: flags.tlsCert, keyFile: flags.tlsKey } } : {}),
  });
  const { workspace, adminToken } = server.workspace;
  if (adminToken) {
    process.stdout.write(
      `Created workspace ${workspace.workspaceId} (stored in ${workspaceFileOf(flags.db)}).\n` +
        `  Workspace id:  ${workspace.workspaceId}\n  Primary key:   ${workspace.primaryKey}\n  Admin token:   ${adminToken}\n` +
        'The admin token is shown only now: keep it. More tokens: upkeep token create --role <role>.\n',
    );
  }
  process.stdout.write(`Upkeep listening on ${server.url} (database ${flags.db}, workspace ${workspace.workspaceId})\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stdout.write(`${signal}: stopping (finishing requests, committing and checkpointing)...\n`);
      server.close().then(resolve, (error: unknown) => {
        process.stderr.write(`upkeep serve: shutdown failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

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
