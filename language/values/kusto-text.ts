/**
 * Kusto's text forms of datetimes and timespans. Kusto counts time in 100-ns ticks, so both
 * print at most 7 fractional digits, and print none when the fraction is zero.
 */

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_TICK = 100;
const SECONDS_PER_DAY = 86_400;

/** `2024-01-01T23:59:59.9999999Z` / `2024-01-01T00:00:00Z` from nanoseconds since the Unix epoch. */
export function formatDatetime(ns: bigint): string {
  let seconds = ns / NS_PER_SECOND;
  let subSecondNs = ns - seconds * NS_PER_SECOND;
  // bigint division truncates toward zero; datetimes before 1970 need the floor.
  if (subSecondNs < 0n) {
    seconds -= 1n;
    subSecondNs += NS_PER_SECOND;
  }
  const ticks = Math.floor(Number(subSecondNs) / NS_PER_TICK);
  const whole = isoSeconds(Number(seconds));
  return ticks === 0 ? `${whole}Z` : `${whole}.${pad7(ticks)}Z`;
}

/** The same from microseconds (DuckDB's plain TIMESTAMP, which some date functions return). */
export function formatDatetimeMicros(micros: bigint): string {
  return formatDatetime(micros * 1000n);
}

/** `[-][d.]hh:mm:ss[.fffffff]` from a signed nanosecond count: `1.02:03:04.5000000`, `-00:00:01`. */
export function formatTimespan(ns: bigint): string {
  const negative = ns < 0n;
  const magnitude = negative ? -ns : ns;
  const totalSeconds = Number(magnitude / NS_PER_SECOND);
  const ticks = Math.floor(Number(magnitude % NS_PER_SECOND) / NS_PER_TICK);
  const days = Math.floor(totalSeconds / SECONDS_PER_DAY);
  const secondsOfDay = totalSeconds - days * SECONDS_PER_DAY;
  const hours = Math.floor(secondsOfDay / 3600);
  const minutes = Math.floor((secondsOfDay % 3600) / 60);
  const seconds = secondsOfDay % 60;
  // A sub-tick negative span rounds to zero, which Kusto prints unsigned.
  const sign = negative && (totalSeconds > 0 || ticks > 0) ? '-' : '';
  const dayPart = days > 0 ? `${days}.` : '';
  const fraction = ticks === 0 ? '' : `.${pad7(ticks)}`;
  return `${sign}${dayPart}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}${fraction}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

/** `YYYY-MM-DDThh:mm:ss` (no fraction, no zone) of whole seconds since the epoch. */
function isoSeconds(seconds: number): string {
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - day * SECONDS_PER_DAY;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  return `${datePrefix(day)}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[secondOfDay % 60]}`;
}

// Date's formatting costs ~0.5 µs a call; results rarely span many days, so format each day once.
let cachedDay = Number.NaN;
let cachedDatePrefix = '';

/** `YYYY-MM-DDT` of a day number since the epoch. */
function datePrefix(day: number): string {
  if (day === cachedDay) return cachedDatePrefix;
  const date = new Date(day * SECONDS_PER_DAY * 1000);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`A datetime ${day} days from 1970 is outside the range a date can print.`);
  }
  const iso = date.toISOString();
  cachedDay = day;
  // Up to and including the "T"; the extended year form (+010000-…) keeps its sign and digits.
  cachedDatePrefix = iso.slice(0, iso.indexOf('T') + 1);
  return cachedDatePrefix;
}

function pad2(n: number): string {
  return TWO_DIGITS[n] ?? String(n);
}

function pad7(n: number): string {
  return String(n).padStart(7, '0');
}
