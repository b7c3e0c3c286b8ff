import { describe, expect, it } from 'vitest';
import type { Deployment, Run } from '../../../../contracts/updates.js';
import { validateDeployment } from '../../../../app/updates/deployments/validate.js';
import { emptyForm, fromDeployment, splitList, toInput, withOs, type FormState } from './form-model.js';
import { viewOf, runPath } from './paths.js';
import { controlId, fieldKeyOf, problemsByField } from './problems.js';
import { runOutcomesChart } from './run-chart.js';
import { scheduleWords, wallClock } from './schedule-words.js';

const now = new Date('2030-01-01T10:00:00Z');
const filled = (overrides: Partial<FormState> = {}): FormState => ({
  ...emptyForm(now, 'Europe/Berlin'),
  name: 'Linux security nights',
  pickedMachines: ['web1.contoso.com'],
  startTime: '2030-01-08T02:00',
  ...overrides,
});
const validate = (form: FormState) => validateDeployment(toInput(form), { now, existingNames: [] });

describe('schedule in words', () => {
  const at = (recurrence: Deployment['schedule']['recurrence'], expiryTime?: string) =>
    scheduleWords({ startTime: '2030-01-07T02:00', timeZone: 'Europe/Berlin', recurrence, ...(expiryTime ? { expiryTime } : {}) });
  it('says each recurrence the way an operator would', () => {
    expect(at({ frequency: 'Week', interval: 2, weekDays: ['Tuesday'] })).toBe('every 2 weeks on Tuesday at 02:00 Europe/Berlin');
    expect(at({ frequency: 'Week', interval: 1, weekDays: ['Friday', 'Monday', 'Wednesday'] })).toBe('every week on Monday, Wednesday and Friday at 02:00 Europe/Berlin');
    expect(at({ frequency: 'Once' })).toBe('once on 2030-01-07 at 02:00 Europe/Berlin');
    expect(at({ frequency: 'Day', interval: 1 })).toBe('every day at 02:00 Europe/Berlin');
    expect(at({ frequency: 'Hour', interval: 6 })).toBe('every 6 hours from 2030-01-07 02:00 Europe/Berlin');
    expect(at({ frequency: 'Month', interval: 1, monthlyOccurrence: { occurrence: 2, day: 'Tuesday' } })).toBe('every month on the second Tuesday at 02:00 Europe/Berlin');
    expect(at({ frequency: 'Month', interval: 3, monthDays: [-1, 15, 1] }, '2031-01-01T00:00')).toBe('every 3 months on day 1, day 15 and the last day at 02:00 Europe/Berlin, until 2031-01-01 00:00');
  });
  it('shows an instant on the zone\'s wall clock', () => {
    expect(wallClock('2030-07-01T00:30:00Z', 'Europe/Berlin')).toBe('Mon 2030-07-01 02:30');
    expect(wallClock('2030-01-01T00:30:00Z', 'America/New_York')).toBe('Mon 2029-12-31 19:30');
  });
});

