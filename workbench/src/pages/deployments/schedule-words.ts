/**
 * A schedule in words for lists and confirmations, e.g. "every 2 weeks on Tuesday at 02:00
 * Europe/Berlin", and instants shown on a zone's wall clock.
 */
import type { Recurrence, Schedule, WeekDay } from '../../../../contracts/updates.js';

const ORDINALS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };
const UNITS: Record<Exclude<Recurrence['frequency'], 'Once'>, string> = { Hour: 'hour', Day: 'day', Week: 'week', Month: 'month' };

/** "a, b and c" */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function every(unit: string, interval: number): string {
  return interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
}

/** Weekdays in calendar order, whatever order they were picked in. */
const DAY_ORDER: readonly WeekDay[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const inWeekOrder = (days: readonly WeekDay[]) => DAY_ORDER.filter((d) => days.includes(d));

function monthDayWords(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => (a === -1 ? 99 : a) - (b === -1 ? 99 : b));
  return joinWords(sorted.map((d) => (d === -1 ? 'the last day' : `day ${d}`)));
}

export function recurrenceWords(recurrence: Recurrence): string {
  if (recurrence.frequency === 'Once') return 'once';
  const base = every(UNITS[recurrence.frequency], recurrence.interval);
  switch (recurrence.frequency) {
    case 'Week':
      return `${base} on ${joinWords(inWeekOrder(recurrence.weekDays))}`;
    case 'Month':
      return 'monthlyOccurrence' in recurrence
        ? `${base} on the ${ORDINALS[recurrence.monthlyOccurrence.occurrence]} ${recurrence.monthlyOccurrence.day}`
        : `${base} on ${monthDayWords(recurrence.monthDays)}`;
    default:
      return base;
  }
}

/** "every 2 weeks on Tuesday at 02:00 Europe/Berlin", "once on 2030-01-07 at 02:00 UTC". */
export function scheduleWords(schedule: Schedule): string {
  const [date, time] = schedule.startTime.split('T') as [string, string];
  const { recurrence } = schedule;
  const until = schedule.expiryTime ? `, until ${schedule.expiryTime.replace('T', ' ')}` : '';
  if (recurrence.frequency === 'Once') return `once on ${date} at ${time} ${schedule.timeZone}`;
  if (recurrence.frequency === 'Hour') return `${recurrenceWords(recurrence)} from ${date} ${time} ${schedule.timeZone}${until}`;
  return `${recurrenceWords(recurrence)} at ${time} ${schedule.timeZone}${until}`;
}

/** An instant on a zone's wall clock: "Tue 2030-01-07 02:00". */
export function wallClock(instant: string | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The browser's own zone, the default for a new schedule. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
