/** The recurrence part of a deployment's schedule: shapes, intervals, days. */
import { weekDays, type Recurrence, type WeekDay } from '../../../contracts/updates.js';
import { isRecord, type Json, type Problems } from './validation-problems.js';

const FIELD = 'schedule.recurrence';
const frequencies = ['Once', 'Hour', 'Day', 'Week', 'Month'];
const occurrences = [1, 2, 3, 4, -1];
const EXAMPLES =
  '{ "frequency": "Once" }, { "frequency": "Day", "interval": 1 }, { "frequency": "Week", "interval": 2, "weekDays": ["Tuesday"] }, { "frequency": "Month", "interval": 1, "monthDays": [1, -1] } or { "frequency": "Month", "interval": 1, "monthlyOccurrence": { "occurrence": 2, "day": "Tuesday" } }';

export function checkRecurrence(value: Json, windowMinutes: number | undefined, problems: Problems): Recurrence | undefined {
  if (!isRecord(value) || typeof value.frequency !== 'string' || !frequencies.includes(value.frequency)) {
    return problems.add(`${FIELD}.frequency`, `The recurrence's frequency is one of ${frequencies.join(', ')}, e.g. ${EXAMPLES}.`);
  }
  if (value.frequency === 'Once') return { frequency: 'Once' };
  const interval = value.interval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) {
    return problems.add(`${FIELD}.interval`, `interval is a whole number of at least 1 (every 1 ${value.frequency.toLowerCase()}, every 2 …)${interval === undefined ? '' : `; ${JSON.stringify(interval)} is not`}.`);
  }
  switch (value.frequency) {
    case 'Hour':
      if (windowMinutes !== undefined && interval * 60 < windowMinutes) {
        return problems.add(`${FIELD}.interval`, `Runs every ${interval} hour(s) would overlap a ${windowMinutes}-minute window: make the window at most ${interval * 60} minutes, or the interval at least ${Math.ceil(windowMinutes / 60)} hours.`);
      }
      return { frequency: 'Hour', interval };
    case 'Day':
      return { frequency: 'Day', interval };
    case 'Week': {
      const days = checkWeekDays(value.weekDays, problems);
      return days ? { frequency: 'Week', interval, weekDays: days } : undefined;
    }
    default:
      return checkMonth(value, interval, problems);
  }
}

function checkWeekDays(value: Json, problems: Problems): WeekDay[] | undefined {
  const names = weekDays.join(', ');
  if (!Array.isArray(value) || value.length === 0) return problems.add(`${FIELD}.weekDays`, `A weekly recurrence needs weekDays, one or more of ${names}.`);
  const bad = value.find((d) => typeof d !== 'string' || !(weekDays as readonly string[]).includes(d));
  if (bad !== undefined) return problems.add(`${FIELD}.weekDays`, `${JSON.stringify(bad)} is not a weekday: use ${names}.`);
  return [...new Set(value as WeekDay[])];
}

function checkMonth(value: Record<string, unknown>, interval: number, problems: Problems): Recurrence | undefined {
  const hasDays = value.monthDays !== undefined;
  const hasOccurrence = value.monthlyOccurrence !== undefined;
  if (hasDays === hasOccurrence) {
    return problems.add(FIELD, 'A monthly recurrence needs exactly one of monthDays (e.g. [1, 15, -1]) or monthlyOccurrence (e.g. { "occurrence": 2, "day": "Tuesday" } for the second Tuesday).');
  }
  if (hasDays) {
    const days = value.monthDays;
    const valid = Array.isArray(days) && days.length > 0 && days.every((d) => Number.isInteger(d) && ((d as number) === -1 || ((d as number) >= 1 && (d as number) <= 31)));
    if (!valid) return problems.add(`${FIELD}.monthDays`, 'monthDays is a list of days of the month, 1 to 31, or -1 for the last day (a day a month lacks is skipped that month), e.g. [1, 15, -1].');
    return { frequency: 'Month', interval, monthDays: [...new Set(days as number[])] };
  }
  const occurrence = value.monthlyOccurrence;
  if (!isRecord(occurrence) || !occurrences.includes(occurrence.occurrence as number) || !(weekDays as readonly unknown[]).includes(occurrence.day)) {
    return problems.add(`${FIELD}.monthlyOccurrence`, `monthlyOccurrence is { "occurrence": 1, 2, 3, 4 or -1 (the last), "day": one of ${weekDays.join(', ')} }, e.g. { "occurrence": 2, "day": "Tuesday" }.`);
  }
  return { frequency: 'Month', interval, monthlyOccurrence: { occurrence: occurrence.occurrence as 1 | 2 | 3 | 4 | -1, day: occurrence.day as WeekDay } };
}
