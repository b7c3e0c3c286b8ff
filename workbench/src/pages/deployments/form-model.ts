/**
 * The schedule form's state and its translation to and from the API's DeploymentInput. The form
 * sends what the user typed, shaped but not judged: the server's validation is authoritative, so
 * an entry the form cannot read is still sent (as text) for the server to name the problem.
 */
import {
  linuxClassifications,
  windowsClassifications,
  type Deployment,
  type DeploymentInput,
  type GroupTarget,
  type OsType,
  type RebootOption,
  type Recurrence,
  type WeekDay,
} from '../../../../contracts/updates.js';

export type Frequency = Recurrence['frequency'];
export type Ordinal = 1 | 2 | 3 | 4 | -1;

export interface GroupRow {
  name: string;
  query: string;
  /** Kept from a stored group that names a saved search (the form edits queries). */
  savedSearch?: string;
}

export interface FormState {
  name: string;
  os: OsType;
  classifications: string[];
  /** One entry per line or separated by commas. */
  excludedText: string;
  includedText: string;
  /** Machines ticked in the picker. */
  pickedMachines: string[];
  /** More machines typed in, one per line or separated by commas. */
  otherMachinesText: string;
  groups: GroupRow[];
  dynamicGroups: GroupRow[];
  /** `YYYY-MM-DDTHH:mm`, the wall clock in `timeZone`. */
  startTime: string;
  timeZone: string;
  /** Empty: no expiry. */
  expiryTime: string;
  frequency: Frequency;
  interval: string;
  weekDays: WeekDay[];
  monthMode: 'days' | 'weekday';
  /** e.g. "1, 15, last" */
  monthDaysText: string;
  monthOccurrence: Ordinal;
  monthWeekDay: WeekDay;
  windowMinutes: string;
  reboot: RebootOption;
  useRollout: boolean;
  /** e.g. "10, 40, 50" */
  ringPercentsText: string;
  failureThresholdPercent: string;
  preWebhook: string;
  postWebhook: string;
  enabled: boolean;
}

export function classificationsFor(os: OsType): readonly string[] {
  return os === 'Windows' ? windowsClassifications : linuxClassifications;
}

