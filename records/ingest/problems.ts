/** The refusals ingestion can give, each naming the problem and the fix (see contract.ts). */
import { didYouMean } from '../../language/syntax/diagnostics.js';
import { IngestError } from '../../contracts/ingest.js';

export function badBody(message: string): IngestError {
  return new IngestError({ status: 400, code: 'InvalidBody', message });
}

export function invalidUtf8(offset: number): IngestError {
  return badBody(`The body is not valid UTF-8 (byte ${offset}); send JSON text encoded as UTF-8.`);
}

export function unknownTable(table: string, known: string[]): IngestError {
  return new IngestError({
    status: 400,
    code: 'UnknownTable',
    message: `'${table}' is not a table.${didYouMean(table, known)} Tables: ${known.join(', ')}.`,
  });
}

/** Column names are short; a longer name is shown cut and not compared (edit distance on a megabyte-long key took seconds). */
const MAX_SHOWN_FIELD = 100;

export function unknownField(table: string, recordIndex: number | undefined, field: string, columns: string[]): IngestError {
  const long = field.length > MAX_SHOWN_FIELD;
  const shown = long ? `${field.slice(0, MAX_SHOWN_FIELD)}…` : field;
  return new IngestError({
    status: 400,
    code: 'UnknownField',
    message: `${where(recordIndex)}field '${shown}'${long ? ` (${field.length} characters)` : ''} is not a column of ${table} (field names are case-sensitive).${long ? '' : didYouMean(field, columns)}`,
    recordIndex,
    field: shown,
  });
}

export function reservedField(recordIndex: number | undefined, field: string): IngestError {
  return new IngestError({
    status: 400,
    code: 'ReservedField',
    message: `${where(recordIndex)}field '${field}' is filled by the server; leave it out of the record.`,
    recordIndex,
    field,
  });
}

export function wrongType(recordIndex: number | undefined, field: string, expected: string, value: unknown): IngestError {
  return new IngestError({
    status: 400,
    code: 'WrongType',
    message: `${where(recordIndex)}field '${field}' must be ${expected}, got ${describe(value)}.`,
    recordIndex,
    field,
  });
}

export function missingField(recordIndex: number, field: string, why: string): IngestError {
  return new IngestError({
    status: 400,
    code: 'MissingField',
    message: `record ${recordIndex}: field '${field}' is required (${why}).`,
    recordIndex,
    field,
  });
}

export function overloaded(queuedRecords: number, retryAfterSeconds: number): IngestError {
  return new IngestError({
    status: 429,
    code: 'Overloaded',
    message: `The writer has ${queuedRecords} records queued; retry in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  });
}

export function storageUnavailable(reason: string): IngestError {
  return new IngestError({
    status: 503,
    code: 'StorageUnavailable',
    message: `Nothing was stored: the database cannot take writes (${reason}). Retry later; an operator should check the disk and the server log.`,
    retryAfterSeconds: 30,
  });
}

export function closed(): IngestError {
  return new IngestError({
    status: 503,
    code: 'ShuttingDown',
    message: 'Nothing was stored: the writer is shutting down. Retry against the restarted server.',
    retryAfterSeconds: 5,
  });
}

/** A short, safe rendering of a bad value for messages (never the whole of a large value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
  return `${typeof value} ${text}`;
}

/** "record 3: " for a record's problem; nothing for a column-level one (an Arrow schema). */
function where(recordIndex: number | undefined): string {
  return recordIndex === undefined ? '' : `record ${recordIndex}: `;
}
