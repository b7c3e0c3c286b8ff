/**
 * Which datetime strings ingestion accepts: ISO 8601 dates and times as DuckDB's TIMESTAMP_NS cast
 * reads them (checked in one regular expression plus calendar bounds, so JS and DuckDB agree and a
 * bad date is a 400 before anything reaches the database). Up to 9 fraction digits (Kusto keeps
 * 100-ns ticks); an offset is converted to UTC; no offset means UTC.
 */
const isoDatetime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|[+-](\d{2}):?(\d{2}))?$/;

const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const datetimeExpectation = 'an ISO 8601 datetime string from 1678 to 2261 (the range of nanosecond timestamps) such as "2024-05-01T12:00:00Z"';

export function isDatetimeText(text: string): boolean {
  const m = isoDatetime.exec(text);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1678 || year > 2261) return false; // TIMESTAMP_NS covers 1677-09-21 … 2262-04-11
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]!) return false;
  if (month === 2 && day === 29 && !isLeapYear(year)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  if (m[7] !== undefined && (Number(m[7]) > 15 || Number(m[8]) > 59)) return false;
  return true;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
