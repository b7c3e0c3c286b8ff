import { describe, expect, it } from 'vitest';
import { sampleDeploymentInput } from './sample-input.js';
import { validateDeployment, type ValidationContext } from './validate.js';

type Body = Record<string, unknown>;
const now = new Date('2030-06-01T10:00:00Z');
const context: ValidationContext = { now, existingNames: ['Patch Tuesday'] };
const base = (): Body => JSON.parse(JSON.stringify(sampleDeploymentInput())) as Body;
const windows = (extra: Body = {}): Body => ({ ...base(), os: 'Windows', classifications: ['Security Updates'], excludedUpdates: ['4012345'], ...extra });
const withSchedule = (schedule: Body): Body => ({ ...base(), schedule: { ...(base().schedule as Body), ...schedule } });
const recurring = (recurrence: unknown): Body => withSchedule({ recurrence });
const targets = (t: Body): Body => ({ ...base(), targets: t });

/** [rule, body, field, what the message must say (the fix)] */
const rows: [string, unknown, string, RegExp][] = [
  ['body must be an object', [1, 2], '', /JSON object/],
  ['unknown field (typo)', { ...base(), classification: ['Security Updates'] }, 'classification', /Unknown field "classification": remove it/],
  ['name required', { ...base(), name: '' }, 'name', /Give the deployment a name/],
  ['name not too long', { ...base(), name: 'x'.repeat(129) }, 'name', /at most 128/],
  ['name unique (ignoring case)', { ...base(), name: 'patch tuesday' }, 'name', /already exists: choose another name/],
  ['os Windows or Linux', { ...base(), os: 'MacOS' }, 'os', /"Windows" or "Linux"/],
  ['os spelled exactly', { ...base(), os: 'linux' }, 'os', /write "Linux"/],
  ['classifications required', { ...base(), classifications: [] }, 'classifications', /one or more classifications: the Linux classifications are "Critical Updates", "Security Updates", "Other Updates"/],
  ['classifications valid for Linux', { ...base(), classifications: ['Definition Updates'] }, 'classifications[0]', /not a Linux classification: the Linux classifications are/],
  ['classifications valid for Windows', windows({ classifications: ['Other Updates'] }), 'classifications[0]', /not a Windows classification: .*"Update Rollups".*"Definition Updates"/],
  ['Windows exclusion with KB prefix', windows({ excludedUpdates: ['KB4012345'] }), 'excludedUpdates[0]', /write 4012345, not KB4012345/],
  ['Windows exclusion digits only', windows({ excludedUpdates: ['kernel*'] }), 'excludedUpdates[0]', /KB number, digits only/],
  ['Windows inclusion digits only', windows({ includedUpdates: ['kb5001'] }), 'includedUpdates[0]', /write 5001, not kb5001/],
  ['Linux exclusion is a package name', { ...base(), excludedUpdates: ['open ssl'] }, 'excludedUpdates[0]', /not a package name: .*\* as wildcard/],
  ['Linux exclusion other glob characters', { ...base(), excludedUpdates: ['lib?'] }, 'excludedUpdates[0]', /no spaces or other pattern characters/],
  ['exclusions are a list', { ...base(), excludedUpdates: 'kernel*' }, 'excludedUpdates', /list of package names/],
  ['at least one target', targets({ machines: [], groups: [], dynamicGroups: [] }), 'targets', /no targets: give targets.machines/],
  ['targets required', { ...base(), targets: undefined }, 'targets', /at least one target/],
  ['machine names are strings', targets({ machines: [''] }), 'targets.machines[0]', /non-empty Computer name/],
  ['group needs query or saved search', targets({ groups: [{ name: 'web' }] }), 'targets.groups[0]', /exactly one of query .* or savedSearch/],
  ['group needs a name', targets({ dynamicGroups: [{ query: 'Heartbeat | distinct Computer' }] }), 'targets.dynamicGroups[0].name', /Give the group a name/],
  ['group names unique', targets({ groups: [{ name: 'web', query: 'Heartbeat | distinct Computer' }], dynamicGroups: [{ name: 'Web', query: 'Heartbeat | distinct Computer' }] }), 'targets', /own name/],
  ['window at least 30', { ...base(), windowMinutes: 29 }, 'windowMinutes', /from 30 to 360; 29 is not/],
  ['window at most 360', { ...base(), windowMinutes: 361 }, 'windowMinutes', /from 30 to 360/],
  ['window whole minutes', { ...base(), windowMinutes: 90.5 }, 'windowMinutes', /whole minutes/],
  ['start time in the future (its zone)', withSchedule({ startTime: '2030-06-01T11:30', timeZone: 'Europe/Berlin' }), 'schedule.startTime', /has passed: it is 2030-06-01T12:00 there now; choose a later start time/],
  ['start time format', withSchedule({ startTime: '2031-01-07 02:00' }), 'schedule.startTime', /YYYY-MM-DDTHH:mm without offset/],
  ['start time with offset', withSchedule({ startTime: '2031-01-07T02:00+01:00' }), 'schedule.startTime', /without offset/],
  ['start time a real date', withSchedule({ startTime: '2031-02-30T02:00' }), 'schedule.startTime', /is not a local date and time/],
  ['valid IANA zone', withSchedule({ timeZone: 'Mars/Olympus' }), 'schedule.timeZone', /"Mars\/Olympus" is not an IANA time zone such as "Europe\/Berlin"/],
  ['expiry after start', withSchedule({ expiryTime: '2031-01-01T00:00' }), 'schedule.expiryTime', /not after the start time/],
  ['schedule must fire', { ...recurring({ frequency: 'Week', interval: 1, weekDays: ['Monday'] }), schedule: { startTime: '2031-01-07T02:00', timeZone: 'UTC', expiryTime: '2031-01-12T00:00', recurrence: { frequency: 'Week', interval: 1, weekDays: ['Monday'] } } }, 'schedule', /never fires/],
  ['schedule required', { ...base(), schedule: undefined }, 'schedule', /Give a schedule/],
  ['frequency known', recurring({ frequency: 'Yearly', interval: 1 }), 'schedule.recurrence.frequency', /one of Once, Hour, Day, Week, Month/],
  ['interval at least 1', recurring({ frequency: 'Day', interval: 0 }), 'schedule.recurrence.interval', /at least 1/],
  ['interval whole', recurring({ frequency: 'Hour', interval: 1.5 }), 'schedule.recurrence.interval', /whole number/],
  ['hourly runs must not overlap the window', recurring({ frequency: 'Hour', interval: 1 }), 'schedule.recurrence.interval', /at most 60 minutes, or the interval at least 2 hours/],
  ['weekly needs weekdays', recurring({ frequency: 'Week', interval: 1 }), 'schedule.recurrence.weekDays', /needs weekDays, one or more of Monday/],
  ['weekdays spelled out', recurring({ frequency: 'Week', interval: 1, weekDays: ['Tue'] }), 'schedule.recurrence.weekDays', /"Tue" is not a weekday/],
  ['month days 1–31 or -1', recurring({ frequency: 'Month', interval: 1, monthDays: [0] }), 'schedule.recurrence.monthDays', /1 to 31, or -1 for the last day/],
  ['month days not 32', recurring({ frequency: 'Month', interval: 1, monthDays: [32] }), 'schedule.recurrence.monthDays', /1 to 31/],
  ['month needs days or occurrence', recurring({ frequency: 'Month', interval: 1 }), 'schedule.recurrence', /exactly one of monthDays .* or monthlyOccurrence/],
  ['month occurrence shape', recurring({ frequency: 'Month', interval: 1, monthlyOccurrence: { occurrence: 5, day: 'Tuesday' } }), 'schedule.recurrence.monthlyOccurrence', /1, 2, 3, 4 or -1/],
  ['reboot option', { ...base(), reboot: 'Sometimes' }, 'reboot', /IfRequired, Always, Never, RebootOnly/],
  ['rings add up to 100', { ...base(), rollout: { ringPercents: [10, 40], failureThresholdPercent: 10 } }, 'rollout.ringPercents', /add up to 50: make them add up to 100/],
  ['rings positive', { ...base(), rollout: { ringPercents: [0, 100], failureThresholdPercent: 10 } }, 'rollout.ringPercents', /positive percentages/],
  ['threshold 0–100', { ...base(), rollout: { ringPercents: [100], failureThresholdPercent: 120 } }, 'rollout.failureThresholdPercent', /from 0 to 100/],
  ['webhook http(s)', { ...base(), webhooks: { pre: 'ftp://example.com/x' } }, 'webhooks.pre', /http:\/\/ or https:\/\/ URL/],
  ['webhook is a URL', { ...base(), webhooks: { post: 'not a url' } }, 'webhooks.post', /"not a url" is not an http/],
  ['enabled boolean', { ...base(), enabled: 'yes' }, 'enabled', /true or false/],
];

