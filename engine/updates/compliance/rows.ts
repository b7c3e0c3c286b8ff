/** Query result rows → the contract's view rows (by column name, so the .kql may reorder columns). */
import type { QueryResult, ResultValue } from '../../execute/result.js';
import type { MachineCompliance, MissingUpdate, OsType, Readiness, WorstMissing } from '../contract.js';

type Row = (name: string) => ResultValue;

function rowReaders(result: QueryResult): Row[] {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  return result.rows.map((row) => (name: string) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`The compliance query lost its ${name} column; check the .kql beside rows.ts.`);
    return row[i] ?? null;
  });
}

const text = (v: ResultValue): string => (v === null || v === undefined ? '' : String(v));
const count = (v: ResultValue): number => (v === null ? 0 : Number(v));
const osType = (v: ResultValue): OsType | '' => (v === 'Windows' || v === 'Linux' ? v : '');

function optional<K extends string>(key: K, v: ResultValue): Partial<Record<K, string>> {
  const s = text(v);
  return s === '' ? {} : ({ [key]: s } as Record<K, string>);
}

export function machineRows(result: QueryResult): MachineCompliance[] {
  return rowReaders(result).map((get) => ({
    computer: text(get('Computer')),
    osType: osType(get('OSType')),
    osName: text(get('OSName')),
    compliant: get('Compliant') === true,
    worstMissing: text(get('WorstMissing')) as WorstMissing,
    readiness: text(get('Readiness')) as Readiness,
    ...optional('lastHeartbeat', get('LastHeartbeat')),
    ...optional('lastAssessment', get('LastAssessment')),
    missing: { critical: count(get('Critical')), security: count(get('Security')), other: count(get('Other')) },
    restartPending: get('RestartPending') === true,
  }));
}

export function updateRows(result: QueryResult): MissingUpdate[] {
  return rowReaders(result).map((get) => ({
    key: text(get('Key')),
    title: text(get('Title')),
    osType: osType(get('OSType')) || 'Linux',
    ...optional('kbId', get('KBID')),
    ...optional('product', get('Product')),
    ...optional('productArch', get('ProductArch')),
    ...optional('version', get('Version')),
    classification: text(get('Classification')),
    ...optional('severity', get('Severity')),
    cves: splitCves(text(get('CVENumbers'))),
    ...optional('publishedDate', get('PublishedDate')),
    machines: count(get('Machines')),
  }));
}

/** CVENumbers is a comma-separated list (SCHEMA.md); some senders separate with spaces too. */
export function splitCves(value: string): string[] {
  return [...new Set(value.split(/[,\s]+/).map((s) => s.trim()).filter((s) => s !== ''))];
}
