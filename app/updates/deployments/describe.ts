/** A deployment's schedule in words, for lists and confirmations. */
import type { Deployment, Recurrence } from '../../../contracts/updates.js';
import { nextOccurrences } from '../schedule/recurrence.js';

const ORDINAL: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };

export function describeRecurrence(recurrence: Recurrence): string {
  if (recurrence.frequency === 'Once') return 'once';
  const unit = recurrence.frequency.toLowerCase();
  const every = recurrence.interval === 1 ? `every ${unit}` : `every ${recurrence.interval} ${unit}s`;
  if (recurrence.frequency === 'Week') return `${every} on ${recurrence.weekDays.join(', ')}`;
  if (recurrence.frequency === 'Month') {
    if ('monthlyOccurrence' in recurrence) return `${every} on the ${ORDINAL[recurrence.monthlyOccurrence.occurrence]} ${recurrence.monthlyOccurrence.day}`;
    return `${every} on day ${recurrence.monthDays.map((d) => (d === -1 ? 'last' : String(d))).join(', ')}`;
  }
  return every;
}

export function describeSchedule(deployment: Deployment, now = new Date()): string {
  const { schedule } = deployment;
  const time = schedule.startTime.slice(11);
  const from = schedule.recurrence.frequency === 'Once' ? schedule.startTime.replace('T', ' ') : `${describeRecurrence(schedule.recurrence)} at ${time}, from ${schedule.startTime.slice(0, 10)}`;
  const until = schedule.expiryTime ? ` until ${schedule.expiryTime.replace('T', ' ')}` : '';
  const next = nextOccurrences(schedule, now, 1)[0];
  return `${from}${until} ${schedule.timeZone}, ${deployment.windowMinutes} min; next ${next ? next.toISOString().slice(0, 16) + 'Z' : 'none'}`;
}
