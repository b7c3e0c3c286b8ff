/**
 * The KQL of the compliance views: the readable .kql files beside this one, plus the `where`
 * lines of the filters a caller chose. The text returned is exactly what runs, so opening it in
 * log search shows the same rows. Filter values are checked against fixed lists before they
 * reach the text, so user input never becomes KQL.
 */
import { readFileSync } from 'node:fs';
import { linuxClassifications, windowsClassifications, type OsType, type WorstMissing, type Readiness } from '../../../contracts/updates.js';
import { packageFile } from '../../package-files.js';

const machinesText = readFileSync(packageFile('app/updates/compliance/machines.kql'), 'utf8').trimEnd();
const updatesText = readFileSync(packageFile('app/updates/compliance/updates.kql'), 'utf8').trimEnd();

export const osTypes: readonly OsType[] = ['Windows', 'Linux'];
export const worstMissingValues: readonly WorstMissing[] = ['critical', 'security', 'other', 'upToDate', 'notAssessed'];
/** `compliance=` accepts a worst-missing value or one of these two groups. */
export const complianceFilters = ['compliant', 'noncompliant', ...worstMissingValues] as const;
export type ComplianceFilter = (typeof complianceFilters)[number];
export const readinessValues: readonly Readiness[] = ['Ready', 'Disconnected', 'NotConfigured'];
export const classificationValues: readonly string[] = [...new Set<string>([...windowsClassifications, ...linuxClassifications])];

export interface MachineFilters {
  os?: OsType;
  compliance?: ComplianceFilter;
  readiness?: Readiness;
}

export interface UpdateFilters {
  os?: OsType;
  classification?: string;
}

/** The machines view, sorted worst first, then by name. */
export function machinesQuery(filters: MachineFilters = {}): string {
  const lines = [machinesText];
  if (filters.os) lines.push(`| where OSType == ${kqlString(filters.os)}`);
  if (filters.compliance === 'compliant') lines.push('| where Compliant');
  else if (filters.compliance === 'noncompliant') lines.push('| where not(Compliant) and WorstMissing != "notAssessed"');
  else if (filters.compliance) lines.push(`| where WorstMissing == ${kqlString(filters.compliance)}`);
  if (filters.readiness) lines.push(`| where Readiness == ${kqlString(filters.readiness)}`);
  lines.push('| sort by Critical desc, Security desc, Other desc, Computer asc');
  return `${lines.join('\n')}\n`;
}

/** The missing-updates view, the updates most machines miss first. */
export function updatesQuery(filters: UpdateFilters = {}): string {
  const lines = [updatesText];
  if (filters.os) lines.push(`| where OSType == ${kqlString(filters.os)}`);
  if (filters.classification) lines.push(`| where Classification == ${kqlString(filters.classification)}`);
  lines.push('| sort by Machines desc, Title asc, Key asc');
  return `${lines.join('\n')}\n`;
}

/** The values reach here already checked against the lists above; quoting is belt and braces. */
function kqlString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export type FilterParse<T> = { ok: true; filters: T } | { ok: false; message: string };

/** Reads `os`, `compliance`, `readiness` (e.g. from a query string); unknown values are refused with the valid ones. */
export function parseMachineFilters(input: Record<string, string | undefined>): FilterParse<MachineFilters> {
  const filters: MachineFilters = {};
  const problems: string[] = [];
  pick(input.os, 'os', osTypes, problems, (v) => (filters.os = v));
  pick(input.compliance, 'compliance', complianceFilters, problems, (v) => (filters.compliance = v));
  pick(input.readiness, 'readiness', readinessValues, problems, (v) => (filters.readiness = v));
  return problems.length > 0 ? { ok: false, message: problems.join(' ') } : { ok: true, filters };
}

/** Reads `os` and `classification`; a classification must be one the OS has when both are given. */
export function parseUpdateFilters(input: Record<string, string | undefined>): FilterParse<UpdateFilters> {
  const filters: UpdateFilters = {};
  const problems: string[] = [];
  pick(input.os, 'os', osTypes, problems, (v) => (filters.os = v));
  pick(input.classification, 'classification', classificationValues, problems, (v) => (filters.classification = v));
  if (filters.os && filters.classification) {
    const valid: readonly string[] = filters.os === 'Windows' ? windowsClassifications : linuxClassifications;
    if (!valid.includes(filters.classification)) {
      problems.push(`classification '${filters.classification}' does not exist for ${filters.os}; use one of: ${valid.join(', ')}.`);
    }
  }
  return problems.length > 0 ? { ok: false, message: problems.join(' ') } : { ok: true, filters };
}

function pick<T extends string>(value: string | undefined, name: string, allowed: readonly T[], problems: string[], set: (v: T) => void): void {
  if (value === undefined || value === '') return;
  // Case-insensitive, as people type "windows" or "Compliant" in a URL.
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found) set(found);
  else problems.push(`${name} '${value}' is not valid; use one of: ${allowed.join(', ')}.`);
}
