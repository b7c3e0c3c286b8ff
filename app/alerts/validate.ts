/**
 * Checks an alert rule as sent (JSON of unknown shape) and fills the optional fields. Every
 * problem names the field and the fix; the measure column and the dimensions are checked
 * against the columns the query compiles to, so a rule cannot refer to a column it will never see.
 */
import type { Column } from '../../language/schema/types.js';
import { isNumeric } from '../../language/schema/types.js';
import { durationMs } from '../../contracts/timespan.js';
import { aggregations, comparisonOperators, type Aggregation, type AlertRuleInput, type Measure, type Problem } from '../../contracts/alerts.js';

export const MAX_DIMENSIONS = 6;
export const MAX_EVALUATION_PERIODS = 30;
export const MAX_WEBHOOKS = 10;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The query's columns, or why it does not compile (with line:column). */
export type ColumnsOf = (input: { query?: string; savedSearchId?: string }) => { ok: true; columns: Column[] } | { ok: false; field: string; message: string };

export interface ValidationContext {
  columnsOf: ColumnsOf;
}

export type Validated = { ok: true; value: AlertRuleInput } | { ok: false; problems: Problem[] };

const known = new Set([
  'name', 'description', 'savedSearchId', 'query', 'frequency', 'lookback', 'measure', 'operator', 'threshold', 'failingPeriods',
  'evaluationPeriods', 'dimensions', 'severity', 'autoResolveAfter', 'muteFor', 'enabled', 'actions',
]);

export function validateAlertRule(body: unknown, context: ValidationContext): Validated {
  const problems: Problem[] = [];
  const add = (field: string, message: string): undefined => void problems.push({ field, message });
  if (!isRecord(body)) return { ok: false, problems: [{ field: '', message: 'The body must be a JSON object describing an alert rule, e.g. {"name":"…","query":"…","frequency":"PT5M","lookback":"PT1H","measure":{"kind":"rowCount"},"operator":">","threshold":0}.' }] };
  for (const key of Object.keys(body)) if (!known.has(key)) add(key, `"${key}" is not a field of an alert rule; remove it (fields: ${[...known].join(', ')}).`);

  const name = text(body, 'name', add, { required: true, max: 200 });
  const description = text(body, 'description', add, { max: 2000 }) ?? '';
  const source = querySource(body, add);
  const frequency = duration(body, 'frequency', add, { min: MINUTE, max: DAY, wholeMinutes: true, required: true, example: 'PT5M' });
  const lookback = duration(body, 'lookback', add, { min: MINUTE, max: 30 * DAY, required: true, example: 'PT1H' });
  const muteFor = duration(body, 'muteFor', add, { min: 0, max: 30 * DAY, example: 'PT1H' }) ?? 'PT0S';
  const operator = oneOf(body, 'operator', comparisonOperators, add);
  const threshold = body.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) add('threshold', `threshold must be a number (got ${show(threshold)}), e.g. 0.`);
  const evaluationPeriods = integer(body, 'evaluationPeriods', add, 1, MAX_EVALUATION_PERIODS, 1);
  const failingPeriods = integer(body, 'failingPeriods', add, 1, MAX_EVALUATION_PERIODS, 1);
  if (failingPeriods !== undefined && evaluationPeriods !== undefined && failingPeriods > evaluationPeriods) {
    add('failingPeriods', `failingPeriods (${failingPeriods}) cannot exceed evaluationPeriods (${evaluationPeriods}): fire when M of the last N periods fail, with M ≤ N.`);
  }
  const severity = integer(body, 'severity', add, 0, 4, 3);
  const autoResolveAfter = integer(body, 'autoResolveAfter', add, 1, 100, 1);
  const enabled = body.enabled ?? true;
  if (typeof enabled !== 'boolean') add('enabled', `enabled must be true or false (got ${show(enabled)}).`);
  const webhooks = actions(body, add);
  const measure = measureOf(body, add);
  const dimensions = dimensionsOf(body, add);

  if (source && (measure || dimensions)) {
    const compiled = context.columnsOf(source);
    if (!compiled.ok) add(compiled.field, compiled.message);
    else checkColumns(compiled.columns, measure, dimensions ?? [], add);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name: name!.trim(), description, ...source!, frequency: frequency!, lookback: lookback!, measure: measure!, operator: operator!, threshold: threshold as number,
      failingPeriods: failingPeriods!, evaluationPeriods: evaluationPeriods!, dimensions: dimensions!, severity: severity!, autoResolveAfter: autoResolveAfter!,
      muteFor, enabled: enabled as boolean, actions: { webhooks: webhooks! },
    },
  };
}

type Add = (field: string, message: string) => undefined;

function querySource(body: Record<string, unknown>, add: Add): { query: string } | { savedSearchId: string } | undefined {
  const { query, savedSearchId } = body;
  if (query !== undefined && savedSearchId !== undefined) return add('query', 'Give either query or savedSearchId, not both: remove one.');
  if (savedSearchId !== undefined) {
    if (typeof savedSearchId !== 'string' || savedSearchId.trim() === '') return add('savedSearchId', 'savedSearchId must be the id or name of a saved search (see GET /api/saved-searches).');
    return { savedSearchId: savedSearchId.trim() };
  }
  if (typeof query !== 'string' || query.trim() === '') return add('query', 'Give the KQL query to evaluate in query (e.g. "UpdateSummary | where CriticalUpdatesMissing > 0"), or a saved search in savedSearchId.');
  return { query };
}

