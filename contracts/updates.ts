/**
 * The shapes update management shares between its parts: a deployment (what to install where and
 * when), its occurrences (when the schedule fires), a run (one occurrence carried out), a machine
 * job (one machine's part of a run, or an "assess now" request), and the agent job protocol that
 * carries jobs to machines and progress back.
 *
 *   deployment ──schedule──► occurrence ──► run (CorrelationId) ──► machine job per target
 *                                              ▲                        │ long poll by the agent
 *                                              └── UpdateRunProgress ◄──┘ progress per update
 *
 * Names and states are the record tables' (docs/schema.md, generated from these lists and
 * language/schema/tables.ts); JSON field names are what the HTTP API speaks.
 */

export const osTypes = ['Windows', 'Linux'] as const;
export type OsType = (typeof osTypes)[number];

/** Update.UpdateState: available and not installed, installed (Linux: NotNeeded), installed (Windows). */
export const updateStates = ['Needed', 'NotNeeded', 'Installed'] as const;
export type UpdateState = (typeof updateStates)[number];

/** Update.MSRCSeverity, most severe first (Linux advisories use the same words). */
export const msrcSeverities = ['Critical', 'Important', 'Moderate', 'Low'] as const;

/** Update.RebootBehavior. */
export const rebootBehaviors = ['canrequestreboot', 'neverreboots'] as const;

export const windowsClassifications = [
  'Critical Updates',
  'Security Updates',
  'Update Rollups',
  'Feature Packs',
  'Service Packs',
  'Definition Updates',
  'Tools',
  'Updates',
] as const;
export const linuxClassifications = ['Critical Updates', 'Security Updates', 'Other Updates'] as const;
export type Classification = (typeof windowsClassifications)[number] | (typeof linuxClassifications)[number];

export const rebootOptions = ['IfRequired', 'Always', 'Never', 'RebootOnly'] as const;
export type RebootOption = (typeof rebootOptions)[number];

export const weekDays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type WeekDay = (typeof weekDays)[number];

/** The last minutes of a maintenance window are kept for the reboot: nothing starts after. */
export const REBOOT_RESERVE_MINUTES = 20;
export const MIN_WINDOW_MINUTES = 30;
export const MAX_WINDOW_MINUTES = 360;

/**
 * When a deployment fires again after its start. Intervals count in the schedule's time zone's
 * wall clock, so "every day at 02:00 Europe/Berlin" stays at 02:00 across DST changes.
 */
export type Recurrence =
  | { frequency: 'Once' }
  | { frequency: 'Hour'; interval: number }
  | { frequency: 'Day'; interval: number }
  | { frequency: 'Week'; interval: number; weekDays: WeekDay[] }
  /** `monthDays`: 1–31, or -1 for the last day; a day a month lacks is skipped that month. */
  | { frequency: 'Month'; interval: number; monthDays: number[] }
  /** e.g. the second Tuesday: `{ occurrence: 2, day: 'Tuesday' }`; -1 = the last one. */
  | { frequency: 'Month'; interval: number; monthlyOccurrence: { occurrence: 1 | 2 | 3 | 4 | -1; day: WeekDay } };

export interface Schedule {
  /** Local wall-clock time in `timeZone`, `YYYY-MM-DDTHH:mm` (no offset): the first occurrence. */
  startTime: string;
  /** IANA zone, e.g. "Europe/Berlin" or "UTC". */
  timeZone: string;
  recurrence: Recurrence;
  /** Optional local wall-clock end, same format: no occurrence after it. */
  expiryTime?: string;
}

/**
 * A computer group: a KQL query whose result has a `Computer` column, or the name of a saved
 * search that is one (saved searches arrive with their own issue; until then `query` is given).
 */
export interface GroupTarget {
  name: string;
  query?: string;
  savedSearch?: string;
}

export interface Targets {
  /** Explicit machines by Computer (FQDN). */
  machines: string[];
  /** Evaluated once when the deployment is created (the reference's behaviour); see `frozenGroups`. */
  groups: GroupTarget[];
  /** Beyond the reference: re-evaluated at every run. */
  dynamicGroups: GroupTarget[];
}

/** Rollout rings: machines are split in order into rings of these percentages (sum 100). */
export interface Rollout {
  ringPercents: number[];
  /** Stop before the next ring when more than this percentage of the current ring's machines failed. */
  failureThresholdPercent: number;
}

export interface Webhooks {
  /** POSTed (JSON: deployment, run) before a run's first machine starts; a non-2xx fails the run. */
  pre?: string;
  /** POSTed after the run ends, with its outcome. */
  post?: string;
}

/** What a user sends to create or replace a deployment. */
export interface DeploymentInput {
  name: string;
  os: OsType;
  classifications: Classification[];
  /** Windows: KB numbers, digits only; Linux: package names, `*` wildcards allowed. */
  excludedUpdates: string[];
  /** Optional allow-list, same forms as exclusions; empty = all that match the classifications. */
  includedUpdates: string[];
  targets: Targets;
  schedule: Schedule;
  windowMinutes: number;
  reboot: RebootOption;
  rollout?: Rollout;
  webhooks?: Webhooks;
  enabled: boolean;
}

export interface Deployment extends DeploymentInput {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** `targets.groups` evaluated at creation: group name → machines. */
  frozenGroups: Record<string, string[]>;
}

/** One validation problem: `field` is a JSON path into DeploymentInput, `message` names the fix. */
export interface ValidationProblem {
  field: string;
  message: string;
}

