/**
 * Checks a deployment definition as a user sent it (parsed JSON of unknown shape) and returns
 * either the typed definition, with defaults filled in (no exclusions, no groups, reboot
 * IfRequired, enabled), or every problem at once, each naming the field and the fix.
 */
import {
  MAX_WINDOW_MINUTES,
  MIN_WINDOW_MINUTES,
  linuxClassifications,
  rebootOptions,
  windowsClassifications,
  type Classification,
  type DeploymentInput,
  type GroupTarget,
  type OsType,
  type RebootOption,
  type Rollout,
  type Schedule,
  type Targets,
  type ValidationProblem,
  type Webhooks,
} from '../../../contracts/updates.js';
import { nextOccurrences } from '../schedule/recurrence.js';
import { formatLocalDateTime, instantToLocal, isValidTimeZone, localToInstant, parseLocalDateTime } from '../schedule/zoned-time.js';
import { checkRecurrence } from './validate-recurrence.js';
import { Problems, isRecord, type Json } from './validation-problems.js';

export interface ValidationContext {
  now: Date;
  /** Names of the other deployments (when replacing one, leave its own name out). */
  existingNames: readonly string[];
  /** When given, explicit machines must be among them (Computer names seen by the workspace). */
  knownMachines?: readonly string[];
  /**
   * When replacing a deployment whose start has passed, the stored start time: sending it
   * unchanged is allowed (the schedule keeps running); a changed start must be in the future.
   */
  unchangedStartTime?: string;
}

export type ValidationOutcome = { ok: true; value: DeploymentInput } | { ok: false; problems: ValidationProblem[]; duplicateName?: string };

const knownFields = ['name', 'os', 'classifications', 'excludedUpdates', 'includedUpdates', 'targets', 'schedule', 'windowMinutes', 'reboot', 'rollout', 'webhooks', 'enabled'];
/** What GET answers with beyond the input: accepted and ignored, so a fetched deployment can be sent back. */
const serverFields = ['id', 'createdAt', 'updatedAt', 'frozenGroups'];
const KB_PREFIXED = /^kb(\d+)$/i;
const KB_NUMBER = /^\d{1,10}$/;
/** Debian/RPM package names (with an optional .arch), `*` as wildcard. */
const LINUX_PACKAGE = /^[A-Za-z0-9*][A-Za-z0-9.+_:~*-]*$/;
const MAX_NAME_LENGTH = 128;

export function validateDeployment(input: unknown, context: ValidationContext): ValidationOutcome {
  const problems = new Problems();
  if (!isRecord(input)) {
    problems.add('', 'The body must be a JSON object with the deployment (name, os, classifications, targets, schedule, windowMinutes …).');
    return { ok: false, problems: problems.list };
  }
  for (const field of Object.keys(input)) {
    if (!knownFields.includes(field) && !serverFields.includes(field)) {
      problems.add(field, `Unknown field "${field}": remove it; a deployment has ${knownFields.join(', ')}.`);
    }
  }
  const name = checkName(input.name, context, problems);
  const os = checkOs(input.os, problems);
  const classifications = checkClassifications(input.classifications, os, problems);
  const excludedUpdates = checkUpdateList(input.excludedUpdates, 'excludedUpdates', os, problems);
  const includedUpdates = checkUpdateList(input.includedUpdates, 'includedUpdates', os, problems);
  const targets = checkTargets(input.targets, context, problems);
  const windowMinutes = checkWindow(input.windowMinutes, problems);
  const schedule = checkSchedule(input.schedule, context, windowMinutes, problems);
  const reboot = checkReboot(input.reboot, problems);
  const rollout = checkRollout(input.rollout, problems);
  const webhooks = checkWebhooks(input.webhooks, problems);
  const enabled = checkEnabled(input.enabled, problems);
  if (!problems.empty) {
    const duplicate = problems.list.some((p) => p.field === 'name' && p.message.startsWith('A deployment named'));
    return { ok: false, problems: problems.list, ...(duplicate && typeof input.name === 'string' ? { duplicateName: input.name } : {}) };
  }
  const value: DeploymentInput = {
    name: name!,
    os: os!,
    classifications: classifications!,
    excludedUpdates: excludedUpdates!,
    includedUpdates: includedUpdates!,
    targets: targets!,
    schedule: schedule!,
    windowMinutes: windowMinutes!,
    reboot: reboot!,
    ...(rollout ? { rollout } : {}),
    ...(webhooks ? { webhooks } : {}),
    enabled: enabled!,
  };
  return { ok: true, value };
}

