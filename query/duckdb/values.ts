/**
 * DuckDB values → Kusto result values, decided by the column's *Kusto* type (DuckDB's type
 * only says how the value arrives). One converter is chosen per column per result, so the
 * per-value work is a single function call with no type switch — conversion dominates the
 * cost of large results.
 *
 * The mapping (see ResultValue in result.ts):
 * - datetime → `2024-01-01T23:59:59.9999999Z` (100-ns ticks, 7 fractional digits or none);
 *   TIMESTAMP_NS, TIMESTAMP (µs), TIMESTAMP WITH TIME ZONE, TIMESTAMP_MS/_S and DATE accepted.
 * - timespan → `[-][d.]hh:mm:ss[.fffffff]` from BIGINT nanoseconds (INTERVAL also accepted,
 *   a month counted as 30 days).
 * - long → number when within ±(2^53 − 1), else bigint, so no value loses precision.
 * - int → number; real → number, with NaN/±Infinity as the strings "NaN", "Infinity",
 *   "-Infinity" (what the reference's JSON prints).
 * - decimal → exact string without trailing fractional zeros (`1.5`), never a lossy double.
 * - string → string, null → "" (Kusto strings are never null).
 * - guid → lowercase string; bool → boolean.
 * - dynamic → the parsed JSON value; SQL null stays null.
 * A DuckDB type that cannot carry the Kusto type is a compiler bug: choosing the converter
 * throws rather than printing something plausible but wrong.
 */
import {
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBDataChunk,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBIntervalValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBUUIDValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Column, ScalarType } from '../../language/schema/types.js';
import { formatDatetime, formatTimespan } from '../../language/values/kusto-text.js';
import type { DynamicJson, ResultValue } from '../../language/values/result.js';

/** Converts one non-null DuckDB value. */
export type ItemConverter = (item: DuckDBValue) => ResultValue;

export interface ColumnConverter {
  fromItem: ItemConverter;
  /** What a SQL NULL becomes: null, except "" for strings. */
  ifNull: ResultValue;
}

type ConverterFactory = (type: DuckDBType) => ItemConverter;
type ConverterTable = Partial<Record<DuckDBTypeId, ConverterFactory>>;

const T = DuckDBTypeId;
const SMALL_INTEGERS = [T.TINYINT, T.SMALLINT, T.INTEGER, T.UTINYINT, T.USMALLINT, T.UINTEGER] as const;
const BIG_INTEGERS = [T.BIGINT, T.UBIGINT, T.HUGEINT, T.UHUGEINT] as const;
const FLOATS = [T.FLOAT, T.DOUBLE] as const;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const NS_PER_DAY = 86_400_000_000_000n;

// The casts below are sound: each function is only reached through the table entry for the
// DuckDB type id whose values have that JS representation (see @duckdb/node-api's vectors).
const asNumber = (item: DuckDBValue): number => item as number;
const asBigInt = (item: DuckDBValue): bigint => item as bigint;

