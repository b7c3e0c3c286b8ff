/**
 * Copies a record table from a DuckDB connection into the ClickHouse store (tests and the
 * benchmark load the same generated data into both): DuckDB writes CSV in the stored types
 * (datetimes as epoch nanoseconds, bools as 0/1, missing values as \N), streamed into one
 * INSERT on the Distributed table.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { findTable } from '../../language/schema/tables.js';
import type { Column } from '../../language/schema/types.js';
import { databaseName, nodeName, type ClickHouseNode } from './client.js';

function storedValueSql(column: Column): string {
  const c = `"${column.name}"`;
  switch (column.type) {
    case 'datetime':
      return `epoch_ns(${c})`;
    case 'bool':
      return `CAST(${c} AS INTEGER)`;
    case 'dynamic':
    case 'guid':
      return `CAST(${c} AS VARCHAR)`;
    case 'string':
      return `coalesce(${c}, '')`;
    default:
      return c;
  }
}

export async function copyTableToClickHouse(conn: DuckDBConnection, node: ClickHouseNode, tableName: string): Promise<number> {
  const table = findTable(tableName);
  if (!table) throw new Error(`${tableName} is not a record table`);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-ch-copy-'));
  try {
    const file = join(dir, `${tableName}.csv`);
    const select = table.columns.map(storedValueSql).join(', ');
    await conn.run(`COPY (SELECT ${select} FROM "${tableName}") TO '${file}' (FORMAT csv, HEADER false, NULLSTR '\\N')`);
    const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM "${tableName}"`)).getRows()[0]![0]);
    if (statSync(file).size === 0) return 0;
    const query = encodeURIComponent(`INSERT INTO ${databaseName}."${tableName}" FORMAT CSV`);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    const response = await fetch(`http://${nodeName(node)}/?insert_distributed_sync=1&query=${query}`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    if (!response.ok) throw new Error(`copying ${tableName} into ClickHouse failed: ${await response.text()}`);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