function checkName(value: Json, context: ValidationContext, problems: Problems): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return problems.add('name', 'Give the deployment a name (a non-empty string), e.g. "Linux security, Tuesday nights".');
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH) return problems.add('name', `The name is ${name.length} characters long: shorten it to at most ${MAX_NAME_LENGTH}.`);
  if (context.existingNames.some((existing) => existing.trim().toLowerCase() === name.toLowerCase())) {
    return problems.add('name', `A deployment named "${name}" already exists: choose another name (names are unique, ignoring case), or change that deployment instead.`);
  }
  return name;
}

function checkOs(value: Json, problems: Problems): OsType | undefined {
  if (value === 'Windows' || value === 'Linux') return value;
  const hint = typeof value === 'string' && /^(windows|linux)$/i.test(value) ? ` (write "${value[0]!.toUpperCase()}${value.slice(1).toLowerCase()}")` : '';
  return problems.add('os', `os must be "Windows" or "Linux"${hint}.`);
}

function classificationsOf(os: OsType): readonly string[] {
  return os === 'Windows' ? windowsClassifications : linuxClassifications;
}

function checkClassifications(value: Json, os: OsType | undefined, problems: Problems): Classification[] | undefined {
  const valid = os ? classificationsOf(os) : undefined;
  const choices = valid ? `the ${os} classifications are ${valid.map((c) => `"${c}"`).join(', ')}` : 'see the classifications of the chosen os';
  if (!Array.isArray(value) || value.length === 0) return problems.add('classifications', `Choose one or more classifications: ${choices}.`);
  const result: Classification[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string') problems.add(`classifications[${i}]`, `Each classification is a string: ${choices}.`);
    else if (valid && !valid.includes(item)) problems.add(`classifications[${i}]`, `"${item}" is not a ${os} classification: ${choices}.`);
    else if (!result.includes(item as Classification)) result.push(item as Classification);
  });
  return result;
}

function checkUpdateList(value: Json, field: 'excludedUpdates' | 'includedUpdates', os: OsType | undefined, problems: Problems): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return problems.add(field, `${field} is a list of ${os === 'Windows' ? 'KB numbers, e.g. ["4012345"]' : 'package names, e.g. ["kernel*"]'}; send [] for none.`);
  const result: string[] = [];
  value.forEach((item, i) => {
    const at = `${field}[${i}]`;
    if (typeof item !== 'string' || item.trim() === '') return problems.add(at, 'Each entry is a non-empty string.');
    const entry = item.trim();
    if (os === 'Windows') {
      const prefixed = KB_PREFIXED.exec(entry);
      if (prefixed) return problems.add(at, `Windows updates are KB numbers without the "KB" prefix: write ${prefixed[1]}, not ${entry}.`);
      if (!KB_NUMBER.test(entry)) return problems.add(at, `"${entry}" is not a KB number: Windows updates are given by their KB number, digits only (e.g. 4012345).`);
    } else if (os === 'Linux' && !LINUX_PACKAGE.test(entry)) {
      return problems.add(at, `"${entry}" is not a package name: use the package name with an optional architecture and * as wildcard (e.g. kernel*, redhat-release-server.x86_64); no spaces or other pattern characters.`);
    }
    if (!result.includes(entry)) result.push(entry);
    return undefined;
  });
  return result;
}

