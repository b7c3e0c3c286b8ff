/**
 * When a schedule fires: its occurrences as UTC instants, ascending.
 *
 * Every recurrence counts in the schedule's time-zone wall clock ("every day at 02:00
 * Europe/Berlin" stays at 02:00 local across DST changes; "every 6 hours" steps 6 wall-clock
 * hours). Local times become instants with `localToInstant`: a time inside a DST gap fires
 * at the first valid instant after the gap (the moment the clock jumps, e.g. 03:00 in Berlin
 * for 02:30), a time inside a DST overlap fires once, at its first instance. Two wall times
 * that land on the same instant (an hourly schedule across a gap) fire once.
 *
 * - Hour / Day: the start, then every `interval` hours / days after it.
 * - Week: weeks run Monday–Sunday; the week holding the start is week 0, then every
 *   `interval`-th week, on each listed weekday at the start's time of day, never before the start.
 * - Month: the start's month is month 0, then every `interval`-th month; on each listed day of
 *   the month (-1 = its last day; a day the month lacks, such as the 31st in April, is skipped),
 *   or on the n-th (or last) given weekday; at the start's time of day, never before the start.
 * - Once: the start.
 * - `expiryTime` (local): nothing fires after it.
 */
import { weekDays, type Recurrence, type Schedule } from '../../../contracts/updates.js';
import {
  daysInMonth,
  fromNaiveMs,
  isoWeekdayIndex,
  localToInstant,
  naiveMs,
  parseLocalDateTime,
  type LocalDateTime,
} from './zoned-time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** No zone is further than this from UTC; bounds how far a wall time can be from its instant. */
const MAX_OFFSET_MS = 15 * HOUR_MS;
/** The 29th of February every 12 months is empty for up to 7 periods in a row (2097–2103). */
const MAX_EMPTY_MONTH_PERIODS = 100;

export class ScheduleError extends Error {}

/** The occurrences in (fromExclusive, toInclusive], ascending. */
export function occurrencesBetween(schedule: Schedule, fromExclusive: Date, toInclusive: Date): Date[] {
  const result: Date[] = [];
  const to = toInclusive.getTime();
  for (const instant of occurrencesAfter(schedule, fromExclusive)) {
    if (instant > to) break;
    result.push(new Date(instant));
  }
  return result;
}

/** The next `count` occurrences strictly after `after` (fewer when the schedule ends). */
export function nextOccurrences(schedule: Schedule, after: Date, count: number): Date[] {
  const result: Date[] = [];
  if (count <= 0) return result;
  for (const instant of occurrencesAfter(schedule, after)) {
    result.push(new Date(instant));
    if (result.length >= count) break;
  }
  return result;
}

/** Every occurrence strictly after `after`, lazily, as epoch ms. */
export function* occurrencesAfter(schedule: Schedule, after: Date): Generator<number> {
  const start = parseOrThrow(schedule.startTime, 'startTime');
  const expiry = schedule.expiryTime === undefined ? Infinity : localToInstant(schedule.timeZone, parseOrThrow(schedule.expiryTime, 'expiryTime'));
  const startInstant = localToInstant(schedule.timeZone, start);
  const afterMs = after.getTime();
  let last = -Infinity;
  for (const local of wallTimes(schedule.recurrence, start, afterMs - MAX_OFFSET_MS)) {
    const naive = naiveMs(local);
    if (naive - MAX_OFFSET_MS > expiry) return;
    const instant = localToInstant(schedule.timeZone, local);
    if (instant > expiry) {
      // Wall times map to instants in order, so nothing later can come before the expiry.
      return;
    }
    if (instant <= afterMs || instant < startInstant || instant === last) continue;
    last = instant;
    yield instant;
  }
}

function parseOrThrow(text: string, field: string): LocalDateTime {
  const local = parseLocalDateTime(text);
  if (!local) throw new ScheduleError(`schedule.${field} "${text}" is not a local date-time such as 2025-03-30T02:30.`);
  return local;
}

/**
 * The schedule's wall times in ascending order, beginning at the first period that can hold
 * a wall time at or after `fromNaive` (periods before it are skipped arithmetically).
 */