describe('validateDeployment: every rule names its fix', () => {
  it.each(rows)('%s', (_rule, body, field, message) => {
    const outcome = validateDeployment(body, context);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual({ field, message: expect.stringMatching(message) });
    // One rule broken, one problem: checks do not pile up consequences of one mistake.
    expect(outcome.problems).toHaveLength(1);
  });

  it('unknown explicit machines are refused when the known machines are given', () => {
    const outcome = validateDeployment(base(), { ...context, knownMachines: ['WEB-01.contoso.com'] });
    expect(outcome).toEqual({ ok: false, problems: [{ field: 'targets.machines[1]', message: expect.stringMatching(/"web-02.contoso.com" has never reported .* install and register the agent/) }] });
  });

  it('reports every problem at once and marks a duplicate name', () => {
    const outcome = validateDeployment({ ...base(), name: 'PATCH TUESDAY', os: 'BeOS', windowMinutes: 10 }, context);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.field)).toEqual(['name', 'os', 'windowMinutes']);
    expect(outcome.duplicateName).toBe('PATCH TUESDAY');
  });
});

describe('validateDeployment: accepted definitions', () => {
  it('fills in defaults and trims', () => {
    const minimal = {
      name: '  Nightly  ',
      os: 'Windows',
      classifications: ['Critical Updates', 'Security Updates', 'Critical Updates'],
      targets: { groups: [{ name: 'sql', query: 'Heartbeat | distinct Computer' }] },
      schedule: { startTime: '2030-07-01T03:00', timeZone: 'UTC', recurrence: { frequency: 'Once' } },
      windowMinutes: 30,
    };
    expect(validateDeployment(minimal, context)).toEqual({
      ok: true,
      value: {
        name: 'Nightly',
        os: 'Windows',
        classifications: ['Critical Updates', 'Security Updates'],
        excludedUpdates: [],
        includedUpdates: [],
        targets: { machines: [], groups: [{ name: 'sql', query: 'Heartbeat | distinct Computer' }], dynamicGroups: [] },
        schedule: { startTime: '2030-07-01T03:00', timeZone: 'UTC', recurrence: { frequency: 'Once' } },
        windowMinutes: 30,
        reboot: 'IfRequired',
        enabled: true,
      },
    });
  });

  it.each<[string, unknown]>([
    ['hourly', { frequency: 'Hour', interval: 2 }],
    ['daily', { frequency: 'Day', interval: 1 }],
    ['weekly', { frequency: 'Week', interval: 2, weekDays: ['Tuesday', 'Thursday'] }],
    ['month days', { frequency: 'Month', interval: 1, monthDays: [1, 31, -1] }],
    ['second Tuesday', { frequency: 'Month', interval: 1, monthlyOccurrence: { occurrence: 2, day: 'Tuesday' } }],
    ['last Sunday', { frequency: 'Month', interval: 3, monthlyOccurrence: { occurrence: -1, day: 'Sunday' } }],
  ])('%s recurrence', (_name, recurrence) => {
    expect(validateDeployment(recurring(recurrence), context)).toMatchObject({ ok: true, value: { schedule: { recurrence } } });
  });

  it('the 360-minute window, rings, webhooks, wildcards and a fetched deployment sent back', () => {
    const fetched = {
      ...base(),
      id: 'd1',
      createdAt: 'x',
      updatedAt: 'x',
      frozenGroups: {},
      windowMinutes: 360,
      excludedUpdates: ['kernel*', 'linux-image-*', 'redhat-release-server.x86_64', 'libstdc++6', 'python3.11:amd64', 'pkg~beta'],
      rollout: { ringPercents: [10, 30, 60], failureThresholdPercent: 0 },
      webhooks: { pre: 'http://127.0.0.1:9000/pre', post: 'https://hooks.example.com/post' },
      reboot: 'RebootOnly',
      enabled: false,
    };
    const outcome = validateDeployment(fetched, context);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.value).not.toHaveProperty('id');
  });

  it('an unchanged past start time is accepted when replacing, a changed one is not', () => {
    const past = withSchedule({ startTime: '2030-05-01T02:00' });
    expect(validateDeployment(past, { ...context, unchangedStartTime: '2030-05-01T02:00' }).ok).toBe(true);
    expect(validateDeployment(past, { ...context, unchangedStartTime: '2030-04-01T02:00' }).ok).toBe(false);
  });
});
