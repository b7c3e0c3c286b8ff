/** `upkeep serve`: the HTTP server over the embedded database. Its flags and their checks; the server starts in serve-action.ts, loaded when it runs. */
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { defaultDatabasePath } from '../records/store/database-path.js';
import type { ServeFlags } from './serve-action.js';

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
      // The server's logged stack traces point into the TypeScript sources (dist/*.map); short
      // commands skip reading the maps, which costs a tenth of their start.
      process.setSourceMapsEnabled(true);
      await (await import('./serve-action.js')).serve(flags);
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