/** What the exclusion and inclusion fields accept, in the server's terms. */
export function updateListHint(os: OsType): string {
  return os === 'Windows'
    ? 'KB numbers, digits only, without the "KB" prefix (e.g. 4012345); one per line or separated by commas.'
    : 'Package names with an optional architecture, * as wildcard (e.g. kernel*, openssl.x86_64); one per line or separated by commas.';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The next whole hour at least an hour from now, on the browser's wall clock. */
export function defaultStartTime(now: Date): string {
  const start = new Date(now.getTime() + 60 * 60_000);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  return `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}T${pad(start.getHours())}:${pad(start.getMinutes())}`;
}

export function emptyForm(now: Date, timeZone: string): FormState {
  return {
    name: '',
    os: 'Linux',
    classifications: ['Critical Updates', 'Security Updates'],
    excludedText: '',
    includedText: '',
    pickedMachines: [],
    otherMachinesText: '',
    groups: [],
    dynamicGroups: [],
    startTime: defaultStartTime(now),
    timeZone,
    expiryTime: '',
    frequency: 'Week',
    interval: '1',
    weekDays: ['Tuesday'],
    monthMode: 'weekday',
    monthDaysText: '1',
    monthOccurrence: 2,
    monthWeekDay: 'Tuesday',
    windowMinutes: '120',
    reboot: 'IfRequired',
    useRollout: false,
    ringPercentsText: '10, 40, 50',
    failureThresholdPercent: '20',
    preWebhook: '',
    postWebhook: '',
    enabled: true,
  };
}

/** Switching the OS keeps the classifications both OSes have. */
export function withOs(form: FormState, os: OsType): FormState {
  const valid = classificationsFor(os);
  return { ...form, os, classifications: form.classifications.filter((c) => valid.includes(c)) };
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A number as typed; text that is not one is sent as is for the server to explain. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

function monthDays(text: string): (number | string)[] {
  return splitList(text).map((d) => (/^last$/i.test(d) ? -1 : numberOrText(d)));
}

function recurrenceOf(form: FormState): Record<string, unknown> {
  if (form.frequency === 'Once') return { frequency: 'Once' };
  const base = { frequency: form.frequency, interval: numberOrText(form.interval) };
  if (form.frequency === 'Week') return { ...base, weekDays: form.weekDays };
  if (form.frequency === 'Month') {
    return form.monthMode === 'days' ? { ...base, monthDays: monthDays(form.monthDaysText) } : { ...base, monthlyOccurrence: { occurrence: form.monthOccurrence, day: form.monthWeekDay } };
  }
  return base;
}

function groupsOf(rows: readonly GroupRow[]): GroupTarget[] {
  return rows
    .filter((g) => g.name.trim() !== '' || g.query.trim() !== '' || g.savedSearch)
    .map((g) => (g.query.trim() === '' && g.savedSearch ? { name: g.name.trim(), savedSearch: g.savedSearch } : { name: g.name.trim(), query: g.query }));
}

function unique(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((m) => !seen.has(m.toLowerCase()) && seen.add(m.toLowerCase()));
}

/** The request body: DeploymentInput when the user typed valid values, else close to it. */
export function toInput(form: FormState): DeploymentInput {
  const webhooks = { ...(form.preWebhook.trim() ? { pre: form.preWebhook.trim() } : {}), ...(form.postWebhook.trim() ? { post: form.postWebhook.trim() } : {}) };
  const body: Record<string, unknown> = {
    name: form.name,
    os: form.os,
    classifications: form.classifications,
    excludedUpdates: splitList(form.excludedText),
    includedUpdates: splitList(form.includedText),
    targets: {
      machines: unique([...form.pickedMachines, ...splitList(form.otherMachinesText)]),
      groups: groupsOf(form.groups),
      dynamicGroups: groupsOf(form.dynamicGroups),
    },
    schedule: { startTime: form.startTime, timeZone: form.timeZone.trim(), recurrence: recurrenceOf(form), ...(form.expiryTime ? { expiryTime: form.expiryTime } : {}) },
    windowMinutes: numberOrText(form.windowMinutes),
    reboot: form.reboot,
    ...(form.useRollout ? { rollout: { ringPercents: splitList(form.ringPercentsText).map(numberOrText), failureThresholdPercent: numberOrText(form.failureThresholdPercent) } } : {}),
    ...(Object.keys(webhooks).length > 0 ? { webhooks } : {}),
    enabled: form.enabled,
  };
  // Shaped like DeploymentInput; values the user mistyped travel as text for the server to name.
  return body as unknown as DeploymentInput;
}

function recurrenceFields(recurrence: Recurrence): Partial<FormState> {
  if (recurrence.frequency === 'Once') return { frequency: 'Once' };
  const base: Partial<FormState> = { frequency: recurrence.frequency, interval: String(recurrence.interval) };
  if (recurrence.frequency === 'Week') return { ...base, weekDays: [...recurrence.weekDays] };
  if (recurrence.frequency === 'Month') {
    return 'monthlyOccurrence' in recurrence
      ? { ...base, monthMode: 'weekday', monthOccurrence: recurrence.monthlyOccurrence.occurrence, monthWeekDay: recurrence.monthlyOccurrence.day }
      : { ...base, monthMode: 'days', monthDaysText: recurrence.monthDays.map((d) => (d === -1 ? 'last' : String(d))).join(', ') };
  }
  return base;
}

const toGroupRows = (groups: readonly GroupTarget[]): GroupRow[] => groups.map((g) => ({ name: g.name, query: g.query ?? '', ...(g.savedSearch ? { savedSearch: g.savedSearch } : {}) }));

/** The form filled with a stored deployment, for editing. */
export function fromDeployment(deployment: Deployment, now: Date): FormState {
  const empty = emptyForm(now, deployment.schedule.timeZone);
  return {
    ...empty,
    name: deployment.name,
    os: deployment.os,
    classifications: [...deployment.classifications],
    excludedText: deployment.excludedUpdates.join('\n'),
    includedText: deployment.includedUpdates.join('\n'),
    pickedMachines: [...deployment.targets.machines],
    groups: toGroupRows(deployment.targets.groups),
    dynamicGroups: toGroupRows(deployment.targets.dynamicGroups),
    startTime: deployment.schedule.startTime,
    expiryTime: deployment.schedule.expiryTime ?? '',
    ...recurrenceFields(deployment.schedule.recurrence),
    windowMinutes: String(deployment.windowMinutes),
    reboot: deployment.reboot,
    useRollout: deployment.rollout !== undefined,
    ...(deployment.rollout ? { ringPercentsText: deployment.rollout.ringPercents.join(', '), failureThresholdPercent: String(deployment.rollout.failureThresholdPercent) } : {}),
    preWebhook: deployment.webhooks?.pre ?? '',
    postWebhook: deployment.webhooks?.post ?? '',
    enabled: deployment.enabled,
  };
}
