import { describe, expect, it } from 'vitest';
import { sampleDeploymentInput } from './sample-input.js';
import { deploymentFromFlags, FlagError, parseEvery, parseMonthly, weekdayName } from './deployment-flags.js';
import { validateDeployment } from './validate.js';

describe('deployment flags', () => {
  it.each([
    ['once', { frequency: 'Once', interval: 1 }],
    ['hour', { frequency: 'Hour', interval: 1 }],
    ['6 hours', { frequency: 'Hour', interval: 6 }],
    ['3 days', { frequency: 'Day', interval: 3 }],
    ['2 weeks', { frequency: 'Week', interval: 2 }],
    ['Month', { frequency: 'Month', interval: 1 }],
  ])('--every %s', (text, expected) => {
    expect(parseEvery(text)).toEqual(expected);
  });

  it('bad --every, --monthly and weekdays name the fix', () => {
    expect(() => parseEvery('fortnightly')).toThrow(/write once, or N hours \/ days \/ weeks \/ months, e.g. --every "2 weeks"/);
    expect(() => parseMonthly('fifth Monday')).toThrow(FlagError);
    expect(() => weekdayName('t')).toThrow(/not a weekday/);
    expect(() => deploymentFromFlags({ window: 'two hours' })).toThrow(/--window "two hours" is not a whole number/);
  });

  it('weekday and monthly forms', () => {
    expect(['tue', 'THU', 'sa', 'Sunday'].map(weekdayName)).toEqual(['Tuesday', 'Thursday', 'Saturday', 'Sunday']);
    expect(parseMonthly('second Tuesday')).toEqual({ occurrence: 2, day: 'Tuesday' });
    expect(parseMonthly('last fri')).toEqual({ occurrence: -1, day: 'Friday' });
  });

  it('a full create from flags is a valid definition', () => {
    const body = deploymentFromFlags({
      name: 'From flags',
      os: 'linux',
      classification: ['security', 'Critical Updates'],
      exclude: ['kernel*,openssl'],
      machine: ['web-01', 'web-02'],
      groupQuery: ['Heartbeat | distinct Computer'],
      groupName: ['all'],
      start: '2031-01-07T02:00',
      timeZone: 'Europe/Berlin',
      every: '2 weeks',
      weekdays: 'tue,thu',
      window: '120',
      reboot: true,
      ringPercents: '10,90',
      failureThreshold: '20',
    });
    expect(body).toMatchObject({
      os: 'Linux',
      classifications: ['Security Updates', 'Critical Updates'],
      excludedUpdates: ['kernel*', 'openssl'],
      targets: { machines: ['web-01', 'web-02'], groups: [{ name: 'all', query: 'Heartbeat | distinct Computer' }], dynamicGroups: [] },
      schedule: { startTime: '2031-01-07T02:00', timeZone: 'Europe/Berlin', recurrence: { frequency: 'Week', interval: 2, weekDays: ['Tuesday', 'Thursday'] } },
      windowMinutes: 120,
      reboot: 'Always',
      rollout: { ringPercents: [10, 90], failureThresholdPercent: 20 },
    });
    expect(validateDeployment(body, { now: new Date('2030-01-01T00:00Z'), existingNames: [] }).ok).toBe(true);
  });

  it('weekly without --weekdays takes the start day; monthly without days the start date', () => {
    expect(deploymentFromFlags({ start: '2031-01-07T02:00', every: 'week' }).schedule).toMatchObject({ recurrence: { frequency: 'Week', interval: 1, weekDays: ['Tuesday'] } });
    expect(deploymentFromFlags({ start: '2031-01-31T02:00', every: 'month' }).schedule).toMatchObject({ recurrence: { frequency: 'Month', interval: 1, monthDays: [31] } });
    expect(deploymentFromFlags({ start: '2031-01-31T02:00', monthly: 'second Tuesday' }).schedule).toMatchObject({ recurrence: { frequency: 'Month', interval: 1, monthlyOccurrence: { occurrence: 2, day: 'Tuesday' } } });
  });

  it('an update changes only what the flags name, keeping the rest of the schedule', () => {
    const base = JSON.parse(JSON.stringify(sampleDeploymentInput())) as Record<string, unknown>;
    expect(deploymentFromFlags({ window: '180' }, base)).toEqual({ windowMinutes: 180 });
    expect(deploymentFromFlags({ weekdays: 'fri' }, base)).toEqual({ schedule: { startTime: '2031-01-07T02:00', timeZone: 'Europe/Berlin', recurrence: { frequency: 'Week', interval: 1, weekDays: ['Friday'] } } });
    expect(deploymentFromFlags({ start: '2031-02-01T03:00' }, base).schedule).toMatchObject({ startTime: '2031-02-01T03:00', recurrence: { frequency: 'Week', weekDays: ['Tuesday'] } });
    expect(deploymentFromFlags({ machine: ['db-01'], disabled: true }, base)).toEqual({ targets: { machines: ['db-01'], groups: [], dynamicGroups: [] }, enabled: false });
  });
});
