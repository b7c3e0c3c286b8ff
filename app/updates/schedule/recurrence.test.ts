import { describe, expect, it } from 'vitest';
import type { Recurrence, Schedule } from '../../../contracts/updates.js';
import { nextOccurrences, occurrencesBetween, ScheduleError } from './recurrence.js';
import { formatLocalDateTime, instantToLocal, offsetAt } from './zoned-time.js';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().slice(0, 16) + 'Z');
const schedule = (startTime: string, timeZone: string, recurrence: Recurrence, expiryTime?: string): Schedule => ({
  startTime,
  timeZone,
  recurrence,
  ...(expiryTime ? { expiryTime } : {}),
});
const before = (s: Schedule): Date => new Date(Date.parse(s.startTime + 'Z') - 2 * 86_400_000);
const next = (s: Schedule, count: number): string[] => iso(nextOccurrences(s, before(s), count));
const daily = { frequency: 'Day', interval: 1 } as const;
const hourly = { frequency: 'Hour', interval: 1 } as const;

describe('DST changes keep wall-clock times', () => {
  it.each([
    ['Europe/Berlin spring forward: 02:30 does not exist, fires at 03:00 local', '2025-03-29T02:30', 'Europe/Berlin', ['2025-03-29T01:30Z', '2025-03-30T01:00Z', '2025-03-31T00:30Z']],
    ['Europe/Berlin fall back: 02:30 happens twice, fires at the first', '2025-10-25T02:30', 'Europe/Berlin', ['2025-10-25T00:30Z', '2025-10-26T00:30Z', '2025-10-27T01:30Z']],
    ['Europe/Berlin 02:00 on the change day is in the gap too', '2025-03-29T02:00', 'Europe/Berlin', ['2025-03-29T01:00Z', '2025-03-30T01:00Z', '2025-03-31T00:00Z']],
    ['Europe/Berlin 03:00 after the fall-back overlap is unique', '2025-10-25T03:00', 'Europe/Berlin', ['2025-10-25T01:00Z', '2025-10-26T02:00Z', '2025-10-27T02:00Z']],
    ['America/New_York spring forward: 02:15 fires at 03:00 EDT', '2025-03-08T02:15', 'America/New_York', ['2025-03-08T07:15Z', '2025-03-09T07:00Z', '2025-03-10T06:15Z']],
    ['America/New_York fall back: 01:30 fires at the EDT instance', '2025-11-01T01:30', 'America/New_York', ['2025-11-01T05:30Z', '2025-11-02T05:30Z', '2025-11-03T06:30Z']],
    ['UTC has no changes', '2025-03-29T02:30', 'UTC', ['2025-03-29T02:30Z', '2025-03-30T02:30Z', '2025-03-31T02:30Z']],
  ])('%s', (_name, start, zone, expected) => {
    expect(next(schedule(start, zone, daily), 3)).toEqual(expected);
  });

  it('hourly across the Berlin spring gap: 02:00 and 03:00 local are the same instant and fire once', () => {
    expect(next(schedule('2025-03-30T00:00', 'Europe/Berlin', hourly), 5)).toEqual([
      '2025-03-29T23:00Z',
      '2025-03-30T00:00Z',
      '2025-03-30T01:00Z',
      '2025-03-30T02:00Z',
      '2025-03-30T03:00Z',
    ]);
  });

  it('hourly across the Berlin fall-back overlap: wall-clock hours, so the repeated 02:00 fires once', () => {
    expect(next(schedule('2025-10-26T00:00', 'Europe/Berlin', hourly), 5)).toEqual([
      '2025-10-25T22:00Z',
      '2025-10-25T23:00Z',
      '2025-10-26T00:00Z',
      '2025-10-26T02:00Z',
      '2025-10-26T03:00Z',
    ]);
  });

  it('every 6 hours in New York keeps 00/06/12/18 local across the change', () => {
    const local = nextOccurrences(schedule('2025-03-08T00:00', 'America/New_York', { frequency: 'Hour', interval: 6 }), new Date('2025-03-07T00:00Z'), 10).map((d) =>
      formatLocalDateTime(instantToLocal('America/New_York', d.getTime())).slice(11),
    );
    expect(local).toEqual(['00:00', '06:00', '12:00', '18:00', '00:00', '06:00', '12:00', '18:00', '00:00', '06:00']);
  });

  it('weekly in New York keeps the local time on both sides of the change', () => {
    const s = schedule('2025-10-27T22:00', 'America/New_York', { frequency: 'Week', interval: 1, weekDays: ['Monday'] });
    expect(next(s, 2)).toEqual(['2025-10-28T02:00Z', '2025-11-04T03:00Z']);
  });

  describe.each(['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'])('exhaustively in %s, 2024–2026', (zone) => {
    it.each(Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`))('daily at %s: one run per local day, at that time or right after a gap', (time) => {
      const s = schedule(`2024-01-01T${time}`, zone, daily);
      const runs = occurrencesBetween(s, new Date('2023-12-30T00:00Z'), new Date('2027-01-01T12:00Z')).filter(
        (run) => formatLocalDateTime(instantToLocal(zone, run.getTime())) < '2027-01-01',
      );
      const days = new Set<string>();
      for (const run of runs) {
        const local = formatLocalDateTime(instantToLocal(zone, run.getTime()));
        days.add(local.slice(0, 10));
        if (local.slice(11) !== time) {
          // Only a wall time inside a gap moves, and only to the instant the clock jumped.
          expect(offsetAt(zone, run.getTime() - 60_000)).not.toBe(offsetAt(zone, run.getTime()));
        } else {
          // In an overlap the first instance: an hour earlier is not the same wall time.
          expect(formatLocalDateTime(instantToLocal(zone, run.getTime() - 3_600_000)).slice(11)).not.toBe(time);
        }
      }
      expect(days.size).toBe(runs.length);
      expect(runs.length).toBe(366 + 365 + 365);
      expect(formatLocalDateTime(instantToLocal(zone, runs[0]!.getTime())).slice(0, 10)).toBe('2024-01-01');
    });
  });
});

describe('months', () => {
  it('the 31st is skipped in shorter months', () => {
    const s = schedule('2025-01-31T04:00', 'UTC', { frequency: 'Month', interval: 1, monthDays: [31] });
    expect(next(s, 7).map((d) => d.slice(0, 10))).toEqual(['2025-01-31', '2025-03-31', '2025-05-31', '2025-07-31', '2025-08-31', '2025-10-31', '2025-12-31']);
  });

  it('-1 is the last day of every month, leap years included', () => {
    const s = schedule('2024-01-01T04:00', 'UTC', { frequency: 'Month', interval: 1, monthDays: [-1] });
    expect(next(s, 4).map((d) => d.slice(0, 10))).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
    const y2025 = schedule('2025-02-01T04:00', 'UTC', { frequency: 'Month', interval: 1, monthDays: [-1] });
    expect(next(y2025, 1)[0]!.slice(0, 10)).toBe('2025-02-28');
  });

  it('-1 and 31 on the same day fire once; several days in order', () => {
    const s = schedule('2025-01-01T04:00', 'UTC', { frequency: 'Month', interval: 1, monthDays: [31, -1, 15, 1] });
    expect(next(s, 7).map((d) => d.slice(0, 10))).toEqual(['2025-01-01', '2025-01-15', '2025-01-31', '2025-02-01', '2025-02-15', '2025-02-28', '2025-03-01']);
  });

  it('days before the start in its own month are not run', () => {
    const s = schedule('2025-01-20T04:00', 'UTC', { frequency: 'Month', interval: 1, monthDays: [1, 25] });
    expect(next(s, 3).map((d) => d.slice(0, 10))).toEqual(['2025-01-25', '2025-02-01', '2025-02-25']);
  });

  it('every 3 months counts from the start month', () => {
    const s = schedule('2025-11-30T04:00', 'UTC', { frequency: 'Month', interval: 3, monthDays: [30] });
    // February 2026 has no 30th: skipped; then May, August.
    expect(next(s, 3).map((d) => d.slice(0, 10))).toEqual(['2025-11-30', '2026-05-30', '2026-08-30']);
  });

  it.each([
    ['second Tuesday (patch Tuesday)', { occurrence: 2, day: 'Tuesday' }, ['2025-01-14', '2025-02-11', '2025-03-11', '2025-04-08']],
    ['first Monday', { occurrence: 1, day: 'Monday' }, ['2025-01-06', '2025-02-03', '2025-03-03', '2025-04-07']],
    ['fourth Thursday', { occurrence: 4, day: 'Thursday' }, ['2025-01-23', '2025-02-27', '2025-03-27', '2025-04-24']],
    ['last Friday', { occurrence: -1, day: 'Friday' }, ['2025-01-31', '2025-02-28', '2025-03-28', '2025-04-25']],
    ['last Sunday', { occurrence: -1, day: 'Sunday' }, ['2025-01-26', '2025-02-23', '2025-03-30', '2025-04-27']],
  ] as const)('%s', (_name, monthlyOccurrence, expected) => {
    const s = schedule('2025-01-01T22:00', 'Europe/Berlin', { frequency: 'Month', interval: 1, monthlyOccurrence });
    const local = nextOccurrences(s, new Date('2024-12-01T00:00Z'), 4).map((d) => formatLocalDateTime(instantToLocal('Europe/Berlin', d.getTime())));
    expect(local).toEqual(expected.map((day) => `${day}T22:00`));
  });

  it('a month shape that can never fire again ends instead of spinning', () => {
    const s = schedule('2025-02-01T04:00', 'UTC', { frequency: 'Month', interval: 12, monthDays: [30] });
    expect(next(s, 3)).toEqual([]);
  });

  it('the 29th of February every 12 months fires in leap years only', () => {
    const s = schedule('2024-02-01T04:00', 'UTC', { frequency: 'Month', interval: 12, monthDays: [29] });
    expect(next(s, 3).map((d) => d.slice(0, 10))).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']);
  });
});

describe('weeks, hours, once, expiry', () => {
  it('weekdays every 2 weeks: the start week is week 0, weeks begin on Monday, not before the start', () => {
    const s = schedule('2025-01-01T09:00', 'UTC', { frequency: 'Week', interval: 2, weekDays: ['Friday', 'Monday', 'Wednesday'] });
    expect(next(s, 6).map((d) => d.slice(0, 10))).toEqual(['2025-01-01', '2025-01-03', '2025-01-13', '2025-01-15', '2025-01-17', '2025-01-27']);
  });

  it('Sunday belongs to the week before it', () => {
    const s = schedule('2025-01-05T09:00', 'UTC', { frequency: 'Week', interval: 2, weekDays: ['Sunday', 'Monday'] });
    expect(next(s, 3).map((d) => d.slice(0, 10))).toEqual(['2025-01-05', '2025-01-13', '2025-01-19']);
  });

  it('every 8 hours', () => {
    expect(next(schedule('2025-05-01T01:00', 'UTC', { frequency: 'Hour', interval: 8 }), 4)).toEqual(['2025-05-01T01:00Z', '2025-05-01T09:00Z', '2025-05-01T17:00Z', '2025-05-02T01:00Z']);
  });

  it('every 3 days', () => {
    expect(next(schedule('2025-02-27T01:00', 'UTC', { frequency: 'Day', interval: 3 }), 3).map((d) => d.slice(0, 10))).toEqual(['2025-02-27', '2025-03-02', '2025-03-05']);
  });

  it('once fires at its start only', () => {
    const s = schedule('2025-06-01T12:00', 'Europe/Berlin', { frequency: 'Once' });
    expect(next(s, 5)).toEqual(['2025-06-01T10:00Z']);
    expect(nextOccurrences(s, new Date('2025-06-01T10:00Z'), 5)).toEqual([]);
  });

  it('nothing after the expiry time (local)', () => {
    const s = schedule('2025-06-01T12:00', 'Europe/Berlin', daily, '2025-06-03T12:00');
    expect(next(s, 10)).toEqual(['2025-06-01T10:00Z', '2025-06-02T10:00Z', '2025-06-03T10:00Z']);
    const earlier = schedule('2025-06-01T12:00', 'Europe/Berlin', daily, '2025-06-03T11:59');
    expect(next(earlier, 10)).toHaveLength(2);
  });

  it('occurrencesBetween is exclusive at the start and inclusive at the end', () => {
    const s = schedule('2025-06-01T00:00', 'UTC', daily);
    expect(iso(occurrencesBetween(s, new Date('2025-06-02T00:00Z'), new Date('2025-06-04T00:00Z')))).toEqual(['2025-06-03T00:00Z', '2025-06-04T00:00Z']);
    expect(occurrencesBetween(s, new Date('2025-06-04T00:00Z'), new Date('2025-06-02T00:00Z'))).toEqual([]);
  });

  it.each<[string, Recurrence]>([
    ['hourly', { frequency: 'Hour', interval: 5 }],
    ['daily', { frequency: 'Day', interval: 2 }],
    ['weekly', { frequency: 'Week', interval: 3, weekDays: ['Tuesday', 'Saturday'] }],
    ['monthly days', { frequency: 'Month', interval: 2, monthDays: [-1, 1, 31] }],
    ['monthly weekday', { frequency: 'Month', interval: 1, monthlyOccurrence: { occurrence: -1, day: 'Sunday' } }],
  ])('%s: windows far from the start agree with walking from the start', (_name, recurrence) => {
    const s = schedule('2024-03-01T02:30', 'Europe/Berlin', recurrence);
    const walked = nextOccurrences(s, new Date('2024-01-01T00:00Z'), 400);
    const lastMs = walked.at(-1)!.getTime();
    const pieces: Date[] = [];
    const steps = 37;
    const span = (lastMs - Date.parse('2024-01-01T00:00Z')) / steps;
    for (let i = 0; i < steps; i++) {
      const from = new Date(Date.parse('2024-01-01T00:00Z') + i * span);
      const to = i === steps - 1 ? new Date(lastMs) : new Date(Date.parse('2024-01-01T00:00Z') + (i + 1) * span);
      pieces.push(...occurrencesBetween(s, from, to));
    }
    expect(iso(pieces)).toEqual(iso(walked));
    expect(iso(nextOccurrences(s, walked[199]!, 3))).toEqual(iso(walked.slice(200, 203)));
  });

  it('a malformed start time is a clear error', () => {
    expect(() => nextOccurrences(schedule('2025-06-01 12:00', 'UTC', daily), new Date(0), 1)).toThrow(ScheduleError);
    expect(() => nextOccurrences(schedule('2025-06-01T12:00', 'UTC', { frequency: 'Day', interval: 0 }), new Date(0), 1)).toThrow(/at least 1/);
  });
});
