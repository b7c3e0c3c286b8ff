/** The records an agent sends: rows of the Heartbeat, Update and UpdateSummary tables (language/schema/tables.ts). */

export type AgentTable = 'Heartbeat' | 'Update' | 'UpdateSummary';

export const agentTables: readonly AgentTable[] = ['Heartbeat', 'Update', 'UpdateSummary'];

/** Column name → value. Datetimes travel as ISO 8601 strings; dynamic columns as JSON values. */
export type LogValue = string | number | boolean | null | readonly string[];
export type LogRecord = Record<string, LogValue>;

/** Where the agent puts the records it produces; batching and delivery happen behind it. */
export interface RecordSink {
  add(table: AgentTable, records: readonly LogRecord[]): void;
}