function* wallTimes(recurrence: Recurrence, start: LocalDateTime, fromNaive: number): Generator<LocalDateTime> {
  const startNaive = naiveMs(start);
  switch (recurrence.frequency) {
    case 'Once':
      yield start;
      return;
    case 'Hour':
      yield* fixedSteps(startNaive, positive(recurrence.interval) * HOUR_MS, fromNaive);
      return;
    case 'Day':
      yield* fixedSteps(startNaive, positive(recurrence.interval) * DAY_MS, fromNaive);
      return;
    case 'Week':
      yield* weekly(start, positive(recurrence.interval), recurrence.weekDays, fromNaive);
      return;
    case 'Month':
      yield* monthly(start, positive(recurrence.interval), recurrence, fromNaive);
      return;
  }
}

function positive(interval: number): number {
  if (!Number.isInteger(interval) || interval < 1) throw new ScheduleError(`recurrence interval ${interval} must be a whole number of at least 1.`);
  return interval;
}

/** Steps of a fixed wall-clock length (days are 24 wall hours here: naive time has no DST). */
function* fixedSteps(startNaive: number, stepMs: number, fromNaive: number): Generator<LocalDateTime> {
  let k = Math.max(0, Math.floor((fromNaive - startNaive) / stepMs));
  for (;;) {
    yield fromNaiveMs(startNaive + k * stepMs);
    k++;
  }
}

function* weekly(start: LocalDateTime, interval: number, days: readonly string[], fromNaive: number): Generator<LocalDateTime> {
  const wanted = days.length > 0 ? [...new Set(days.map((d) => weekDays.indexOf(d as (typeof weekDays)[number])))].filter((i) => i >= 0).sort((a, b) => a - b) : [isoWeekdayIndex(start.year, start.month, start.day)];
  const timeOfDay = naiveMs(start) - Date.UTC(start.year, start.month - 1, start.day);
  const mondayNaive = Date.UTC(start.year, start.month - 1, start.day) - isoWeekdayIndex(start.year, start.month, start.day) * DAY_MS;
  const period = interval * WEEK_MS;
  let k = Math.max(0, Math.floor((fromNaive - mondayNaive) / period) - 1);
  for (;;) {
    const weekStart = mondayNaive + k * period;
    for (const day of wanted) yield fromNaiveMs(weekStart + day * DAY_MS + timeOfDay);
    k++;
  }
}

type MonthRecurrence = Extract<Recurrence, { frequency: 'Month' }>;

function* monthly(start: LocalDateTime, interval: number, recurrence: MonthRecurrence, fromNaive: number): Generator<LocalDateTime> {
  const startIndex = start.year * 12 + (start.month - 1);
  const from = fromNaiveMs(Math.max(fromNaive, naiveMs(start)));
  const fromIndex = from.year * 12 + (from.month - 1);
  let k = Math.max(0, Math.floor((fromIndex - startIndex) / interval) - 1);
  // Some shapes never fire again (the 30th, every 12 months from February): stop rather than spin.
  let emptyPeriods = 0;
  while (emptyPeriods < MAX_EMPTY_MONTH_PERIODS) {
    const index = startIndex + k * interval;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const days = daysOfMonth(year, month, recurrence);
    emptyPeriods = days.length === 0 ? emptyPeriods + 1 : 0;
    for (const day of days) yield { year, month, day, hour: start.hour, minute: start.minute };
    k++;
  }
}

/** The days a month recurrence fires on in one month, ascending, without duplicates. */
export function daysOfMonth(year: number, month: number, recurrence: MonthRecurrence): number[] {
  const length = daysInMonth(year, month);
  if ('monthlyOccurrence' in recurrence) {
    const weekday = weekDays.indexOf(recurrence.monthlyOccurrence.day);
    const first = 1 + ((weekday - isoWeekdayIndex(year, month, 1) + 7) % 7);
    const n = recurrence.monthlyOccurrence.occurrence;
    if (n === -1) return [first + Math.floor((length - first) / 7) * 7];
    const day = first + (n - 1) * 7;
    return day <= length ? [day] : [];
  }
  const days = recurrence.monthDays.map((d) => (d === -1 ? length : d)).filter((d) => d >= 1 && d <= length);
  return [...new Set(days)].sort((a, b) => a - b);
}
