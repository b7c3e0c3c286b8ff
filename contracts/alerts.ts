/**
 * Scheduled alert rules: a KQL query (or a saved search) evaluated once per period, a measure
 * compared with a threshold, one alert instance per combination of dimension values.
 *
 * HTTP API (bearer: reader to read, operator/admin to change):
 *   GET    /api/alert-rules                      → { alertRules: AlertRule[] }
 *   POST   /api/alert-rules  AlertRuleInput      → 201 AlertRule | 400 InvalidAlertRule { problems } | 409 AlertRuleNameTaken
 *   GET    /api/alert-rules/{id}                 → AlertRule | 404 AlertRuleNotFound
 *   PUT    /api/alert-rules/{id}  AlertRuleInput → AlertRule | 400 | 404 | 409
 *   DELETE /api/alert-rules/{id}                 → 204 | 404
 *   GET    /api/alert-rules/{id}/instances       → { instances: AlertInstance[] }
 *   POST   /api/alert-rules/{id}/evaluate        → EvaluationPreview (a dry run: nothing stored, nobody notified)
 * `{id}` also accepts the rule's name.
 */

export const comparisonOperators = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

export const aggregations = ['count', 'avg', 'min', 'max', 'sum'] as const;
export type Aggregation = (typeof aggregations)[number];

/** Number of rows, or an aggregate of a numeric column of the query's result. */
export type Measure = { kind: 'rowCount' } | { kind: 'column'; aggregation: Aggregation; column: string };

export interface AlertRuleInput {
  name: string;
  description?: string;
  /** Exactly one of savedSearchId (id or name of a saved search) and query. */
  savedSearchId?: string;
  query?: string;
  /** ISO 8601 duration, e.g. "PT5M"; 1 minute to 24 hours, a whole number of minutes. */
  frequency: string;
  /** ISO 8601 duration: the time range the query sees, ending at the period's end. */
  lookback: string;
  measure: Measure;
  operator: ComparisonOperator;
  threshold: number;
  /** Fire when at least `failingPeriods` of the last `evaluationPeriods` periods fail (M of N). */
  failingPeriods: number;
  evaluationPeriods: number;
  /** Up to 6 result columns: each combination of their values is its own alert instance. */
  dimensions: string[];
  /** 0 (critical) to 4 (verbose), as the reference numbers them. */
  severity: number;
  /** A firing instance resolves after this many clear periods in a row. */
  autoResolveAfter: number;
  /** ISO 8601 duration ("PT0S" for none): after notifying, an instance stays silent this long. */
  muteFor: string;
  enabled: boolean;
  actions: { webhooks: string[] };
}

export interface AlertRule extends AlertRuleInput {
  id: string;
  description: string;
  /** UTC ISO instants. */
  createdAt: string;
  updatedAt: string;
}

/**
 * Normal: clear. Pending: failing, but fewer than M of the last N periods. Firing: M of N failed
 * and it has not resolved yet. Resolved: the period it resolved in. NoData: the measure needs
 * rows and there were none. Error: the query could not run (Reason says why).
 */
export const alertStates = ['Normal', 'Pending', 'Firing', 'Resolved', 'NoData', 'Error'] as const;
export type AlertState = (typeof alertStates)[number];

/** What an instance remembers between periods (persisted). */
export interface AlertInstance {
  ruleId: string;
  /** JSON of the dimension values in the rule's order; "{}" for a rule without dimensions (and for rule-wide errors). */
  key: string;
  dimensions: Record<string, DimensionValue>;
  state: AlertState;
  /** Whether each of the last N periods failed, oldest first. */
  history: boolean[];
  /** An alert is open: fired and not resolved yet (kept through NoData and Error). */
  firing: boolean;
  clearStreak: number;
  value: number | null;
  reason: string;
  /** Until when notifications are held back (UTC ISO), after one was sent. */
  mutedUntil?: string;
  changedAt: string;
  evaluatedAt: string;
  periodEnd: string;
}

export type DimensionValue = string | number | boolean | null;

export interface Problem {
  field: string;
  message: string;
}

/** One AlertEvaluation record, as ingested. */
export interface AlertEvaluationRow {
  TimeGenerated: string;
  RuleId: string;
  RuleName: string;
  Instance: Record<string, DimensionValue>;
  /** The instance's Computer dimension, else the evaluating server's host name (every record names a machine). */
  Computer: string;
  State: AlertState | 'Skipped';
  PreviousState: string;
  StateChanged: boolean;
  Value?: number;
  Threshold: number;
  Operator: string;
  Severity: number;
  Reason: string;
  PeriodStart: string;
  PeriodEnd: string;
  Notification: string;
}

/** The JSON a webhook receives. */
export interface AlertNotification {
  schemaId: 'upkeep.alert/1';
  rule: { id: string; name: string; description: string; severity: number; operator: string; threshold: number; measure: Measure };
  instance: Record<string, DimensionValue>;
  state: 'Firing' | 'Resolved';
  previousState: AlertState;
  value: number | null;
  period: { start: string; end: string };
  /** The search in the workbench: `/search?q=…` (relative to the server's address when no public URL is known). */
  link: string;
  firedAt: string;
}

export interface EvaluationPreview {
  rule: { id: string; name: string };
  period: { start: string; end: string };
  instances: { dimensions: Record<string, DimensionValue>; value: number | null; outcome: string; state: AlertState; previousState: AlertState | '' }[];
  error?: string;
}
