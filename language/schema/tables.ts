/**
 * The record tables: one catalogue used by the resolver, the stores' DDL, ingestion validation
 * and the sample generator. docs/schema.md is generated from it (`npm run docs:schema`).
 */
import type { Column, ScalarType, TableSchema } from './types.js';

const cloudColumns = ['Resource', 'ResourceGroup', 'ResourceId', 'ResourceProvider', 'ResourceType', 'SubscriptionId'];

function cols(type: ScalarType, names: string[]): Column[] {
  return names.map((name) => ({ name, type }));
}

/** Every table also has TenantId and Type (the table's name). */
function table(name: string, description: string, columns: Column[]): TableSchema {
  return { name, description, columns: [...columns, ...cols('string', ['TenantId', 'Type'])] };
}

const heartbeat = table('Heartbeat', 'One row per agent heartbeat (every minute).', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['Computer', 'SourceComputerId', 'Category', 'ComputerEnvironment', 'ComputerIP']),
  { name: 'ComputerPrivateIPs', type: 'dynamic' },
  { name: 'IsGatewayInstalled', type: 'bool' },
  ...cols('string', [
    'ManagementGroupName',
    'OSType',
    'OSName',
    'OSMajorVersion',
    'OSMinorVersion',
    'Version',
    'SCAgentChannel',
    'Solutions',
    'SourceSystem',
    'RemoteIPCountry',
  ]),
  ...cols('real', ['RemoteIPLatitude', 'RemoteIPLongitude']),
  ...cols('string', [...cloudColumns, 'VMUUID']),
]);

const update = table('Update', 'One row per (machine, update) per assessment.', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['Computer', 'SourceComputerId', 'OSType', 'OSName', 'OSVersion', 'OSFullName']),
  ...cols('string', ['Title', 'KBID', 'UpdateID', 'RevisionNumber', 'Product', 'ProductArch', 'ProductVersion']),
  ...cols('string', ['Classification', 'UpdateState', 'MSRCSeverity', 'MSRCBulletinID', 'BulletinID', 'BulletinUrl']),
  { name: 'Optional', type: 'bool' },
  { name: 'Approved', type: 'bool' },
  ...cols('string', ['ApprovalSource']),
  { name: 'PublishedDate', type: 'datetime' },
  ...cols('string', ['RebootBehavior', 'PackageRepository', 'PackageSeverity', 'CVENumbers']),
  { name: 'InstallTimeAvailable', type: 'bool' },
  ...cols('real', ['InstallTimeDeviationRangeSeconds', 'InstallTimePredictionSeconds']),
  ...cols('string', ['ComputerEnvironment', 'ManagementGroupName', 'SourceSystem', ...cloudColumns, 'VMUUID']),
]);

const updateSummary = table('UpdateSummary', 'One row per machine per assessment.', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['Computer', 'SourceComputerId', 'OsVersion']),
  ...cols('int', [
    'CriticalUpdatesMissing',
    'SecurityUpdatesMissing',
    'OtherUpdatesMissing',
    'TotalUpdatesMissing',
    'OldestMissingSecurityUpdateInDays',
  ]),
  ...cols('string', ['OldestMissingSecurityUpdateBucket']),
  { name: 'RestartPending', type: 'bool' },
  ...cols('string', ['WindowsUpdateSetting', 'WSUSServer', 'WindowsUpdateAgentVersion', 'NETRuntimeVersion']),
  ...cols('string', ['ComputerEnvironment', 'ManagementGroupName', 'SourceSystem', ...cloudColumns, 'VMUUID']),
]);

const updateRunProgress = table('UpdateRunProgress', 'One row per (run, machine, update) status change.', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['UpdateRunName', 'CorrelationId', 'Computer', 'SourceComputerId', 'OSType']),
  ...cols('string', ['Title', 'KBID', 'Product', 'UpdateId', 'InstallationStatus', 'ErrorResult']),
  ...cols('datetime', ['StartTime', 'EndTime']),
  { name: 'SucceededOnRetry', type: 'bool' },
  ...cols('string', ['ComputerEnvironment', 'ManagementGroupName', 'SourceSystem', ...cloudColumns, 'VMUUID']),
]);

const event = table('Event', 'One row per event-log entry.', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['Computer', 'EventLog', 'Source']),
  { name: 'EventLevel', type: 'int' },
  { name: 'EventLevelName', type: 'string' },
  { name: 'EventID', type: 'int' },
  ...cols('string', ['RenderedDescription', 'UserName', 'SourceSystem', 'ManagementGroupName']),
]);

/** Written by the alert evaluator (app/alerts): one row per alert instance per evaluated period. */
const alertEvaluation = table('AlertEvaluation', 'One row per alert instance per evaluated period (and per skipped span).', [
  { name: 'TimeGenerated', type: 'datetime' },
  ...cols('string', ['RuleId', 'RuleName']),
  { name: 'Instance', type: 'dynamic' },
  // Every record names a machine: the instance's Computer dimension, else the server that evaluated.
  { name: 'Computer', type: 'string' },
  ...cols('string', ['State', 'PreviousState']),
  { name: 'StateChanged', type: 'bool' },
  ...cols('real', ['Value', 'Threshold']),
  { name: 'Operator', type: 'string' },
  { name: 'Severity', type: 'int' },
  ...cols('string', ['Reason', 'Notification']),
  ...cols('datetime', ['PeriodStart', 'PeriodEnd']),
]);

export const recordTables: readonly TableSchema[] = [heartbeat, update, updateSummary, updateRunProgress, event, alertEvaluation];

export function findTable(name: string): TableSchema | undefined {
  return recordTables.find((t) => t.name === name);
}

/** Anything that can answer "which tables exist" — the record tables, or a live store's view. */
export interface Catalog {
  table(name: string): TableSchema | undefined;
  tableNames(): string[];
  /** Stored functions (saved searches) by name: KQL bodies a query can use like a table, `F` or `F()`. */
  functions?: ReadonlyMap<string, StoredFunction>;
}

/** A stored function's KQL text (let statements and a query); expanded where it is named. */
export interface StoredFunction {
  body: string;
  description?: string;
}

export const recordCatalog: Catalog = {
  table: findTable,
  tableNames: () => recordTables.map((t) => t.name),
};
