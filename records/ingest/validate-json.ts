/**
 * Validation of JSON records against a record table, compiled once per table: one pass over each
 * record's own keys with a Map lookup and a type check per value, so validation stays a small
 * fraction of parsing. A refusal names the record index and the field (problems.ts).
 */
import type { ScalarType, TableSchema } from '../../language/schema/types.js';
import { datetimeExpectation, isDatetimeText } from './datetime-text.js';
import { hasUnpairedSurrogate, MAX_DYNAMIC_DEPTH, nestsDeeperThan } from './json-limits.js';
import { badBody, missingField, reservedField, unknownField, wrongType } from './problems.js';

/** Columns the server fills: TenantId (the workspace) and Type (the table's name). */
export const serverFilledColumns: ReadonlySet<string> = new Set(['TenantId', 'Type']);

/** Every record must name its machine; queries group and join on it. */
export const requiredStringColumns: readonly string[] = ['Computer'];

interface TypeCheck {
  accepts(value: unknown): boolean;
  expected: string;
}

const int32 = 2 ** 31;
const int64 = 2 ** 63;
const finiteNumberExpectation = 'a number between -1.7976931348623157e308 and 1.7976931348623157e308 (a 64-bit real; larger ones such as 1e400 read as Infinity)';
const guidText = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Strict: a number sent for a string column is refused rather than coerced (the reference
 * coerces), so a sender's type mistake shows at once instead of as odd query results.
 */
const checks: Record<ScalarType, TypeCheck> = {
  string: { accepts: (v) => typeof v === 'string', expected: 'a string (send numbers as "42" for text columns)' },
  datetime: { accepts: (v) => typeof v === 'string' && isDatetimeText(v), expected: datetimeExpectation },
  bool: { accepts: (v) => typeof v === 'boolean', expected: 'true or false' },
  int: { accepts: (v) => Number.isInteger(v) && Math.abs(v as number) < int32, expected: 'a whole number between -2147483647 and 2147483647' },
  long: { accepts: (v) => Number.isInteger(v) && Math.abs(v as number) < int64, expected: 'a whole number (64-bit)' },
  // JSON.parse reads 1e400 as Infinity: refused, or it would be stored as inf.
  real: { accepts: (v) => Number.isFinite(v), expected: finiteNumberExpectation },
  decimal: { accepts: (v) => Number.isFinite(v), expected: finiteNumberExpectation },
  timespan: { accepts: (v) => Number.isInteger(v), expected: 'a whole number of nanoseconds' },
  guid: { accepts: (v) => typeof v === 'string' && guidText.test(v), expected: 'a GUID string such as "8e3ab6b4-0000-4000-8000-000000000000"' },
  dynamic: { accepts: (v) => !nestsDeeperThan(v, MAX_DYNAMIC_DEPTH), expected: `a JSON value nested at most ${MAX_DYNAMIC_DEPTH} levels deep` },
};

export interface JsonValidator {
  table: TableSchema;
  /** Throws IngestError for the first bad record; returns the number of records. */
  validate(records: unknown, timeGeneratedField?: string): number;
}

export function compileJsonValidator(table: TableSchema): JsonValidator {
  const byName = new Map<string, TypeCheck>();
  for (const column of table.columns) {
    if (!serverFilledColumns.has(column.name)) byName.set(column.name, checks[column.type]);
  }
  const columnNames = [...byName.keys()];
  return {
    table,
    validate(records, timeGeneratedField) {
      if (!Array.isArray(records)) throw badBody(`The body must be a JSON array of records (objects), got ${kindOf(records)}.`);
      const extraField = timeGeneratedField !== undefined && !byName.has(timeGeneratedField) ? timeGeneratedField : undefined;
      for (let i = 0; i < records.length; i++) {
        validateRecord(records[i], i, extraField);
      }
      return records.length;
    },
  };

  function validateRecord(record: unknown, index: number, extraField: string | undefined): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw badBody(`record ${index} must be a JSON object of fields, got ${kindOf(record)}.`);
    }
    const fields = record as Record<string, unknown>;
    for (const key in fields) {
      const value = fields[key];
      const check = byName.get(key);
      if (check === undefined) {
        if (key === extraField) {
          if (value !== null && !checks.datetime.accepts(value)) throw wrongType(index, key, `${datetimeExpectation} (it is the time-generated-field)`, value);
          continue;
        }
        if (serverFilledColumns.has(key)) throw reservedField(index, key);
        throw unknownField(table.name, index, key, columnNames);
      }
      if (value !== null && !check.accepts(value)) throw wrongType(index, key, check.expected, value);
      if (mayHoldText(value) && hasUnpairedSurrogate(value)) throw wrongType(index, key, unpairedSurrogateExpectation, value);
    }
    for (const name of requiredStringColumns) {
      const value = fields[name];
      if (value === undefined || value === null || value === '') throw missingField(index, name, `every ${table.name} record names its machine`);
    }
  }
}

const unpairedSurrogateExpectation = 'valid Unicode text (it escapes half of a UTF-16 surrogate pair, such as "\\ud800" alone)';

function mayHoldText(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
