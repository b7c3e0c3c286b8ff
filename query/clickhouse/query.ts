/**
 * Runs compiled SQL on the ClickHouse store and returns rows as query/duckdb does for DuckDB:
 * one SELECT over HTTP (JSONCompact, 64-bit integers quoted so no long loses precision), each
 * value converted by its column's Kusto type. The QueryRunner compiles and admits the query
 * (engine.ts); this file only talks to the cluster and reads its answer.
 * A node or shard that cannot answer fails the query with an error naming it, never a partial
 * answer (skip_unavailable_shards = 0).
 */
import { Codes, QueryError, diagnostic, type Range } from '../../language/syntax/diagnostics.js';
import { formatDatetime, formatTimespan } from '../../language/values/kusto-text.js';
import type { DynamicJson, ResultValue } from '../../language/values/result.js';
import { exactInteger, realValue } from '../duckdb/values.js';
import type { Column, ScalarType } from '../../language/schema/types.js';
import { clickhouseQuerySettings } from '../../language/sql/clickhouse.js';
import { ClickHouseError, request, type ClickHouseNode } from '../../records/clickhouse/client.js';
import { clusterName } from '../../records/clickhouse/cluster.js';

export interface ClickHouseRunOptions {
  maxRows?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Where errors point in the query text. */
  range?: Range;
}

interface JsonCompact {
  meta: { name: string; type: string }[];
  data: unknown[][];
}

export async function runClickHouseSql(
  nodes: readonly ClickHouseNode[],
  sql: string,
  columns: Column[],
  options: ClickHouseRunOptions = {},
): Promise<{ rows: ResultValue[][]; truncated: boolean; durationMs: number }> {
  const maxRows = options.maxRows ?? 500_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const range = options.range ?? { start: 0, end: 0 };
  const started = performance.now();
  const settings: Record<string, string> = {
    ...clickhouseQuerySettings,
    readonly: '2',
    output_format_json_quote_64bit_integers: '1',
    output_format_json_quote_denormals: '1',
    ...(timeoutMs > 0 && Number.isFinite(timeoutMs) ? { max_execution_time: String(Math.ceil(timeoutMs / 1000)) } : {}),
  };
  const limited = `SELECT * FROM (${sql}) LIMIT ${maxRows + 1} FORMAT JSONCompact`;
  const body = await firstAnswer(nodes, limited, settings, options.signal, range);
  const parsed = JSON.parse(body) as JsonCompact;
  if (parsed.meta.length !== columns.length) throw internal(`the SQL returns ${parsed.meta.length} columns but the query's schema has ${columns.length}`, range);
  const converters = columns.map((c) => converterFor(c.type));
  const rows = parsed.data.map((row) => row.map((v, i) => converters[i]!(v)));
  const truncated = rows.length > maxRows;
  if (truncated) rows.length = maxRows;
  return { rows, truncated, durationMs: performance.now() - started };
}

/** Tries the nodes in order while they are unreachable; a node that answers with an error decides. */
async function firstAnswer(nodes: readonly ClickHouseNode[], sql: string, settings: Record<string, string>, signal: AbortSignal | undefined, range: Range): Promise<string> {
  const unreachable: string[] = [];
  for (const node of nodes) {
    try {
      return await request(node, sql, { settings, ...(signal ? { signal } : {}) });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw new QueryError(diagnostic(Codes.cancelled, range, 'The query was cancelled.'));
      if (error instanceof ClickHouseError && error.unreachable) {
        unreachable.push(error.message);
        continue;
      }
      throw storeError(error as Error, range, await downShards(node));
    }
  }
  throw new QueryError(diagnostic(Codes.internal, range, `No ClickHouse node answered: ${unreachable.join(' ')}`));
}

/** A timeout, or shards that are down (named), get their own message; anything else is an internal error. */
function storeError(error: Error, range: Range, down: string[]): QueryError {
  const message = error.message;
  if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(message)) return new QueryError(diagnostic(Codes.timeout, range, `The query ran past its time limit on ClickHouse: ${message}`));
  if (down.length > 0) {
    return new QueryError(diagnostic(Codes.internal, range, `ClickHouse ${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} unavailable: every query needs every shard. Start it again and retry. (${message.split('\n')[0]})`));
  }
  return internal(message, range);
}

/**
 * After a failed query, which shards of the cluster the node cannot reach (ClickHouse's own
 * message often names none: "All connection tries failed"). Each shard is probed with a tiny
 * remote() query from that node.
 */
async function downShards(node: ClickHouseNode): Promise<string[]> {
  try {
    const listing = await request(node, `SELECT shard_num, host_address, port FROM system.clusters WHERE cluster = '${clusterName}' ORDER BY shard_num`);
    const shards = listing.split('\n').filter(Boolean).map((line) => line.split('\t'));
    const probes = await Promise.all(shards.map(async ([num, host, port]) => {
      try {
        await request(node, `SELECT 1 FROM remote('${host}:${port}', system, one)`, { settings: { connect_timeout_with_failover_ms: '500' } });
        return undefined;
      } catch {
        return `shard ${num} (${host}:${port})`;
      }
    }));
    return probes.filter((p): p is string => p !== undefined);
  } catch {
    return [];
  }
}

function internal(message: string, range: Range): QueryError {
  return new QueryError(diagnostic(Codes.internal, range, `Internal error while running the query on ClickHouse: ${message}`));
}

type Converter = (value: unknown) => ResultValue;

function whole(value: unknown): number | bigint {
  return exactInteger(BigInt(value as string | number));
}

const converters: Record<ScalarType, Converter> = {
  bool: (v) => (v === null ? null : Number(v) !== 0),
  int: (v) => (v === null ? null : Number(v)),
  long: (v) => (v === null ? null : whole(v)),
  real: (v) => (v === null ? null : realValue(typeof v === 'number' ? v : Number(String(v).replace(/^(-?)inf$/, '$1Infinity')))),
  decimal: (v) => (v === null ? null : String(v)),
  string: (v) => (v === null ? '' : String(v)),
  datetime: (v) => (v === null ? null : formatDatetime(BigInt(v as string))),
  timespan: (v) => (v === null ? null : formatTimespan(BigInt(v as string))),
  guid: (v) => (v === null ? null : String(v).toLowerCase()),
  dynamic: (v) => (v === null ? null : (JSON.parse(String(v)) as DynamicJson)),
};

function converterFor(type: ScalarType): Converter {
  return converters[type];
}
