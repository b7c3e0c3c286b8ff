/**
 * The server's validation problems placed next to the form's fields: a problem's `field` is a
 * JSON path into DeploymentInput (e.g. `targets.machines[2]`, `schedule.recurrence.interval`);
 * it belongs to the deepest form field whose path it starts with. A path no field claims (or the
 * empty path) is shown in the summary only.
 */
import type { ValidationProblem } from '../../../../contracts/updates.js';

/** Form fields by the JSON path they edit, with the label the summary names them by. */
export const fieldLabels = {
  name: 'Name',
  os: 'Operating system',
  classifications: 'Classifications',
  excludedUpdates: 'Excluded updates',
  includedUpdates: 'Included updates',
  targets: 'Targets',
  'targets.machines': 'Machines',
  'targets.groups': 'Groups',
  'targets.dynamicGroups': 'Dynamic groups',
  schedule: 'Schedule',
  'schedule.startTime': 'Start time',
  'schedule.timeZone': 'Time zone',
  'schedule.expiryTime': 'Expiry time',
  'schedule.recurrence': 'Recurrence',
  'schedule.recurrence.interval': 'Interval',
  'schedule.recurrence.weekDays': 'Weekdays',
  'schedule.recurrence.monthDays': 'Days of the month',
  'schedule.recurrence.monthlyOccurrence': 'Day of the month',
  windowMinutes: 'Maintenance window',
  reboot: 'Reboot',
  rollout: 'Rollout rings',
  'rollout.ringPercents': 'Ring percentages',
  'rollout.failureThresholdPercent': 'Failure threshold',
  webhooks: 'Webhooks',
  'webhooks.pre': 'Pre-webhook',
  'webhooks.post': 'Post-webhook',
  enabled: 'Enabled',
} as const;

export type FieldKey = keyof typeof fieldLabels;
/** Problems no field claims. */
export const FORM = '';

export function fieldKeyOf(path: string): FieldKey | typeof FORM {
  const segments = path.replace(/\[\d+\]/g, '').split('.').filter((s) => s !== '');
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join('.');
    if (candidate in fieldLabels) return candidate as FieldKey;
  }
  return FORM;
}

export type ProblemsByField = Partial<Record<FieldKey | typeof FORM, string[]>>;

export function problemsByField(problems: readonly ValidationProblem[]): ProblemsByField {
  const grouped: ProblemsByField = {};
  for (const problem of problems) {
    const key = fieldKeyOf(problem.field);
    (grouped[key] ??= []).push(problem.message);
  }
  return grouped;
}

/** The id of a field's control, so the summary can link to it and the message can describe it. */
export function controlId(key: FieldKey): string {
  return `deployment-${key.replace(/\./g, '-')}`;
}

export function errorId(key: FieldKey): string {
  return `${controlId(key)}-error`;
}

export function labelOf(key: FieldKey | typeof FORM): string {
  return key === FORM ? 'Deployment' : fieldLabels[key];
}