function checkTargets(value: Json, context: ValidationContext, problems: Problems): Targets | undefined {
  const fix = 'give targets.machines (Computer names) and/or targets.groups / targets.dynamicGroups (queries returning a Computer column)';
  if (!isRecord(value)) return problems.add('targets', `Choose at least one target: ${fix}.`);
  const before = problems.list.length;
  const machines = checkMachines(value.machines, context, problems);
  const groups = checkGroups(value.groups, 'targets.groups', problems);
  const dynamicGroups = checkGroups(value.dynamicGroups, 'targets.dynamicGroups', problems);
  // A broken entry is its own problem: do not also report "no targets" because of it.
  if (!machines || !groups || !dynamicGroups || problems.list.length > before) return undefined;
  const names = [...groups, ...dynamicGroups].map((g) => g.name.toLowerCase());
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) return problems.add('targets', `Two groups are called "${repeated}": give each group its own name.`);
  if (machines.length + groups.length + dynamicGroups.length === 0) return problems.add('targets', `The deployment has no targets: ${fix}.`);
  return { machines, groups, dynamicGroups };
}

function checkMachines(value: Json, context: ValidationContext, problems: Problems): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return problems.add('targets.machines', 'targets.machines is a list of Computer names, e.g. ["web-01.contoso.com"].');
  const known = context.knownMachines ? new Set(context.knownMachines.map((m) => m.toLowerCase())) : undefined;
  const result: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') return problems.add(`targets.machines[${i}]`, 'Each machine is a non-empty Computer name (its FQDN as the agent reports it).');
    const machine = item.trim();
    if (known && !known.has(machine.toLowerCase())) {
      return problems.add(`targets.machines[${i}]`, `"${machine}" has never reported to this workspace: check the name against Heartbeat | distinct Computer, or install and register the agent on it first.`);
    }
    if (!result.some((m) => m.toLowerCase() === machine.toLowerCase())) result.push(machine);
    return undefined;
  });
  return result;
}

function checkGroups(value: Json, field: string, problems: Problems): GroupTarget[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return problems.add(field, `${field} is a list of groups: [{ "name": "web servers", "query": "Heartbeat | where Computer startswith 'web' | distinct Computer" }].`);
  const result: GroupTarget[] = [];
  value.forEach((item, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(item)) return problems.add(at, 'A group is an object { name, query } or { name, savedSearch }.');
    if (typeof item.name !== 'string' || item.name.trim() === '') return problems.add(`${at}.name`, 'Give the group a name.');
    const query = typeof item.query === 'string' && item.query.trim() !== '' ? item.query : undefined;
    const savedSearch = typeof item.savedSearch === 'string' && item.savedSearch.trim() !== '' ? item.savedSearch : undefined;
    if ((query === undefined) === (savedSearch === undefined)) {
      return problems.add(at, `Group "${item.name}" needs exactly one of query (KQL returning a Computer column) or savedSearch (the name of a saved search).`);
    }
    result.push({ name: item.name.trim(), ...(query !== undefined ? { query } : { savedSearch: savedSearch! }) });
    return undefined;
  });
  return result;
}

function checkWindow(value: Json, problems: Problems): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_WINDOW_MINUTES && value <= MAX_WINDOW_MINUTES) return value;
  return problems.add('windowMinutes', `The maintenance window is whole minutes from ${MIN_WINDOW_MINUTES} to ${MAX_WINDOW_MINUTES}${typeof value === 'number' ? `; ${value} is not` : ''} (the last 20 minutes are kept for the reboot), e.g. 120.`);
}

function checkSchedule(value: Json, context: ValidationContext, windowMinutes: number | undefined, problems: Problems): Schedule | undefined {
  if (!isRecord(value)) {
    return problems.add('schedule', 'Give a schedule: { "startTime": "2030-01-07T02:00", "timeZone": "Europe/Berlin", "recurrence": { "frequency": "Once" } }.');
  }
  const timeZone = checkTimeZone(value.timeZone, problems);
  const start = checkLocalTime(value.startTime, 'schedule.startTime', problems);
  const expiry = value.expiryTime === undefined ? undefined : checkLocalTime(value.expiryTime, 'schedule.expiryTime', problems);
  const recurrence = checkRecurrence(value.recurrence, windowMinutes, problems);
  if (!timeZone || !start || (value.expiryTime !== undefined && !expiry) || !recurrence) return undefined;
  const schedule: Schedule = { startTime: start, timeZone, recurrence, ...(expiry ? { expiryTime: expiry } : {}) };
  return checkTimes(schedule, context, problems);
}

