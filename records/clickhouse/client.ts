/**
 * A small client for ClickHouse's HTTP interface (plain fetch; the maintained npm clients need
 * newer servers than Debian's 18.16). Errors name the node that failed, so "shard 2 is down"
 * is what a user reads, not "fetch failed".
 */

export interface ClickHouseNode {
  host: string;
  port: number;
}

export class ClickHouseError extends Error {
  constructor(readonly node: ClickHouseNode, message: string, readonly unreachable: boolean) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

export const databaseName = 'upkeep';

/** `clickhouse://h1:p1,h2:p2` → nodes (HTTP ports). */
export function parseStoreUrl(url: string): ClickHouseNode[] {
  const match = /^clickhouse:\/\/(.+)$/.exec(url.trim());
  if (!match) throw new Error(`'${url}' is not a ClickHouse store URL; write clickhouse://host:port[,host:port…] (the servers' HTTP ports).`);
  return match[1]!.replace(/\/+$/, '').split(',').map((part) => {
    const m = /^([^:/]+):(\d{1,5})$/.exec(part.trim());
    if (!m || Number(m[2]) > 65_535) throw new Error(`'${part}' in ${url} is not host:port; write clickhouse://host:port[,host:port…].`);
    return { host: m[1]!, port: Number(m[2]) };
  });
}

export function nodeName(node: ClickHouseNode): string {
  return `${node.host}:${node.port}`;
}

export interface RequestOptions {
  settings?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** Run without a default database (creating it). */
  noDatabase?: boolean;
}

/** POSTs one statement (query text in the body, or in the URL with `data` as the body). */
export async function request(node: ClickHouseNode, sql: string, options: RequestOptions & { data?: string } = {}): Promise<string> {
  const params = new URLSearchParams({ ...(options.noDatabase ? {} : { database: databaseName }), ...options.settings });
  if (options.data !== undefined) params.set('query', sql);
  const url = `http://${nodeName(node)}/?${params.toString()}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: options.data ?? sql, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ClickHouseError(node, `ClickHouse node ${nodeName(node)} is unreachable (${cause}).`, true);
  }
  const text = await response.text();
  if (!response.ok) throw new ClickHouseError(node, `ClickHouse node ${nodeName(node)}: ${cleanMessage(text)}`, false);
  return text;
}

/** `Code: 279, e.displayText() = DB::NetException: All connection tries failed … e.what() = …` → the useful part. */
export function cleanMessage(text: string): string {
  return text.replace(/, e\.what\(\) = .*$/s, '').replace(/e\.displayText\(\) = /, '').trim();
}
