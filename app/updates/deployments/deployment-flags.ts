/**
 * Command-line flags → a deployment definition (or the part of one an update changes). Only
 * the shape is worked out here (e.g. "2 weeks" → { frequency: 'Week', interval: 2 }); the
 * server validates the result and names any problem.
 */
import { weekDays, type Recurrence, type WeekDay } from '../../../contracts/updates.js';
import { isoWeekdayIndex, parseLocalDateTime } from '../schedule/zoned-time.js';

export interface DeploymentFlags {
  name?: string;
  os?: string;
  classification?: string[];
  exclude?: string[];
  include?: string[];
  machine?: string[];
  groupQuery?: string[];
  groupName?: string[];
  dynamicGroupQuery?: string[];
  dynamicGroupName?: string[];
  savedSearch?: string[];
  start?: string;
  timeZone?: string;
  every?: string;
  weekdays?: string;
  monthDays?: string;
  monthly?: string;
  expiry?: string;
  window?: string;
  reboot?: string | boolean;
  ringPercents?: string;
  failureThreshold?: string;
  preWebhook?: string;
  postWebhook?: string;
  disabled?: boolean;
  enabled?: boolean;
}

export class FlagError extends Error {}

type Body = Record<string, unknown>;

/**
 * The fields the flags set, ready to merge over an existing definition (`base`, for updates)
 * or to send as a new one. `base` supplies what a partial schedule change keeps.
 */
export function deploymentFromFlags(flags: DeploymentFlags, base: Body = {}): Body {
  const body: Body = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.os !== undefined) body.os = capitalise(flags.os);
  if (flags.classification) body.classifications = flags.classification.flatMap(splitList).map(classificationName);
  if (flags.exclude) body.excludedUpdates = flags.exclude.flatMap(splitList);
  if (flags.include) body.includedUpdates = flags.include.flatMap(splitList);
  const targets = targetsFromFlags(flags, (base.targets as Body | undefined) ?? {});
  if (targets) body.targets = targets;
  const schedule = scheduleFromFlags(flags, (base.schedule as Body | undefined) ?? {});
  if (schedule) body.schedule = schedule;
  if (flags.window !== undefined) body.windowMinutes = wholeNumber(flags.window, '--window', 'minutes, e.g. --window 120');
  // A bare --reboot means "Always": the operator asked for a reboot.
  if (flags.reboot !== undefined) body.reboot = flags.reboot === true ? 'Always' : rebootName(String(flags.reboot));
  if (flags.ringPercents !== undefined || flags.failureThreshold !== undefined) {
    const current = (base.rollout as Body | undefined) ?? {};
    body.rollout = {
      ringPercents: flags.ringPercents !== undefined ? splitList(flags.ringPercents).map((p) => Number(p)) : (current.ringPercents ?? [100]),
      failureThresholdPercent: flags.failureThreshold !== undefined ? Number(flags.failureThreshold) : (current.failureThresholdPercent ?? 0),
    };
  }
  if (flags.preWebhook !== undefined || flags.postWebhook !== undefined) {
    body.webhooks = { ...((base.webhooks as Body | undefined) ?? {}), ...(flags.preWebhook !== undefined ? { pre: flags.preWebhook } : {}), ...(flags.postWebhook !== undefined ? { post: flags.postWebhook } : {}) };
  }
  if (flags.disabled) body.enabled = false;
  if (flags.enabled) body.enabled = true;
  return body;
}

function targetsFromFlags(flags: DeploymentFlags, base: Body): Body | undefined {
  const groups = [...namedGroups(flags.groupQuery, flags.groupName, 'group'), ...(flags.savedSearch ?? []).map((s) => ({ name: s, savedSearch: s }))];
  const dynamicGroups = namedGroups(flags.dynamicGroupQuery, flags.dynamicGroupName, 'dynamic group');
  if (!flags.machine && groups.length === 0 && dynamicGroups.length === 0) return undefined;
  return {
    machines: flags.machine ? flags.machine.flatMap(splitList) : (base.machines ?? []),
    groups: groups.length > 0 ? groups : (base.groups ?? []),
    dynamicGroups: dynamicGroups.length > 0 ? dynamicGroups : (base.dynamicGroups ?? []),
  };
}

function namedGroups(queries: string[] | undefined, names: string[] | undefined, label: string): Body[] {
  return (queries ?? []).map((query, i) => ({ name: names?.[i] ?? `${label} ${i + 1}`, query }));
}

