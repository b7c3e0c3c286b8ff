/**
 * The record tables on a ClickHouse cluster: on every node a local MergeTree table per record
 * table (`<Name>_local`, ordered by (TimeGenerated, Computer), one partition per day) and a
 * Distributed table `<Name>` over the cluster's shards, sharded by a hash of Computer (so one
 * machine's records live on one shard). Created with IF NOT EXISTS: safe on every start.
 *
 * Column types: datetimes are Int64 nanoseconds since the epoch (18.16 has no DateTime64);
 * strings are non-null String ("" when missing, as Kusto strings are never null); every other
 * type is Nullable; bools are UInt8; dynamic is JSON text.
 */
import { recordTables } from '../../language/schema/tables.js';
import type { Column, TableSchema } from '../../language/schema/types.js';
import { clusterName } from './cluster.js';
import { databaseName, request, type ClickHouseNode } from './client.js';

const nsPerDay = '86400000000000';

const storedTypes: Record<Column['type'], string> = {
  bool: 'UInt8', int: 'Int32', long: 'Int64', real: 'Float64', decimal: 'Float64',
  string: 'String', datetime: 'Int64', timespan: 'Int64', guid: 'String', dynamic: 'String',
};

export function storedType(column: Column): string {
  const base = storedTypes[column.type];
  // the sort key and strings are never null
  if (column.name === 'TimeGenerated' || column.type === 'string') return base;
  return `Nullable(${base})`;
}

const q = (name: string) => `"${name}"`;

export function localTableSql(table: TableSchema): string {
  const columns = table.columns.map((c) => `${q(c.name)} ${storedType(c)}`).join(', ');
  const hasComputer = table.columns.some((c) => c.name === 'Computer');
  return `CREATE TABLE IF NOT EXISTS ${databaseName}.${q(`${table.name}_local`)} (${columns}) ENGINE = MergeTree() ` +
    `PARTITION BY intDiv("TimeGenerated", ${nsPerDay}) ORDER BY ("TimeGenerated"${hasComputer ? ', "Computer"' : ''})`;
}

export function distributedTableSql(table: TableSchema): string {
  // a table without Computer (e.g. AlertEvaluation) has no machine to keep together: spread its rows evenly
  const shardKey = table.columns.some((c) => c.name === 'Computer') ? 'cityHash64("Computer")' : 'rand()';
  return `CREATE TABLE IF NOT EXISTS ${databaseName}.${q(table.name)} AS ${databaseName}.${q(`${table.name}_local`)} ` +
    `ENGINE = Distributed(${clusterName}, ${databaseName}, ${q(`${table.name}_local`)}, ${shardKey})`;
}

/** Creates the database and every record table on every node (idempotent). */
export async function ensureClickHouseTables(nodes: readonly ClickHouseNode[]): Promise<void> {
  for (const node of nodes) {
    await request(node, `CREATE DATABASE IF NOT EXISTS ${databaseName}`, { noDatabase: true });
    for (const table of recordTables) {
      await request(node, localTableSql(table));
      await request(node, distributedTableSql(table));
    }
  }
}
