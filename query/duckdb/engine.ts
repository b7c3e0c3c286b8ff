/**
 * The DuckDB store's engine for the QueryRunner: runSql on a query connection (external file
 * access off, single SELECTs only; see read-only.ts and run.ts).
 *
 * Where the connection comes from is the only difference between the callers:
 * - the server: a new connection of its instance per query (`forInstance`), closed after;
 * - the CLI: the database file opened read-only when the query reads a stored table, an
 *   in-memory database when it reads none (`forFile`);
 * - tests and benches: one connection they opened (`onConnection`).
 *
 * A time window shadows each stored table the query reads with a temporary view filtered on
 * TimeGenerated, on that query's connection. Temporary views are per connection and resolve
 * before the database's tables, so every scan — including ones inside `in (…)` subqueries and
 * joins, which the compiler renders into SQL text — sees only the window, without touching the
 * compiler. On a connection that outlives the query the views are dropped again.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Codes, QueryError, diagnostic, type Range } from '../../language/syntax/diagnostics.js';
import type { Column } from '../../language/schema/types.js';
import { findTable } from '../../language/schema/tables.js';
import { duckdb } from '../../language/sql/duckdb.js';
import type { TimeWindow } from '../../contracts/timespan.js';
import { openDatabase } from '../../records/store/duckdb-store.js';
import type { EngineOutput, EngineRun, QueryEngine } from '../engine.js';
import { openQueryConnection } from './read-only.js';
import { runSql } from './run.js';

/** A connection for one query; `shared` ones stay open after it. */
interface Lease {
  conn: DuckDBConnection;
  shared: boolean;
  release(): void;
}

type ConnectionSource = (tables: string[], range: Range) => Promise<Lease>;

export class DuckDBEngine implements QueryEngine {
  readonly dialect = duckdb;

  private constructor(private readonly connect: ConnectionSource, private readonly instance?: DuckDBInstance) {}

  /**
   * The server's: a new query connection of `instance` per query. The first one switches the
   * instance's external access off, keeping `allowedDirectories` (the ingest spool) readable.
   */
  static async forInstance(instance: DuckDBInstance, allowedDirectories: string[]): Promise<DuckDBEngine> {
    (await openQueryConnection(instance, { allowedDirectories })).closeSync();
    const connect: ConnectionSource = async () => {
      const conn = await openQueryConnection(instance, { allowedDirectories });
      return { conn, shared: false, release: () => conn.closeSync() };
    };
    return new DuckDBEngine(connect, instance);
  }

  /** The CLI's: `path` opened read-only only when the query reads stored tables. */
  static forFile(path: string): DuckDBEngine {
    return new DuckDBEngine(async (tables, range) => {
      const conn = tables.length === 0 ? await openQueryConnection(await DuckDBInstance.create(':memory:')) : await openQueryConnection(await openFile(path, range));
      return { conn, shared: false, release: () => conn.closeSync() };
    });
  }

  /** Runs every query on `conn`, which the caller opened and closes. */
  static onConnection(conn: DuckDBConnection): DuckDBEngine {
    return new DuckDBEngine(async () => ({ conn, shared: true, release: () => {} }));
  }

  async run(sql: string, columns: Column[], run: EngineRun): Promise<EngineOutput> {
    const lease = await this.connect(run.tables, run.range);
    try {
      const views = run.window ? await restrictToWindow(lease.conn, run.tables, run.window) : [];
      try {
        return await runSql(lease.conn, sql, columns, {
          maxRows: run.maxRows,
          timeoutMs: run.timeoutMs,
          range: run.range,
          ...(run.signal ? { signal: run.signal } : {}),
        });
      } finally {
        if (lease.shared) for (const view of views) await lease.conn.run(`DROP VIEW IF EXISTS temp.main.${duckdb.quoteIdent(view)}`);
      }
    } finally {
      lease.release();
    }
  }

  /** Instance-wide: every connection of the instance shares it, the writer's included. */
  async limitMemory(bytes: number): Promise<void> {
    if (!this.instance) throw new Error('A memory limit needs the engine of an instance (DuckDBEngine.forInstance).');
    if (!Number.isSafeInteger(bytes) || bytes < 16 * 2 ** 20) {
      throw new RangeError(`The query memory limit must be at least 16 MiB (got ${bytes} bytes).`);
    }
    const conn = await this.instance.connect();
    try {
      await conn.run(`SET GLOBAL memory_limit = '${bytes}B'`);
    } finally {
      conn.closeSync();
    }
  }
}

async function openFile(path: string, range: Range): Promise<DuckDBInstance> {
  if (!existsSync(path)) {
    throw new QueryError(
      diagnostic(Codes.noDatabase, range, `No database at ${path}. Create the sample fleet with \`upkeep sample\`, or point --db at an Upkeep database.`),
    );
  }
  return openDatabase(path, { readOnly: true });
}

/** The temporary views it created: one per table read that has a TimeGenerated datetime. */
async function restrictToWindow(conn: DuckDBConnection, tables: string[], window: TimeWindow): Promise<string[]> {
  const from = duckdb.datetimeLiteral(BigInt(Math.floor(window.startMs)) * 1_000_000n);
  const to = duckdb.datetimeLiteral(BigInt(Math.floor(window.endMs)) * 1_000_000n);
  const q = duckdb.quoteIdent;
  const database = q(String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]));
  const views: string[] = [];
  for (const name of tables) {
    const table = findTable(name);
    if (!table?.columns.some((c) => c.name === 'TimeGenerated' && c.type === 'datetime')) continue;
    await conn.run(`CREATE TEMP VIEW ${q(name)} AS SELECT * FROM ${database}.main.${q(name)} WHERE "TimeGenerated" >= ${from} AND "TimeGenerated" < ${to}`);
    views.push(name);
  }
  return views;
}