function scheduleFromFlags(flags: DeploymentFlags, base: Body): Body | undefined {
  const touched = [flags.start, flags.timeZone, flags.every, flags.weekdays, flags.monthDays, flags.monthly, flags.expiry].some((f) => f !== undefined);
  if (!touched && Object.keys(base).length > 0) return undefined;
  const startTime = flags.start ?? (base.startTime as string | undefined);
  const timeZone = flags.timeZone ?? (base.timeZone as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const recurrenceChanged = [flags.every, flags.weekdays, flags.monthDays, flags.monthly].some((f) => f !== undefined);
  const recurrence = recurrenceChanged || !base.recurrence ? recurrenceFromFlags(flags, startTime, base.recurrence as Recurrence | undefined) : base.recurrence;
  const expiryTime = flags.expiry ?? (base.expiryTime as string | undefined);
  return { startTime, timeZone, recurrence, ...(expiryTime !== undefined ? { expiryTime } : {}) };
}

/** "--every 2 weeks --weekdays tue,thu", "--every month --monthly 'second Tuesday'", none = once. */
export function recurrenceFromFlags(flags: DeploymentFlags, startTime: string | undefined, base?: Recurrence): Recurrence {
  const { frequency, interval } = flags.every !== undefined ? parseEvery(flags.every) : base && base.frequency !== 'Once' ? { frequency: base.frequency, interval: base.interval } : inferFrequency(flags);
  if (frequency === 'Once') return { frequency: 'Once' };
  if (frequency === 'Hour' || frequency === 'Day') return { frequency, interval };
  const start = startTime ? parseLocalDateTime(startTime) : undefined;
  if (frequency === 'Week') {
    const days = flags.weekdays !== undefined ? splitList(flags.weekdays).map(weekdayName) : base?.frequency === 'Week' ? base.weekDays : start ? [weekDays[isoWeekdayIndex(start.year, start.month, start.day)]!] : [];
    return { frequency: 'Week', interval, weekDays: days };
  }
  if (flags.monthly !== undefined) return { frequency: 'Month', interval, monthlyOccurrence: parseMonthly(flags.monthly) };
  if (flags.monthDays !== undefined) return { frequency: 'Month', interval, monthDays: splitList(flags.monthDays).map((d) => wholeNumber(d, '--month-days', 'days 1–31 or -1 for the last, e.g. --month-days 1,15,-1', true)) };
  if (base?.frequency === 'Month') return { ...base, interval };
  return { frequency: 'Month', interval, monthDays: start ? [start.day] : [] };
}

function inferFrequency(flags: DeploymentFlags): { frequency: Recurrence['frequency']; interval: number } {
  if (flags.weekdays !== undefined) return { frequency: 'Week', interval: 1 };
  if (flags.monthDays !== undefined || flags.monthly !== undefined) return { frequency: 'Month', interval: 1 };
  return { frequency: 'Once', interval: 1 };
}

const EVERY = /^\s*(?:(\d+)\s*)?(hour|day|week|month)s?\s*$/i;

/** "once", "hour", "2 hours", "day", "3 days", "2 weeks", "month", "6 months". */
export function parseEvery(text: string): { frequency: Recurrence['frequency']; interval: number } {
  if (/^\s*once\s*$/i.test(text)) return { frequency: 'Once', interval: 1 };
  const match = EVERY.exec(text);
  if (!match) throw new FlagError(`--every "${text}" is not a recurrence: write once, or N hours / days / weeks / months, e.g. --every "2 weeks".`);
  const interval = match[1] === undefined ? 1 : Number(match[1]);
  const unit = match[2]!.toLowerCase();
  const frequency = unit === 'hour' ? 'Hour' : unit === 'day' ? 'Day' : unit === 'week' ? 'Week' : 'Month';
  return { frequency, interval };
}

const ORDINALS: Record<string, 1 | 2 | 3 | 4 | -1> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, last: -1 };

/** "second Tuesday", "last friday", "1st mon". */
export function parseMonthly(text: string): { occurrence: 1 | 2 | 3 | 4 | -1; day: WeekDay } {
  const [ordinal, day, ...rest] = text.trim().split(/\s+/);
  const occurrence = ordinal === undefined ? undefined : ORDINALS[ordinal.toLowerCase()];
  if (occurrence === undefined || day === undefined || rest.length > 0) {
    throw new FlagError(`--monthly "${text}" is not a day of the month: write first|second|third|fourth|last and a weekday, e.g. --monthly "second Tuesday".`);
  }
  return { occurrence, day: weekdayName(day) };
}

/** "tue", "Tuesday", "TUESDAY" → "Tuesday". */
export function weekdayName(text: string): WeekDay {
  const lower = text.trim().toLowerCase();
  // A prefix of two letters or more that names exactly one day ("tu", "thu", "sat").
  const matches = lower.length >= 2 ? weekDays.filter((d) => d.toLowerCase().startsWith(lower)) : [];
  if (matches.length !== 1) throw new FlagError(`"${text}" is not a weekday: use Monday … Sunday (or mon, tue, …).`);
  return matches[0]!;
}

const CLASSIFICATION_ALIASES: Record<string, string> = {
  critical: 'Critical Updates',
  security: 'Security Updates',
  other: 'Other Updates',
  rollups: 'Update Rollups',
  'update rollups': 'Update Rollups',
  'feature packs': 'Feature Packs',
  'service packs': 'Service Packs',
  definition: 'Definition Updates',
  tools: 'Tools',
  updates: 'Updates',
};

/** Short forms ("security") become the classification's name; anything else goes as written. */
function classificationName(text: string): string {
  return CLASSIFICATION_ALIASES[text.trim().toLowerCase()] ?? text.trim();
}

function rebootName(text: string): string {
  const options = ['IfRequired', 'Always', 'Never', 'RebootOnly'];
  return options.find((o) => o.toLowerCase() === text.replace(/[-_\s]/g, '').toLowerCase()) ?? text;
}

function capitalise(text: string): string {
  return /^(windows|linux)$/i.test(text) ? text[0]!.toUpperCase() + text.slice(1).toLowerCase() : text;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function wholeNumber(text: string, flag: string, hint: string, allowNegative = false): number {
  if (!(allowNegative ? /^-?\d+$/ : /^\d+$/).test(text.trim())) throw new FlagError(`${flag} "${text}" is not a whole number: give ${hint}.`);
  return Number(text);
}
