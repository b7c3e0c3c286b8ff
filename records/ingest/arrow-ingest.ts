/**
 * Arrow IPC stream bodies: decoded with apache-arrow, checked column by column against the table
 * (the same refusals as JSON), turned into DuckDB column values before the request queues, and
 * loaded by the writer through the appender, one data chunk at a time.
 */
import { DuckDBDataChunk, timestampNanosValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { tableFromIPC, Type, type DataType, type Table, type Vector } from 'apache-arrow';
import type { Column, TableSchema } from '../../language/schema/types.js';
import { badBody, missingField, reservedField, unknownField, wrongType } from './problems.js';
import { MAX_DYNAMIC_DEPTH, nestsDeeperThan } from './json-limits.js';
import { requiredStringColumns, serverFilledColumns } from './validate-json.js';

export interface PreparedArrow {
  rows: number;
  /** Values per table column name, for the columns the stream carries. */
  columns: Map<string, DuckDBValue[]>;
  timeGenerated?: DuckDBValue[];
}

const chunkRows = 2048;
const int32 = 2 ** 31;

export function prepareArrow(schema: TableSchema, ipcStream: Uint8Array, timeGeneratedField?: string): PreparedArrow {
  const table = decode(ipcStream);
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const columnNames = schema.columns.filter((c) => !serverFilledColumns.has(c.name)).map((c) => c.name);
  const prepared: PreparedArrow = { rows: table.numRows, columns: new Map() };
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const column = byName.get(field.name);
    if (column === undefined && field.name === timeGeneratedField) {
      prepared.timeGenerated = convert(vector, { name: field.name, type: 'datetime' });
      continue;
    }
    if (serverFilledColumns.has(field.name)) throw reservedField(undefined, field.name);
    if (column === undefined) throw unknownField(schema.name, undefined, field.name, columnNames);
    prepared.columns.set(column.name, convert(vector, column));
  }
  if (timeGeneratedField !== undefined && byName.has(timeGeneratedField)) prepared.timeGenerated = prepared.columns.get(timeGeneratedField);
  for (const name of requiredStringColumns) checkRequired(prepared, schema, name);
  return prepared;
}

function decode(ipcStream: Uint8Array): Table {
  try {
    return tableFromIPC(ipcStream);
  } catch (error) {
    throw badBody(`The body is not an Arrow IPC stream (${(error as Error).message}); send one record batch stream of the table's columns.`);
  }
}

function checkRequired(prepared: PreparedArrow, schema: TableSchema, name: string): void {
  const values = prepared.columns.get(name);
  const why = `every ${schema.name} record names its machine`;
  if (values === undefined) {
    if (prepared.rows > 0) throw missingField(0, name, `${why}; the stream has no '${name}' column`);
    return;
  }
  const empty = values.findIndex((v) => v === '');
  if (empty >= 0) throw missingField(empty, name, why);
}

/** Arrow types each column accepts, as the words a refusal uses. */
const accepted: Record<string, string> = {
  string: 'Utf8 (or a dictionary of Utf8)',
  datetime: 'Timestamp (any unit)',
  bool: 'Bool',
  int: 'an Int type with values in 32-bit range',
  long: 'an Int type',
  real: 'a Float or Int type',
  dynamic: 'Utf8 holding JSON text',
};

function convert(vector: Vector, column: Column): DuckDBValue[] {
  const type = vector.type as DataType;
  const fail = (): never => {
    throw wrongType(undefined, column.name, `an Arrow column of ${accepted[column.type] ?? 'a supported type'}`, `Arrow ${String(type)}`);
  };
  const out = new Array<DuckDBValue>(vector.length);
  switch (column.type) {
    case 'string':
      if (!isText(type)) fail();
      for (let i = 0; i < out.length; i++) out[i] = (vector.get(i) as string | null) ?? '';
      return out;
    case 'dynamic':
      if (!isText(type)) fail();
      for (let i = 0; i < out.length; i++) out[i] = jsonText(vector.get(i) as string | null, i, column.name);
      return out;
    case 'bool':
      if (type.typeId !== Type.Bool) fail();
      for (let i = 0; i < out.length; i++) out[i] = vector.get(i) as boolean | null;
      return out;
    case 'int':
    case 'long':
      if (type.typeId !== Type.Int) fail();
      for (let i = 0; i < out.length; i++) out[i] = integer(vector.get(i) as number | bigint | null, column, i);
      return out;
    case 'real':
      if (type.typeId !== Type.Float && type.typeId !== Type.Int) fail();
      for (let i = 0; i < out.length; i++) out[i] = toReal(vector.get(i) as number | bigint | null);
      return out;
    case 'datetime':
      if (type.typeId !== Type.Timestamp) fail();
      return timestamps(vector, out);
    default:
      return fail();
  }
}