/** A long: a plain number while it is exact, a bigint beyond ±(2^53 − 1). */
export function exactInteger(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** Kusto prints non-finite reals as these strings; JSON has no literal for them. */
export function realValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** `1.500000000000000000` → `1.5`, `2.000` → `2`. */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

function decimalInteger(item: DuckDBValue): bigint {
  const decimal = item as DuckDBDecimalValue;
  return decimal.value / 10n ** BigInt(decimal.scale);
}

function truncatedFloat(item: DuckDBValue): number | null {
  const value = asNumber(item);
  return Number.isFinite(value) ? Math.trunc(value) : null;
}

function each(ids: readonly DuckDBTypeId[], factory: ConverterFactory): ConverterTable {
  const table: ConverterTable = {};
  for (const id of ids) table[id] = factory;
  return table;
}

const identity: ItemConverter = (item) => item as ResultValue;
const always = (convert: ItemConverter): ConverterFactory => () => convert;

const longConverters: ConverterTable = {
  ...each(SMALL_INTEGERS, always(identity)),
  ...each(BIG_INTEGERS, always((item) => exactInteger(asBigInt(item)))),
  ...each(FLOATS, always(truncatedFloat)),
  [T.DECIMAL]: always((item) => exactInteger(decimalInteger(item))),
};

const intConverters: ConverterTable = {
  ...each(SMALL_INTEGERS, always(identity)),
  ...each(BIG_INTEGERS, always((item) => Number(asBigInt(item)))),
  ...each(FLOATS, always(truncatedFloat)),
  [T.DECIMAL]: always((item) => Number(decimalInteger(item))),
};

const realConverters: ConverterTable = {
  ...each(FLOATS, always((item) => realValue(asNumber(item)))),
  ...each(SMALL_INTEGERS, always(identity)),
  ...each(BIG_INTEGERS, always((item) => Number(asBigInt(item)))),
  [T.DECIMAL]: always((item) => realValue((item as DuckDBDecimalValue).toDouble())),
};

const decimalConverters: ConverterTable = {
  [T.DECIMAL]: always((item) => trimDecimal((item as DuckDBDecimalValue).toString())),
  ...each(SMALL_INTEGERS, always((item) => String(asNumber(item)))),
  ...each(BIG_INTEGERS, always((item) => asBigInt(item).toString())),
  ...each(FLOATS, always((item) => String(realValue(asNumber(item))))),
};

const boolConverters: ConverterTable = {
  [T.BOOLEAN]: always(identity),
  ...each(SMALL_INTEGERS, always((item) => asNumber(item) !== 0)),
  ...each(BIG_INTEGERS, always((item) => asBigInt(item) !== 0n)),
};

const stringConverters: ConverterTable = {
  [T.VARCHAR]: always(identity),
  [T.ENUM]: always(identity),
};

const datetimeConverters: ConverterTable = {
  [T.TIMESTAMP_NS]: always((item) => formatDatetime((item as DuckDBTimestampNanosecondsValue).nanos)),
  [T.TIMESTAMP]: always((item) => formatDatetime((item as DuckDBTimestampValue).micros * 1000n)),
  [T.TIMESTAMP_TZ]: always((item) => formatDatetime((item as DuckDBTimestampTZValue).micros * 1000n)),
  [T.TIMESTAMP_MS]: always((item) => formatDatetime((item as DuckDBTimestampMillisecondsValue).millis * 1_000_000n)),
  [T.TIMESTAMP_S]: always((item) => formatDatetime((item as DuckDBTimestampSecondsValue).seconds * 1_000_000_000n)),
  [T.DATE]: always((item) => formatDatetime(BigInt((item as DuckDBDateValue).days) * NS_PER_DAY)),
};

const timespanConverters: ConverterTable = {
  ...each(BIG_INTEGERS, always((item) => formatTimespan(asBigInt(item)))),
  ...each(SMALL_INTEGERS, always((item) => formatTimespan(BigInt(asNumber(item))))),
  ...each(FLOATS, always((item) => {
    const value = asNumber(item);
    return Number.isFinite(value) ? formatTimespan(BigInt(Math.round(value))) : null;
  })),
  [T.INTERVAL]: always((item) => formatTimespan(intervalNanos(item as DuckDBIntervalValue))),
};

function intervalNanos(interval: DuckDBIntervalValue): bigint {
  const days = BigInt(interval.months) * 30n + BigInt(interval.days);
  return days * NS_PER_DAY + interval.micros * 1000n;
}

const guidConverters: ConverterTable = {
  [T.UUID]: always((item) => (item as DuckDBUUIDValue).toString()),
  [T.VARCHAR]: always((item) => (item as string).toLowerCase()),
};

const parseJson: ItemConverter = (item) => JSON.parse(item as string) as DynamicJson;

/** Nested DuckDB values (lists, structs, maps…) reach dynamic columns through the library's JSON form. */
function nestedToJson(type: DuckDBType): ItemConverter {
  return (item) => JsonDuckDBValueConverter(item, type, JsonDuckDBValueConverter);
}

function dynamicConverter(type: DuckDBType): ItemConverter {
  // JSON is VARCHAR with an alias; a plain VARCHAR in a dynamic column is a JSON string value.
  if (type.typeId === T.VARCHAR) return type.alias === 'JSON' ? parseJson : identity;
  return nestedToJson(type);
}

const convertersByKustoType: Record<Exclude<ScalarType, 'dynamic'>, ConverterTable> = {
  bool: boolConverters,
  int: intConverters,
  long: longConverters,
  real: realConverters,
  decimal: decimalConverters,
  string: stringConverters,
  datetime: datetimeConverters,
  timespan: timespanConverters,
  guid: guidConverters,
};

/** The converter for one result column; throws when DuckDB's type cannot carry the Kusto type. */
export function columnConverter(column: Column, duckType: DuckDBType): ColumnConverter {
  const ifNull: ResultValue = column.type === 'string' ? '' : null;
  if (column.type === 'dynamic') return { fromItem: dynamicConverter(duckType), ifNull };
  const factory = convertersByKustoType[column.type][duckType.typeId];
  if (!factory) {
    throw new Error(
      `Column '${column.name}' is typed ${column.type} but the engine produced ${duckType.toString()}; ` +
        'the SQL for this column needs a cast to the Kusto type.',
    );
  }
  return { fromItem: factory(duckType), ifNull };
}

/**
 * Appends the first `rowCount` rows of a chunk to `into`, converting column by column so each
 * column's converter stays hot.
 */
export function appendConvertedRows(
  chunk: DuckDBDataChunk,
  converters: readonly ColumnConverter[],
  rowCount: number,
  into: ResultValue[][],
): void {
  const first = into.length;
  const columnCount = converters.length;
  for (let r = 0; r < rowCount; r++) into.push(new Array<ResultValue>(columnCount));
  for (let c = 0; c < columnCount; c++) {
    const vector = chunk.getColumnVector(c);
    const { fromItem, ifNull } = converters[c]!;
    for (let r = 0; r < rowCount; r++) {
      const item = vector.getItem(r);
      into[first + r]![c] = item === null ? ifNull : fromItem(item);
    }
  }
}