export const runStatuses = ['NotStarted', 'InProgress', 'Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** A machine's part of a run adds FailedToStart: it never picked its job up. */
export type MachineRunStatus = RunStatus | 'FailedToStart';

export const installationStatuses = [
  'NotStarted',
  'InProgress',
  'Succeeded',
  'Failed',
  'InstallFailed',
  'MaintenanceWindowExceeded',
  'NotIncluded',
  'Excluded',
] as const;
export type InstallationStatus = (typeof installationStatuses)[number];

/** An occurrence that fired: it became a run, or the server was down past its window. */
export type OccurrenceOutcome = 'Run' | 'Missed';

export interface Run {
  /** A guid; written as CorrelationId on every UpdateRunProgress row of the run. */
  id: string;
  deploymentId: string;
  /** The deployment's name at the time: UpdateRunName. */
  name: string;
  os: OsType;
  /** UTC ISO instants. */
  scheduledAt: string;
  windowEndsAt: string;
  status: RunStatus;
  startedAt?: string;
  endedAt?: string;
  machines: MachineRunSummary[];
}

export interface MachineRunSummary {
  computer: string;
  ring: number;
  status: MachineRunStatus;
  counts: Partial<Record<InstallationStatus, number>>;
}

// ---- The agent job protocol -------------------------------------------------------------------
// Agents sign these POSTs with the workspace's SharedKey like /api/logs (the signed path is the
// request path without its query string). JSON bodies both ways.
//
//   POST /api/agents/jobs/next                 NextJobRequest   → 200 AgentJob | 204 (no job before waitSeconds)
//   POST /api/agents/jobs/{jobId}/progress     JobProgress      → 200 { cancel: boolean }
//   POST /api/agents/jobs/{jobId}/complete     JobCompletion    → 200 {}
//
// The server writes each reported status change as an UpdateRunProgress row (through the same
// durable ingestion path as every record) before answering 200.

export interface NextJobRequest {
  computer: string;
  agentId: string;
  /** Long-poll bound; the server caps it at 30. */
  waitSeconds: number;
}

export type AgentJob = AssessJob | InstallJob;

/** "Assess now": rescan and send Update/UpdateSummary rows. */
export interface AssessJob {
  kind: 'assess';
  jobId: string;
}

export interface InstallJob {
  kind: 'install';
  jobId: string;
  runId: string;
  updateRunName: string;
  os: OsType;
  classifications: Classification[];
  excludedUpdates: string[];
  includedUpdates: string[];
  reboot: RebootOption;
  /** UTC ISO: nothing may start after windowEndsAt − REBOOT_RESERVE_MINUTES. */
  windowEndsAt: string;
}

/** One update's status change on the machine. */
export interface UpdateProgress {
  /** Windows: UpdateID and KBID; Linux: package name (+ arch) in `product`. */
  updateId?: string;
  kbId?: string;
  product?: string;
  productArch?: string;
  version?: string;
  title: string;
  classification?: string;
  status: InstallationStatus;
  errorResult?: string;
  startTime?: string;
  endTime?: string;
}

export interface JobProgress {
  updates: UpdateProgress[];
}

export interface JobCompletion {
  /** The machine's outcome; MaintenanceWindowExceeded when the window ran out. */
  status: 'Succeeded' | 'Failed' | 'MaintenanceWindowExceeded' | 'Canceled';
  rebooted: boolean;
  /** Why it failed, in words an operator can act on. */
  error?: string;
}

// ---- Compliance views (computed by KQL over the records) --------------------------------------

/** Worst missing update of a machine; "notAssessed" until its first assessment arrives. */
export type WorstMissing = 'critical' | 'security' | 'other' | 'upToDate' | 'notAssessed';
export type Readiness = 'Ready' | 'Disconnected' | 'NotConfigured';

export interface MachineCompliance {
  computer: string;
  osType: OsType | '';
  osName: string;
  /** False when it misses any non-optional Critical or Security update. */
  compliant: boolean;
  worstMissing: WorstMissing;
  readiness: Readiness;
  lastHeartbeat?: string;
  lastAssessment?: string;
  missing: { critical: number; security: number; other: number };
  restartPending: boolean;
}

export interface MissingUpdate {
  /** Windows: UpdateID; Linux: `<product>|<arch>`. */
  key: string;
  title: string;
  osType: OsType;
  kbId?: string;
  product?: string;
  productArch?: string;
  version?: string;
  classification: string;
  severity?: string;
  cves: string[];
  publishedDate?: string;
  machines: number;
}

// ---- HTTP API of update management (bearer: reader for GET, operator for changes) -------------
//   GET    /api/compliance/machines            → { query: string, machines: MachineCompliance[] }
//   GET    /api/compliance/updates             → { query: string, updates: MissingUpdate[] }
//   POST   /api/machines/{computer}/assess     → 202 { jobId }            (the agent rescans at its next poll)
//   GET    /api/deployments                    → { deployments: Deployment[] }
//   POST   /api/deployments  DeploymentInput   → 201 Deployment | 400 { error: { code: "InvalidDeployment", message, problems: ValidationProblem[] } }
//   GET    /api/deployments/{id}               → Deployment          PUT (DeploymentInput) → Deployment     DELETE → 204
//   GET    /api/deployments/{id}/occurrences?count=N → { occurrences: string[] }   (next UTC instants, for the form)
//   GET    /api/deployments/{id}/runs          → { runs: Run[] }  (newest first)
//   GET    /api/runs/{runId}                   → Run
//   GET    /api/runs/{runId}/machines/{computer} → { updates: UpdateProgress[] }  (latest status per update)
//   POST   /api/runs/{runId}/cancel            → 202 Run
