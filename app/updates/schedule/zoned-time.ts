/**
 * Wall-clock time in an IANA time zone, with nothing but Intl: a local date-time is plain
 * numbers, and `localToInstant` turns it into a UTC instant the way a maintenance schedule
 * wants it:
 * - in a DST gap (02:30 on a spring-forward day in Europe/Berlin does not exist) the time
 *   becomes the first valid instant after the gap, i.e. the moment of the change (03:00
 *   local, 01:00 UTC), so a run is never skipped and never starts later than necessary;
 * - in a DST overlap (02:30 on a fall-back day happens twice) the first instance is taken.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
}

const LOCAL_FORMAT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Parses `YYYY-MM-DDTHH:mm` (no seconds, no offset); undefined when it is not a real date-time. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const match = LOCAL_FORMAT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) return undefined;
  return { year, month, day, hour, minute };
}

export function formatLocalDateTime(local: LocalDateTime): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(local.year).padStart(4, '0')}-${two(local.month)}-${two(local.day)}T${two(local.hour)}:${two(local.minute)}`;
}

/** The local date-time as if it were UTC: a number to do calendar arithmetic on. */
export function naiveMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

export function fromNaiveMs(ms: number): LocalDateTime {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Monday … 6 = Sunday (the order of `weekDays` in the contract). */
export function isoWeekdayIndex(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at `instantMs`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(zone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return asUtc - wholeSeconds;
}

/** The wall-clock time in `zone` at an instant. */
export function instantToLocal(zone: string, instantMs: number): LocalDateTime {
  return fromNaiveMs(instantMs + offsetAt(zone, instantMs));
}

/** The UTC instant of a wall-clock time in `zone` (gap → first instant after it; overlap → first instance). */
export function localToInstant(zone: string, local: LocalDateTime): number {
  const naive = naiveMs(local);
  // Offsets in force a day either side cover every transition that can touch this wall time.
  const offsets = new Set([offsetAt(zone, naive - DAY_MS), offsetAt(zone, naive), offsetAt(zone, naive + DAY_MS)]);
  const valid = [...offsets].map((offset) => naive - offset).filter((instant) => offsetAt(zone, instant) === naive - instant);
  if (valid.length > 0) return Math.min(...valid);
  return endOfGap(zone, naive, [...offsets]);
}

/** A wall time inside a gap: the instant the clock jumped over it. */
function endOfGap(zone: string, naive: number, offsets: number[]): number {
  let low = naive - Math.max(...offsets); // before the change: the earlier (smaller) offset still applies
  let high = naive - Math.min(...offsets); // after the change
  const before = offsetAt(zone, low);
  // Transitions fall on whole minutes: bisect to the first minute with the new offset.
  low = Math.floor(low / MINUTE_MS) * MINUTE_MS;
  high = Math.ceil(high / MINUTE_MS) * MINUTE_MS;
  while (high - low > MINUTE_MS) {
    const middle = Math.floor((low + high) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetAt(zone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}