describe('the schedule form against the server\'s validation', () => {
  it('a filled-in form is a valid deployment for the real validator', () => {
    const outcome = validate(filled({ excludedText: 'kernel*\n openssl.x86_64, ', otherMachinesText: 'db1.contoso.com\nWEB1.contoso.com' }));
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.excludedUpdates).toEqual(['kernel*', 'openssl.x86_64']);
    expect(outcome.value.targets.machines).toEqual(['web1.contoso.com', 'db1.contoso.com']);
    expect(outcome.value.schedule).toEqual({ startTime: '2030-01-08T02:00', timeZone: 'Europe/Berlin', recurrence: { frequency: 'Week', interval: 1, weekDays: ['Tuesday'] } });
  });

  it('sends what it cannot read so the server names the problem, and places each problem at its field', () => {
    const outcome = validate(filled({ windowMinutes: '20', os: 'Windows', classifications: ['Critical Updates'], excludedText: 'KB4012345', frequency: 'Month', monthMode: 'days', monthDaysText: '1, 40', pickedMachines: [] }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const byField = problemsByField(outcome.problems);
    expect(byField.windowMinutes?.[0]).toMatch(/whole minutes from 30 to 360; 20 is not/);
    expect(byField.excludedUpdates?.[0]).toMatch(/write 4012345, not KB4012345/);
    expect(byField['schedule.recurrence.monthDays']?.[0]).toMatch(/1 to 31/);
    expect(byField.targets?.[0]).toMatch(/no targets/);
  });

  it('maps JSON paths to the deepest form field, unknown ones to the summary', () => {
    expect(fieldKeyOf('targets.machines[2]')).toBe('targets.machines');
    expect(fieldKeyOf('targets.groups[0].name')).toBe('targets.groups');
    expect(fieldKeyOf('schedule.recurrence.frequency')).toBe('schedule.recurrence');
    expect(fieldKeyOf('classifications[1]')).toBe('classifications');
    expect(fieldKeyOf('')).toBe('');
    expect(fieldKeyOf('colour')).toBe('');
    expect(controlId('schedule.startTime')).toBe('deployment-schedule-startTime');
  });

  it('switching the OS keeps only the classifications the new OS has', () => {
    const windows = withOs(filled({ classifications: ['Critical Updates', 'Other Updates'] }), 'Windows');
    expect(windows.classifications).toEqual(['Critical Updates']);
  });

  it('an edited deployment goes back to the server as it came', () => {
    const input = {
      name: 'Patch Tuesday', os: 'Windows' as const, classifications: ['Security Updates' as const], excludedUpdates: ['4012345'], includedUpdates: [],
      targets: { machines: ['a.contoso.com'], groups: [{ name: 'web', query: 'Heartbeat | distinct Computer' }], dynamicGroups: [{ name: 'saved', savedSearch: 'Web servers' }] },
      schedule: { startTime: '2030-01-14T02:00', timeZone: 'UTC', recurrence: { frequency: 'Month' as const, interval: 1, monthlyOccurrence: { occurrence: 2 as const, day: 'Tuesday' as const } } },
      windowMinutes: 180, reboot: 'Always' as const, rollout: { ringPercents: [10, 90], failureThresholdPercent: 5 }, webhooks: { pre: 'https://hooks.example.com/pre' }, enabled: false,
    };
    const deployment: Deployment = { ...input, id: 'd1', createdAt: '', updatedAt: '', frozenGroups: {} };
    expect(toInput(fromDeployment(deployment, now))).toEqual(input);
  });

  it('splits lists on lines and commas', () => {
    expect(splitList(' a,b\n\n c ,')).toEqual(['a', 'b', 'c']);
  });
});

describe('pages and chart', () => {
  it('reads the page from the path', () => {
    expect(viewOf('/deployments')).toEqual({ kind: 'list' });
    expect(viewOf('/deployments/new/')).toEqual({ kind: 'new' });
    expect(viewOf('/deployments/abc/edit')).toEqual({ kind: 'edit', id: 'abc' });
    expect(viewOf(runPath('abc', 'r 1'))).toEqual({ kind: 'run', id: 'abc', runId: 'r 1' });
    expect(viewOf('/deployments/abc/x/y')).toEqual({ kind: 'unknown' });
  });

  it('stacks machines by outcome per run, oldest first, only the outcomes that occurred', () => {
    const run = (scheduledAt: string, statuses: Run['machines'][number]['status'][]): Run => ({
      id: scheduledAt, deploymentId: 'd', name: 'n', os: 'Linux', scheduledAt, windowEndsAt: scheduledAt, status: 'Failed',
      machines: statuses.map((status, i) => ({ computer: `m${i}`, ring: 0, status, counts: {} })),
    });
    const option = runOutcomesChart([run('2030-01-02T02:00:00.000Z', ['Succeeded', 'Succeeded']), run('2030-01-01T02:00:00.000Z', ['Succeeded', 'FailedToStart'])], 'UTC');
    const series = option.series as { name: string; data: number[]; stack: string }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([['Succeeded', [1, 2]], ['FailedToStart', [1, 0]]]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['Tue 2030-01-01 02:00', 'Wed 2030-01-02 02:00']);
    const formatter = (option.tooltip as { formatter: (params: unknown) => string }).formatter;
    const point = (seriesName: string, value: number) => ({ dataIndex: 0, seriesName, value, marker: '' });
    expect(formatter([point('Succeeded', 1), point('FailedToStart', 1), point('Canceled', 0)])).toBe('Tue 2030-01-01 02:00 · run Failed<br>Succeeded: 1<br>FailedToStart: 1');
  });
});
