/**
 * Writes docs/schema.md from the code: the record tables' columns and types from
 * language/schema/tables.ts, the values of enumerated columns from the lists the code uses
 * (contracts/, the agent, the sample generator). schema-doc.test.ts fails when the file and
 * the code disagree. Regenerate after changing either: `npm run docs:schema`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { securityAgeBucket } from '../../agent/assessment.js';
import { alertStates } from '../../contracts/alerts.js';
import {
  installationStatuses,
  linuxClassifications,
  msrcSeverities,
  osTypes,
  rebootBehaviors,
  rebootOptions,
  runStatuses,
  updateStates,
  windowsClassifications,
} from '../../contracts/updates.js';
import { recordTables } from '../../language/schema/tables.js';
import type { TableSchema } from '../../language/schema/types.js';
import { eventLevelNames } from '../../samples/event-templates.js';

export const schemaDocPath = fileURLToPath(new URL('../../docs/schema.md', import.meta.url));

const list = (values: readonly (string | number)[]) => values.map((v) => `\`${v}\``).join(', ');
const distinct = <T>(values: T[]) => [...new Set(values)];

/** What the code says about some columns of each table: their values, and how they are filled. */
const notes: Record<string, string[]> = {
  Heartbeat: [
    `OSType: ${list(osTypes)}.`,
    'Resource, ResourceGroup, ResourceId, ResourceProvider, ResourceType, SubscriptionId and the RemoteIP* columns exist so that queries written for the cloud product still resolve; the Upkeep agent leaves them empty.',
  ],
  Update: [
    `Classification, Windows: ${list(windowsClassifications)}; Linux: ${list(linuxClassifications)}.`,
    `UpdateState: ${list(updateStates)} (\`Needed\`: available, not installed; \`NotNeeded\`: a Linux package already installed; \`Installed\`: a Windows update installed).`,
    `MSRCSeverity: ${list(msrcSeverities)}. RebootBehavior: ${list(rebootBehaviors)}.`,
    'A Windows update is identified by UpdateID (and KBID, digits only); a Linux package by Product (the package name) and ProductArch, ProductVersion being the version on offer and PackageRepository where it comes from.',
    'CVENumbers: CVE ids separated by commas (spaces are accepted too when read).',
  ],
  UpdateSummary: [
    `OldestMissingSecurityUpdateBucket: ${list(distinct(Array.from({ length: 400 }, (_, days) => securityAgeBucket(days))))}.`,
    'Filled for Windows and Linux machines alike; RestartPending on Linux comes from the distribution\'s reboot-required signal.',
  ],
  UpdateRunProgress: [
    `InstallationStatus: ${list(installationStatuses)}.`,
    'CorrelationId is the run\'s id; UpdateRunName the deployment\'s name.',
  ],
  Event: [`EventLevel → EventLevelName: ${Object.entries(eventLevelNames).map(([level, name]) => `${level} \`${name}\``).join(', ')}.`],
  AlertEvaluation: [`State and PreviousState: ${list(alertStates)}.`, 'Written by the alert evaluator, one row per alert instance per evaluated period.'],
};

function tableSection(table: TableSchema): string {
  const rows = table.columns.map((c) => `| ${c.name} | ${c.type} |`);
  const tableNotes = (notes[table.name] ?? []).map((n) => `- ${n}`);
  return [`## ${table.name}`, '', table.description ?? '', '', '| column | type |', '|---|---|', ...rows, ...(tableNotes.length > 0 ? ['', ...tableNotes] : []), ''].join('\n');
}

export function schemaDoc(): string {
  return [
    '# Record tables',
    '',
    '<!-- Generated from the code by `npm run docs:schema` (test/docs/schema-doc.ts); test/docs/schema-doc.test.ts fails when they disagree. Change the code, then regenerate. -->',
    '',
    'The tables agents write and queries read, as `language/schema/tables.ts` defines them for the',
    'resolver, the store DDL, ingestion and the sample generator. Types are Kusto\'s. Every table ends',
    'with `TenantId` and `Type` (the table\'s name), which the server fills. A missing string is `""`,',
    'never null.',
    '',
    ...recordTables.map(tableSection),
    '## States that are not columns',
    '',
    `- A run's status: ${list(runStatuses)}; a machine's part of a run may also be \`FailedToStart\`.`,
    `- A deployment's reboot option: ${list(rebootOptions)} (\`IfRequired\` by default).`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(schemaDocPath, schemaDoc());
  console.log(`wrote ${schemaDocPath}`);
}