function measureOf(body: Record<string, unknown>, add: Add): Measure | undefined {
  const m = body.measure;
  const example = 'e.g. {"kind":"rowCount"} or {"kind":"column","aggregation":"max","column":"CriticalUpdatesMissing"}';
  if (!isRecord(m)) return add('measure', `measure must be an object: ${example}.`);
  if (m.kind === 'rowCount') return Object.keys(m).length === 1 ? { kind: 'rowCount' } : add('measure', 'A rowCount measure has no other fields: send {"kind":"rowCount"}.');
  if (m.kind !== 'column') return add('measure.kind', `measure.kind must be "rowCount" or "column" (got ${show(m.kind)}): ${example}.`);
  if (typeof m.aggregation !== 'string' || !(aggregations as readonly string[]).includes(m.aggregation)) {
    return add('measure.aggregation', `measure.aggregation must be one of ${aggregations.join(', ')} (got ${show(m.aggregation)}).`);
  }
  if (typeof m.column !== 'string' || m.column === '') return add('measure.column', 'measure.column must name a numeric column of the query\'s result.');
  return { kind: 'column', aggregation: m.aggregation as Aggregation, column: m.column };
}

function dimensionsOf(body: Record<string, unknown>, add: Add): string[] | undefined {
  const d = body.dimensions ?? [];
  if (!Array.isArray(d) || d.some((c) => typeof c !== 'string' || c === '')) return add('dimensions', 'dimensions must be a list of column names of the query\'s result, e.g. ["Computer"].');
  if (d.length > MAX_DIMENSIONS) return add('dimensions', `At most ${MAX_DIMENSIONS} dimensions (got ${d.length}): keep the columns that identify what is alerting.`);
  const names = d as string[];
  const repeated = names.find((c, i) => names.indexOf(c) !== i);
  if (repeated) return add('dimensions', `Dimension "${repeated}" is listed twice; list each column once.`);
  return names;
}

function checkColumns(columns: Column[], measure: Measure | undefined, dimensions: string[], add: Add): void {
  const names = columns.map((c) => c.name).join(', ');
  if (measure?.kind === 'column') {
    const column = columns.find((c) => c.name === measure.column);
    if (!column) add('measure.column', `The query's result has no column "${measure.column}" (it has ${names}): name one of them, or project it in the query.`);
    else if (!isNumeric(column.type)) add('measure.column', `Column "${measure.column}" is ${column.type}, not a number: ${measure.aggregation} needs an int, long, real or decimal column (or use {"kind":"rowCount"}).`);
  }
  dimensions.forEach((name, i) => {
    const column = columns.find((c) => c.name === name);
    if (!column) add(`dimensions[${i}]`, `The query's result has no column "${name}" (it has ${names}): name one of them.`);
    else if (column.type === 'dynamic') add(`dimensions[${i}]`, `Column "${name}" is dynamic: a dimension must be a scalar column; convert it with tostring() in the query.`);
  });
}

function actions(body: Record<string, unknown>, add: Add): string[] | undefined {
  const a = body.actions ?? { webhooks: [] };
  if (!isRecord(a) || Object.keys(a).some((k) => k !== 'webhooks')) return add('actions', 'actions must be {"webhooks": ["https://…"]}.');
  const hooks = a.webhooks ?? [];
  if (!Array.isArray(hooks)) return add('actions.webhooks', 'actions.webhooks must be a list of http(s) URLs.');
  if (hooks.length > MAX_WEBHOOKS) return add('actions.webhooks', `At most ${MAX_WEBHOOKS} webhooks (got ${hooks.length}).`);
  let ok = true;
  hooks.forEach((url, i) => {
    if (typeof url !== 'string' || !isHttpUrl(url)) ok = add(`actions.webhooks[${i}]`, `${show(url)} is not an http:// or https:// URL.`) ?? false;
  });
  return ok ? (hooks as string[]) : undefined;
}

function text(body: Record<string, unknown>, field: string, add: Add, o: { required?: boolean; max: number }): string | undefined {
  const value = body[field];
  if (value === undefined && !o.required) return undefined;
  if (typeof value !== 'string' || (o.required && value.trim() === '')) return add(field, `${field} must be ${o.required ? 'a non-empty' : 'a'} string.`);
  if (value.length > o.max) return add(field, `${field} is ${value.length} characters; keep it to ${o.max}.`);
  return value;
}

function duration(body: Record<string, unknown>, field: string, add: Add, o: { min: number; max: number; wholeMinutes?: boolean; required?: boolean; example: string }): string | undefined {
  const value = body[field];
  if (value === undefined && !o.required) return undefined;
  const ms = typeof value === 'string' ? durationMs(value) : undefined;
  const range = `${words(o.min)} to ${words(o.max)}`;
  if (ms === undefined) return add(field, `${field} must be an ISO 8601 duration from ${range}, e.g. "${o.example}" (got ${show(value)}).`);
  if (ms < o.min || ms > o.max) return add(field, `${field} ${value as string} is outside ${range}; e.g. "${o.example}".`);
  if (o.wholeMinutes && ms % MINUTE !== 0) return add(field, `${field} ${value as string} is not a whole number of minutes; periods align to minutes, e.g. "${o.example}".`);
  return (value as string).toUpperCase();
}

function integer(body: Record<string, unknown>, field: string, add: Add, min: number, max: number, fallback: number): number | undefined {
  const value = body[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return add(field, `${field} must be a whole number from ${min} to ${max} (got ${show(value)}).`);
  return value;
}

function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], add: Add): T | undefined {
  const value = body[field];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) return add(field, `${field} must be one of ${allowed.join(' ')} (got ${show(value)}).`);
  return value as T;
}

function words(ms: number): string {
  if (ms === 0) return '0';
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${ms / MINUTE} minute${ms === MINUTE ? '' : 's'}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
