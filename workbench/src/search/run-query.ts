/**
 * Runs a query through `POST /api/query`, asking for Arrow IPC (dictionary-encoded strings, about
 * a quarter of the JSON's size). Cancelling aborts the fetch; the server sees the connection
 * close and interrupts DuckDB.
 */
import { apiFetch, apiJson } from '../lib/api.js';

export interface QueryBytes {
  bytes: Uint8Array;
  /** From sending the request to having every byte. */
  durationMs: number;
}

export async function fetchQuery(query: string, timespan: string | undefined, signal: AbortSignal): Promise<QueryBytes> {
  const started = performance.now();
  const response = await apiFetch('/api/query', {
    method: 'POST',
    headers: { accept: 'application/vnd.apache.arrow.stream' },
    body: JSON.stringify(timespan ? { query, timespan } : { query }),
    signal,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, durationMs: performance.now() - started };
}

export interface Explained {
  sql: string;
  columns: { name: string; type: string }[];
  tables: string[];
}

export function explainQuery(query: string): Promise<Explained> {
  return apiJson<Explained>('/api/query/explain', { method: 'POST', body: JSON.stringify({ query }) });
}
