/**
 * Kusto literals: parsing datetime and timespan text to nanoseconds, rendering any constant
 * as typed SQL, and formatting datetimes and timespans the way the reference prints them.
 * Pure TypeScript (no SQL engine), so the result formatter and the editor can share it.
 */
import type { Constant, EmitContext } from './spec.js';

const nsPerMicro = 1_000n;
const nsPerMilli = 1_000_000n;
const nsPerSecond = 1_000_000_000n;
const nsPerMinute = 60n * nsPerSecond;
const nsPerHour = 60n * nsPerMinute;
const nsPerDay = 24n * nsPerHour;
/** Kusto's clock ticks every 100 ns; finer digits are dropped. */
const nsPerTick = 100n;

export const nanos = { tick: nsPerTick, micro: nsPerMicro, milli: nsPerMilli, second: nsPerSecond, minute: nsPerMinute, hour: nsPerHour, day: nsPerDay };

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, UTC), exact in BigInt

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return BigInt(era * 146097 + doe - 719468);
}

function daysInMonth(year: number, month: number): number {
  return Number(daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1));
}

/** `1234567` of `.1234567` as nanoseconds, truncated to whole ticks. */
function fractionNanos(digits: string | undefined): bigint {
  if (!digits) return 0n;
  const ns = BigInt(digits.slice(0, 9).padEnd(9, '0'));
  return ns - (ns % nsPerTick);
}

// ---------------------------------------------------------------------------------------------
// Datetime literals

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const isoDatetime =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2})?$/i;
const rfcDatetime =
  /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2})?$/i;

/** Nanoseconds since the epoch for the text inside `datetime(...)`, or undefined if Kusto would reject it. */
export function parseDatetimeLiteral(text: string): bigint | undefined {
  const t = text.trim();
  const iso = isoDatetime.exec(t);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    return composeDatetime(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), frac, zone);
  }
  const rfc = rfcDatetime.exec(t);
  if (rfc) {
    const [, d, monthName, y, h, mi, s, zone] = rfc;
    const month = months.indexOf((monthName ?? '').toLowerCase()) + 1;
    if (month === 0) return undefined;
    return composeDatetime(Number(y), month, Number(d), Number(h), Number(mi), Number(s ?? 0), undefined, zone);
  }
  return undefined;
}

function composeDatetime(
  year: number, month: number, day: number, hour: number, minute: number, second: number,
  fraction: string | undefined, zone: string | undefined,
): bigint | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const days = daysFromCivil(year, month, day);
  const local = days * nsPerDay + BigInt(hour) * nsPerHour + BigInt(minute) * nsPerMinute + BigInt(second) * nsPerSecond;
  return local + fractionNanos(fraction) - zoneOffsetNanos(zone);
}

function zoneOffsetNanos(zone: string | undefined): bigint {
  if (!zone || /^(z|gmt|utc)$/i.test(zone)) return 0n;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0n;
  const magnitude = BigInt(Number(m[2]) * 60 + Number(m[3])) * nsPerMinute;
  return m[1] === '-' ? -magnitude : magnitude;
}

/**
 * Datetimes are nanoseconds in a signed 64-bit count (DuckDB's TIMESTAMP_NS, ClickHouse Int64),
 * which reaches 1677-09-21 … 2262-04-11; whole years inside that are accepted, so every
 * conversion of an accepted datetime (formatting, parts, bins) stays in range.
 */
export const datetimeRange = { min: daysFromCivil(1678, 1, 1) * nsPerDay, max: daysFromCivil(2262, 1, 1) * nsPerDay - nsPerTick, text: '1678-01-01 to 2261-12-31' };

/** Whether a datetime in nanoseconds can be stored and computed with. */
export function datetimeInRange(ns: bigint): boolean {
  return ns >= datetimeRange.min && ns <= datetimeRange.max;
}

const int64Max = 2n ** 63n - 1n;

/** Timespans are a signed 64-bit count of nanoseconds: about ±106751 days. */
export function timespanInRange(ns: bigint): boolean {
  return ns >= -int64Max && ns <= int64Max;
}

// ---------------------------------------------------------------------------------------------
// Timespan literals

