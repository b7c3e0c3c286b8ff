/**
 * Reads the server's Arrow IPC answer (server/arrow-result.ts) into an ArrowQueryResult:
 * one apache-arrow decode, the Kusto types from the field metadata, truncation and render from
 * the schema metadata. Cells stay in Arrow's buffers; see cells.ts for reading them.
 */
import { tableFromIPC } from 'apache-arrow';
import type { ArrowQueryResult, KustoType, RenderSpec, ResultColumn } from './contract.js';

const kustoTypes: readonly KustoType[] = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'];

export function decodeArrowResult(bytes: Uint8Array, durationMs: number): ArrowQueryResult {
  const table = tableFromIPC(bytes);
  const columns: ResultColumn[] = table.schema.fields.map((field) => ({
    name: field.name,
    type: kustoType(field.name, field.metadata.get('kusto.type')),
  }));
  const metadata = table.schema.metadata;
  return {
    table,
    columns,
    truncated: metadata.get('kusto.truncated') === 'true',
    render: parseRender(metadata.get('kusto.render')),
    durationMs,
    rowCount: table.numRows,
  };
}

function kustoType(column: string, text: string | undefined): KustoType {
  if (text !== undefined && (kustoTypes as readonly string[]).includes(text)) return text as KustoType;
  throw new Error(
    `Column '${column}' has no Kusto type in its Arrow metadata (kusto.type = ${JSON.stringify(text ?? null)}); ` +
      'the answer did not come from an Upkeep query API, or the server is older than the workbench.',
  );
}

function parseRender(text: string | undefined): RenderSpec | null {
  if (text === undefined || text === '' || text === 'null') return null;
  const parsed: unknown = JSON.parse(text);
  if (!isRenderSpec(parsed)) throw new Error(`The answer's kusto.render metadata is not a render spec: ${text.slice(0, 200)}`);
  return parsed;
}

function isRenderSpec(value: unknown): value is RenderSpec {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RenderSpec>;
  return typeof candidate.visualization === 'string' && typeof candidate.properties === 'object' && candidate.properties !== null;
}
