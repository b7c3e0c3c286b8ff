/**
 * What the log-search page hands the results panel: a query's answer as the server sent it in
 * Arrow IPC (dictionary-encoded strings), decoded once with apache-arrow and never copied into
 * row objects (the grid reads cells on demand, so 100,000 rows cost one decode).
 *
 * The server puts each column's Kusto type in the field metadata key `kusto.type`, and the
 * schema metadata keys `kusto.truncated` ("true"/"false") and `kusto.render` (JSON of
 * RenderSpec or null). See server/arrow-result.ts.
 */
import type { Table } from 'apache-arrow';

export type KustoType = 'bool' | 'int' | 'long' | 'real' | 'decimal' | 'string' | 'datetime' | 'timespan' | 'guid' | 'dynamic';

export interface ResultColumn {
  name: string;
  type: KustoType;
}

/** `render <visualization> with (...)`, as language/values/result.ts defines it. */
export interface RenderSpec {
  visualization: string;
  properties: Record<string, string | number | boolean | string[]>;
}

export interface ArrowQueryResult {
  table: Table;
  columns: ResultColumn[];
  truncated: boolean;
  render: RenderSpec | null;
  /** Server-side run time and the time until the bytes were decoded in the browser. */
  durationMs: number;
  rowCount: number;
}