const unitNanos: Record<string, bigint> = {
  d: nsPerDay, day: nsPerDay, days: nsPerDay,
  h: nsPerHour, hr: nsPerHour, hrs: nsPerHour, hour: nsPerHour, hours: nsPerHour,
  m: nsPerMinute, min: nsPerMinute, minute: nsPerMinute, minutes: nsPerMinute,
  s: nsPerSecond, sec: nsPerSecond, second: nsPerSecond, seconds: nsPerSecond,
  ms: nsPerMilli, milli: nsPerMilli, millis: nsPerMilli, millisecond: nsPerMilli, milliseconds: nsPerMilli,
  microsecond: nsPerMicro, microseconds: nsPerMicro,
  tick: nsPerTick, ticks: nsPerTick,
  nanosecond: 1n, nanoseconds: 1n,
};

const unitPart = /^(\d+)(?:\.(\d+))?([a-z]+)$/i;
const clockForm = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Nanoseconds for `1d`, `1.5h`, `1d 2h 30m`, `10microsecond`, or the `time(...)` forms `1.02:03:04.5`, `02:03`, `10` (days). */
export function parseTimespanLiteral(text: string): bigint | undefined {
  let t = text.trim();
  let sign = 1n;
  if (t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1).trim();
  }
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return sign * BigInt(t) * nsPerDay; // `time(10)` is ten days
  const clock = clockForm.exec(t);
  if (clock) {
    const [, , d, h, mi, s, frac] = clock;
    if (Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
    const ns = BigInt(d ?? 0) * nsPerDay + BigInt(h ?? 0) * nsPerHour + BigInt(mi ?? 0) * nsPerMinute +
      BigInt(s ?? 0) * nsPerSecond + fractionNanos(frac);
    return sign * ns;
  }
  let total = 0n;
  for (const part of t.split(/\s+/)) {
    const m = unitPart.exec(part);
    const unit = m ? unitNanos[(m[3] ?? '').toLowerCase()] : undefined;
    if (!m || unit === undefined) return undefined;
    const fraction = m[2] ?? '';
    total += BigInt(m[1] ?? 0) * unit + (BigInt(fraction || '0') * unit) / 10n ** BigInt(fraction.length);
  }
  return sign * total;
}

// ---------------------------------------------------------------------------------------------
// Formatting (result values)

/** Kusto's text forms of datetimes and timespans live with the result conversion that uses them most. */
export { formatDatetime, formatTimespan } from '../values/kusto-text.js';

// ---------------------------------------------------------------------------------------------
// Constants as SQL

/** A whole number from a constant's value (longs may arrive as bigint, number or text). */
export function constantBigInt(value: Constant['value']): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return undefined;
}

/** The typed SQL literal for any Kusto constant; nulls keep their type (`CAST(NULL AS BIGINT)`). */
export function constantSql(c: Constant, ctx: EmitContext): string {
  const d = ctx.dialect;
  const sqlType = d.types[c.type];
  if (c.value === null) return `CAST(NULL AS ${sqlType})`;
  switch (c.type) {
    case 'bool':
      return d.forms.boolLiteral(c.value === true || c.value === 'true' || c.value === 1);
    case 'int':
    case 'long':
      return `CAST(${requireBigInt(c)} AS ${sqlType})`;
    case 'real':
      return realSql(Number(c.value), sqlType);
    case 'decimal':
      return `CAST(${d.stringLiteral(String(c.value))} AS ${sqlType})`;
    case 'datetime':
      return d.datetimeLiteral(requireBigInt(c));
    case 'timespan':
      return d.timespanLiteral(requireBigInt(c));
    case 'string':
      return d.stringLiteral(String(c.value));
    case 'guid':
    case 'dynamic':
      return `CAST(${d.stringLiteral(String(c.value))} AS ${sqlType})`;
  }
}

function requireBigInt(c: Constant): bigint {
  const n = constantBigInt(c.value);
  if (n === undefined) throw new Error(`constant ${String(c.value)} is not a whole ${c.type}`);
  return n;
}

function realSql(value: number, sqlType: string): string {
  if (Number.isNaN(value)) return `CAST('nan' AS ${sqlType})`;
  if (!Number.isFinite(value)) return `CAST('${value > 0 ? 'inf' : '-inf'}' AS ${sqlType})`;
  return `CAST(${String(value)} AS ${sqlType})`;
}
