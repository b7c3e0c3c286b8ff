/** The alert rules API (contracts/alerts.ts) with the signed-in token, and the AlertEvaluation records by KQL. */
import type { AlertInstance, AlertRule, EvaluationPreview } from '../../../../contracts/alerts.js';
import { apiFetch, apiJson } from '../../lib/api.js';
import { callWithOutcome, type Outcome } from '../saved/api-outcome.js';

const path = (id: string): string => `/api/alert-rules/${encodeURIComponent(id)}`;

export const listAlertRules = async (): Promise<AlertRule[]> => (await apiJson<{ alertRules: AlertRule[] }>('/api/alert-rules')).alertRules;
export const getAlertRule = (id: string): Promise<Outcome<AlertRule>> => callWithOutcome<AlertRule>(path(id));
/** The body is sent as the form made it: the server checks every field and says what to change. */
export const createAlertRule = (body: Record<string, unknown>): Promise<Outcome<AlertRule>> => callWithOutcome<AlertRule>('/api/alert-rules', { method: 'POST', body: JSON.stringify(body) });
export const replaceAlertRule = (id: string, body: Record<string, unknown>): Promise<Outcome<AlertRule>> => callWithOutcome<AlertRule>(path(id), { method: 'PUT', body: JSON.stringify(body) });
export const deleteAlertRule = (id: string): Promise<Outcome<void>> => callWithOutcome<void>(path(id), { method: 'DELETE' });
export const instancesOf = async (id: string): Promise<AlertInstance[]> => (await apiJson<{ instances: AlertInstance[] }>(`${path(id)}/instances`)).instances;
export const evaluateNow = (id: string): Promise<Outcome<EvaluationPreview>> => callWithOutcome<EvaluationPreview>(`${path(id)}/evaluate`, { method: 'POST' });

/** The KQL behind "Recent evaluations" (also the query the page opens in log search). */
export function evaluationsQuery(ruleId: string, days = 7, rows = 100): string {
  return [
    'AlertEvaluation',
    `| where TimeGenerated > ago(${days}d) and RuleId == ${JSON.stringify(ruleId)}`,
    // Newest period first: one tick can evaluate several periods at the same TimeGenerated.
    '| order by PeriodEnd desc, TimeGenerated desc',
    `| take ${rows}`,
    '| project TimeGenerated, PeriodStart, PeriodEnd, Instance, State, PreviousState, StateChanged, Value, Reason, Notification',
  ].join('\n');
}

export interface QueryTable {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** A query through the query API, as JSON (small answers: a few hundred rows at most). */
export async function queryJson(query: string): Promise<QueryTable> {
  const response = await apiFetch('/api/query', { method: 'POST', body: JSON.stringify({ query }) });
  const answer = (await response.json()) as { tables: QueryTable[] };
  return answer.tables[0] ?? { columns: [], rows: [] };
}

/** State counts over a rule's instances, most urgent first: e.g. "2 Firing · 1 Pending". */
export function stateSummary(instances: readonly AlertInstance[]): { state: string; count: number }[] {
  const order = ['Firing', 'Error', 'Pending', 'NoData', 'Resolved', 'Normal'];
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.state, (counts.get(i.state) ?? 0) + 1);
  return order.filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state)! }));
}