function isText(type: DataType): boolean {
  if (type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8) return true;
  return type.typeId === Type.Dictionary && isText((type as DataType & { dictionary: DataType }).dictionary);
}

function jsonText(value: string | null, row: number, field: string): string | null {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw wrongType(row, field, 'JSON text (a dynamic column)', value);
  }
  if (nestsDeeperThan(parsed, MAX_DYNAMIC_DEPTH)) throw wrongType(row, field, `JSON text nested at most ${MAX_DYNAMIC_DEPTH} levels deep (a dynamic column)`, parsed);
  return value;
}

function integer(value: number | bigint | null, column: Column, row: number): number | bigint | null {
  if (value === null) return null;
  if (column.type === 'long') return BigInt(value);
  const n = Number(value);
  if (Math.abs(n) >= int32) throw wrongType(row, column.name, 'a whole number between -2147483647 and 2147483647', n);
  return n;
}

function toReal(value: number | bigint | null): number | null {
  return value === null ? null : Number(value);
}

/** Read from the raw 64-bit values: `get()` would round to milliseconds. */
function timestamps(vector: Vector, out: DuckDBValue[]): DuckDBValue[] {
  const unit = (vector.type as DataType & { unit: number }).unit;
  const toNanos = [1_000_000_000n, 1_000_000n, 1_000n, 1n][unit] ?? 1n;
  let row = 0;
  for (const data of vector.data) {
    const values = data.values as BigInt64Array;
    for (let j = 0; j < data.length; j++, row++) {
      out[row] = data.getValid(j) ? timestampNanosValue(values[j]! * toNanos) : null;
    }
  }
  return out;
}

export interface ArrowLoadContext {
  receivedAt: Date;
  tenantId: string;
}

/** Appends the prepared rows in data chunks; yields to the event loop between chunks. */
export async function loadArrowTable(conn: DuckDBConnection, schema: TableSchema, prepared: PreparedArrow, context: ArrowLoadContext): Promise<void> {
  const appender = await conn.createAppender(schema.name);
  const types: DuckDBType[] = schema.columns.map((_, i) => appender.columnType(i));
  const received = timestampNanosValue(BigInt(context.receivedAt.getTime()) * 1_000_000n);
  try {
    for (let from = 0; from < prepared.rows; from += chunkRows) {
      const n = Math.min(chunkRows, prepared.rows - from);
      const chunk = DuckDBDataChunk.create(types, n);
      chunk.setColumns(schema.columns.map((c) => chunkColumn(c, prepared, from, n, schema.name, context.tenantId, received)));
      appender.appendDataChunk(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function chunkColumn(column: Column, prepared: PreparedArrow, from: number, n: number, table: string, tenantId: string, received: DuckDBValue): DuckDBValue[] {
  if (column.name === 'Type') return new Array<DuckDBValue>(n).fill(table);
  if (column.name === 'TenantId') return new Array<DuckDBValue>(n).fill(tenantId);
  if (column.name === 'TimeGenerated') {
    const own = prepared.columns.get('TimeGenerated');
    const chosen = prepared.timeGenerated;
    const out = new Array<DuckDBValue>(n);
    for (let i = 0; i < n; i++) out[i] = chosen?.[from + i] ?? own?.[from + i] ?? received;
    return out;
  }
  const values = prepared.columns.get(column.name);
  if (values === undefined) return new Array<DuckDBValue>(n).fill(column.type === 'string' ? '' : null);
  return values.slice(from, from + n);
}
