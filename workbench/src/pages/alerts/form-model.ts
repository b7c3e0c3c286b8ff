/**
 * The alert rule form's state and the body it sends. Numbers and durations are sent as typed
 * (text that is not a number goes as text) so the server's validation — the only one — names the
 * field and the fix; the form only converts units.
 */
import { aggregations, type Aggregation, type AlertRule, type AlertRuleInput, type ComparisonOperator } from '../../../../contracts/alerts.js';
import { durationMs } from '../../../../contracts/timespan.js';

export const durationUnits = ['seconds', 'minutes', 'hours', 'days'] as const;
export type DurationUnit = (typeof durationUnits)[number];

export interface DurationField {
  amount: string;
  unit: DurationUnit;
}

export type MeasureChoice = 'rowCount' | Aggregation;
export const measureChoices: readonly { value: MeasureChoice; label: string }[] = [
  { value: 'rowCount', label: 'Number of rows' },
  ...aggregations.map((a) => ({ value: a, label: `${a}() of a column` })),
];

/** As the reference numbers them. */
export const severities = [
  { value: 0, label: '0 – Critical' },
  { value: 1, label: '1 – Error' },
  { value: 2, label: '2 – Warning' },
  { value: 3, label: '3 – Informational' },
  { value: 4, label: '4 – Verbose' },
] as const;

export interface AlertForm {
  name: string;
  description: string;
  source: 'query' | 'savedSearch';
  query: string;
  savedSearchId: string;
  frequency: DurationField;
  lookback: DurationField;
  measure: MeasureChoice;
  measureColumn: string;
  operator: ComparisonOperator;
  threshold: string;
  failingPeriods: string;
  evaluationPeriods: string;
  /** Column names separated by commas. */
  dimensions: string;
  severity: string;
  autoResolveAfter: string;
  muteFor: DurationField;
  enabled: boolean;
  /** One URL per line. */
  webhooks: string;
}

/** Every field a server problem can name, deepest first where they nest (see problemsAt). */
export const formFields = [
  'name', 'description', 'query', 'savedSearchId', 'frequency', 'lookback', 'measure', 'measure.column', 'operator', 'threshold',
  'failingPeriods', 'evaluationPeriods', 'dimensions', 'severity', 'autoResolveAfter', 'muteFor', 'enabled', 'actions', 'actions.webhooks',
] as const;

const UNIT_SECONDS: Record<DurationUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };
const ISO_SUFFIX: Record<DurationUnit, string> = { seconds: 'S', minutes: 'M', hours: 'H', days: 'D' };

export function emptyForm(): AlertForm {
  return {
    name: '', description: '', source: 'query', query: '', savedSearchId: '',
    frequency: { amount: '5', unit: 'minutes' }, lookback: { amount: '1', unit: 'hours' },
    measure: 'rowCount', measureColumn: '', operator: '>', threshold: '0', failingPeriods: '1', evaluationPeriods: '1',
    dimensions: '', severity: '3', autoResolveAfter: '1', muteFor: { amount: '0', unit: 'minutes' }, enabled: true, webhooks: '',
  };
}

/** A stored rule (or a sample rule's JSON) in the form. */
export function formOf(rule: Partial<AlertRuleInput> | AlertRule): AlertForm {
  const base = emptyForm();
  const measure = rule.measure;
  return {
    name: rule.name ?? '',
    description: rule.description ?? '',
    source: rule.savedSearchId !== undefined ? 'savedSearch' : 'query',
    query: rule.query ?? '',
    savedSearchId: rule.savedSearchId ?? '',
    frequency: rule.frequency ? durationField(rule.frequency) : base.frequency,
    lookback: rule.lookback ? durationField(rule.lookback) : base.lookback,
    measure: measure?.kind === 'column' ? measure.aggregation : 'rowCount',
    measureColumn: measure?.kind === 'column' ? measure.column : '',
    operator: rule.operator ?? base.operator,
    threshold: String(rule.threshold ?? base.threshold),
    failingPeriods: String(rule.failingPeriods ?? base.failingPeriods),
    evaluationPeriods: String(rule.evaluationPeriods ?? base.evaluationPeriods),
    dimensions: (rule.dimensions ?? []).join(', '),
    severity: String(rule.severity ?? base.severity),
    autoResolveAfter: String(rule.autoResolveAfter ?? base.autoResolveAfter),
    muteFor: rule.muteFor ? durationField(rule.muteFor) : base.muteFor,
    enabled: rule.enabled ?? true,
    webhooks: (rule.actions?.webhooks ?? []).join('\n'),
  };
}

/** The request body: exactly one of query and savedSearchId. */
export function bodyOf(form: AlertForm): Record<string, unknown> {
  const source = form.source === 'query' ? { query: form.query } : { savedSearchId: form.savedSearchId };
  return {
    name: form.name.trim(),
    description: form.description,
    ...source,
    frequency: isoDuration(form.frequency),
    lookback: isoDuration(form.lookback),
    measure: form.measure === 'rowCount' ? { kind: 'rowCount' } : { kind: 'column', aggregation: form.measure, column: form.measureColumn.trim() },
    operator: form.operator,
    threshold: numberOrText(form.threshold),
    failingPeriods: numberOrText(form.failingPeriods),
    evaluationPeriods: numberOrText(form.evaluationPeriods),
    dimensions: splitList(form.dimensions, /[,\n]/),
    severity: numberOrText(form.severity),
    autoResolveAfter: numberOrText(form.autoResolveAfter),
    muteFor: isoDuration(form.muteFor),
    enabled: form.enabled,
    actions: { webhooks: splitList(form.webhooks, /\n/) },
  };
}

/** "30" seconds → "PT30S", "1" day → "P1D"; an amount that is not a whole number is sent as typed. */
export function isoDuration(field: DurationField): string {
  const amount = field.amount.trim();
  if (!/^\d+$/.test(amount)) return amount;
  return field.unit === 'days' ? `P${amount}D` : `PT${amount}${ISO_SUFFIX[field.unit]}`;
}

/** An ISO duration in the largest unit that divides it ("PT90M" → 90 minutes, "PT2H" → 2 hours). */
export function durationField(iso: string): DurationField {
  const ms = durationMs(iso);
  if (ms === undefined) return { amount: iso, unit: 'minutes' };
  const seconds = Math.round(ms / 1000);
  if (seconds === 0) return { amount: '0', unit: 'minutes' };
  const unit = [...durationUnits].reverse().find((u) => seconds % UNIT_SECONDS[u] === 0) ?? 'seconds';
  return { amount: String(seconds / UNIT_SECONDS[unit]), unit };
}

/** "5 minutes", "1 hour", "none" for zero. */
export function durationWords(iso: string): string {
  const { amount, unit } = durationField(iso);
  if (amount === '0') return 'none';
  return `${amount} ${amount === '1' ? unit.replace(/s$/, '') : unit}`;
}

function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function splitList(text: string, separator: RegExp): string[] {
  return text.split(separator).map((s) => s.trim()).filter((s) => s !== '');
}

/** "rows > 0", "max(CriticalUpdatesMissing) >= 5". */
export function conditionWords(rule: Pick<AlertRuleInput, 'measure' | 'operator' | 'threshold'>): string {
  const measure = rule.measure.kind === 'rowCount' ? 'rows' : `${rule.measure.aggregation}(${rule.measure.column})`;
  return `${measure} ${rule.operator} ${rule.threshold}`;
}