function checkTimes(schedule: Schedule, context: ValidationContext, problems: Problems): Schedule | undefined {
  const startInstant = localToInstant(schedule.timeZone, parseLocalDateTime(schedule.startTime)!);
  if (startInstant <= context.now.getTime() && schedule.startTime !== context.unchangedStartTime) {
    const nowThere = formatLocalDateTime(instantToLocal(schedule.timeZone, context.now.getTime()));
    return problems.add('schedule.startTime', `The start time ${schedule.startTime} (${schedule.timeZone}) has passed: it is ${nowThere} there now; choose a later start time.`);
  }
  if (schedule.expiryTime !== undefined && schedule.expiryTime <= schedule.startTime) {
    return problems.add('schedule.expiryTime', `The expiry time ${schedule.expiryTime} is not after the start time ${schedule.startTime}: choose a later expiry, or leave it out.`);
  }
  if (nextOccurrences(schedule, context.now, 1).length === 0) {
    return problems.add('schedule', 'This schedule never fires after now (the recurrence has no day before the expiry time): change the days or the expiry time.');
  }
  return schedule;
}

function checkTimeZone(value: Json, problems: Problems): string | undefined {
  if (typeof value === 'string' && isValidTimeZone(value)) return value;
  return problems.add('schedule.timeZone', `${typeof value === 'string' ? `"${value}" is not` : 'Give'} an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC".`);
}

function checkLocalTime(value: Json, field: string, problems: Problems): string | undefined {
  if (typeof value === 'string' && parseLocalDateTime(value)) return value;
  return problems.add(field, `${typeof value === 'string' ? `"${value}" is not` : 'Give'} a local date and time as YYYY-MM-DDTHH:mm without offset (the time zone is schedule.timeZone), e.g. "2030-01-07T02:00".`);
}

function checkReboot(value: Json, problems: Problems): RebootOption | undefined {
  if (value === undefined) return 'IfRequired';
  if (typeof value === 'string' && (rebootOptions as readonly string[]).includes(value)) return value as RebootOption;
  return problems.add('reboot', `reboot is one of ${rebootOptions.join(', ')} (IfRequired when left out).`);
}

function checkRollout(value: Json, problems: Problems): Rollout | undefined {
  if (value === undefined) return undefined;
  const example = 'e.g. { "ringPercents": [10, 40, 50], "failureThresholdPercent": 20 }';
  if (!isRecord(value)) return problems.add('rollout', `rollout is an object, ${example}.`);
  const rings = value.ringPercents;
  const threshold = value.failureThresholdPercent;
  let ok = true;
  if (!Array.isArray(rings) || rings.length === 0 || !rings.every((r) => typeof r === 'number' && r > 0)) {
    ok = problems.add('rollout.ringPercents', `ringPercents is a list of positive percentages that add up to 100, ${example}.`) ?? false;
  } else {
    const sum = (rings as number[]).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > 1e-9) ok = problems.add('rollout.ringPercents', `The ring percentages add up to ${sum}: make them add up to 100.`) ?? false;
  }
  if (typeof threshold !== 'number' || threshold < 0 || threshold > 100) {
    ok = problems.add('rollout.failureThresholdPercent', 'failureThresholdPercent is a number from 0 to 100: the next ring is not started when more than this percentage of a ring failed.') ?? false;
  }
  return ok ? { ringPercents: rings as number[], failureThresholdPercent: threshold as number } : undefined;
}

function checkWebhooks(value: Json, problems: Problems): Webhooks | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return problems.add('webhooks', 'webhooks is an object { "pre": "https://…", "post": "https://…" }.');
  const result: Webhooks = {};
  for (const key of ['pre', 'post'] as const) {
    const url = value[key];
    if (url === undefined) continue;
    if (typeof url === 'string' && isHttpUrl(url)) result[key] = url;
    else problems.add(`webhooks.${key}`, `${typeof url === 'string' ? `"${url}" is not` : 'Give'} an http:// or https:// URL to POST to, e.g. "https://hooks.example.com/upkeep".`);
  }
  return result;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function checkEnabled(value: Json, problems: Problems): boolean | undefined {
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  return problems.add('enabled', 'enabled is true or false (true when left out).');
}
