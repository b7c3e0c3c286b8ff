/** What `upkeep alert list|show|create|delete|instances|evaluate` do (their flags are in alert-command.ts). */
import { readFileSync } from 'node:fs';
import type { AlertInstance, AlertRule, EvaluationPreview, Problem } from '../contracts/alerts.js';
import { textTable } from './server-connection.js';

export interface ApiFlags {
  server: string;
  token?: string;
  format: 'table' | 'json';
}

export interface CreateFlags extends ApiFlags {
  file: string;
  name?: string;
  webhook?: string[];
  disabled?: boolean;
}

class AlertApiError extends Error {
  constructor(message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

export function list(flags: ApiFlags): Promise<void> {
  return run(async () => {
    const rules = ((await api(flags, 'GET', '/api/alert-rules')) as { alertRules: AlertRule[] }).alertRules;
    if (flags.format === 'json') return print(JSON.stringify(rules, null, 2));
    if (rules.length === 0) return print('No alert rules. Create one with `upkeep alert create --file samples/alert-rules/automatic-updates-disabled.json`.');
    print(textTable(['Id', 'Name', 'Enabled', 'Every', 'Condition', 'Severity'], rules.map((r) => [r.id, r.name, r.enabled ? 'yes' : 'no', r.frequency, condition(r), String(r.severity)])));
  });
}

export function show(idOrName: string, flags: ApiFlags): Promise<void> {
  return run(async () => print(JSON.stringify(await api(flags, 'GET', `/api/alert-rules/${encodeURIComponent(idOrName)}`), null, 2)));
}

export function create(flags: CreateFlags): Promise<void> {
  return run(async () => {
    const body = { ...readRule(flags.file), ...(flags.name ? { name: flags.name } : {}), ...(flags.webhook ? { actions: { webhooks: flags.webhook } } : {}), ...(flags.disabled ? { enabled: false } : {}) };
    const created = (await api(flags, 'POST', '/api/alert-rules', body)) as AlertRule;
    print(flags.format === 'json' ? JSON.stringify(created, null, 2) : `Created alert rule "${created.name}" (${created.id}): ${condition(created)}, every ${created.frequency}.`);
  });
}

export function remove(idOrName: string, flags: ApiFlags): Promise<void> {
  return run(async () => {
    const rule = (await api(flags, 'GET', `/api/alert-rules/${encodeURIComponent(idOrName)}`)) as AlertRule;
    await api(flags, 'DELETE', `/api/alert-rules/${encodeURIComponent(rule.id)}`);
    print(`Deleted alert rule "${rule.name}" (${rule.id}).`);
  });
}

export function instances(idOrName: string, flags: ApiFlags): Promise<void> {
  return run(async () => {
    const found = ((await api(flags, 'GET', `/api/alert-rules/${encodeURIComponent(idOrName)}/instances`)) as { instances: AlertInstance[] }).instances;
    if (flags.format === 'json') return print(JSON.stringify(found, null, 2));
    if (found.length === 0) return print('No instances yet: the rule has not evaluated a period, or nothing matched.');
    print(textTable(['Instance', 'State', 'Value', 'Since', 'Reason'], found.map((i) => [dimensions(i.dimensions), i.state, i.value === null ? '' : String(i.value), i.changedAt, i.reason])));
  });
}

export function evaluate(idOrName: string, flags: ApiFlags): Promise<void> {
  return run(async () => {
    const preview = (await api(flags, 'POST', `/api/alert-rules/${encodeURIComponent(idOrName)}/evaluate`)) as EvaluationPreview;
    if (flags.format === 'json') return print(JSON.stringify(preview, null, 2));
    print(textTable(['Instance', 'State', 'Value', 'Reason'], preview.instances.map((i) => [dimensions(i.dimensions), i.state, i.value === null ? '' : String(i.value), i.outcome])));
  });
}

async function api(flags: ApiFlags, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = flags.token ?? process.env.UPKEEP_TOKEN;
  if (!token) throw new AlertApiError('No token: pass --token or set UPKEEP_TOKEN (create one with `upkeep token create --role operator`; reader is enough to list and show).');
  let response: Response;
  try {
    response = await fetch(`${flags.server.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new AlertApiError(`Cannot reach the Upkeep server at ${flags.server} (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}): start it with \`upkeep serve\`, or pass --server <url>.`);
  }
  const text = await response.text();
  if (response.ok) return text === '' ? undefined : (JSON.parse(text) as unknown);
  let answer: { error?: { code?: string; message?: string; problems?: Problem[] } } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not JSON: the status says enough
  }
  throw new AlertApiError(`${answer.error?.code ?? `HTTP ${response.status}`}: ${answer.error?.message ?? text}`, answer.error?.problems ?? []);
}

function readRule(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AlertApiError(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path given to --file.`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new AlertApiError(`${path} is not a JSON object with an alert rule (${(error as Error).message}).`);
  }
}

/** Refusals print their problems one per line and exit 1. */
async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AlertApiError)) throw error;
    process.stderr.write(`upkeep: ${error.message}\n${error.problems.map((p) => `  ${p.field || '(rule)'}: ${p.message}\n`).join('')}`);
    process.exitCode = 1;
  }
}

function condition(rule: AlertRule): string {
  const measure = rule.measure.kind === 'rowCount' ? 'rows' : `${rule.measure.aggregation}(${rule.measure.column})`;
  const by = rule.dimensions.length > 0 ? ` by ${rule.dimensions.join(', ')}` : '';
  return `${measure} ${rule.operator} ${rule.threshold}${by}, ${rule.failingPeriods} of ${rule.evaluationPeriods}`;
}

function dimensions(values: Record<string, unknown>): string {
  const entries = Object.entries(values);
  return entries.length === 0 ? '(rule)' : entries.map(([k, v]) => `${k}=${String(v)}`).join(' ');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
