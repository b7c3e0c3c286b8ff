/**
 * Selecting a machine, an update or a run opens the log search with its query filled in, as the
 * reference does: the link is a /search URL (search/url-state.ts) so it can be shared.
 */
import type { MissingUpdate } from '../../../../contracts/updates.js';
import { searchUrl } from '../../search/url-state.js';

const kql = (text: string) => JSON.stringify(text);

export function machineQuery(computer: string): string {
  return `Update\n| where Computer == ${kql(computer)} and UpdateState == "Needed"\n| summarize arg_max(TimeGenerated, *) by Computer, Title\n| project TimeGenerated, Title, Classification, KBID, Product, ProductVersion, MSRCSeverity`;
}

export function updateQuery(update: Pick<MissingUpdate, 'osType' | 'kbId' | 'key' | 'product' | 'productArch' | 'title'>): string {
  const match =
    update.osType === 'Linux' && update.product
      ? `Product == ${kql(update.product)}${update.productArch ? ` and ProductArch == ${kql(update.productArch)}` : ''}`
      : update.kbId
        ? `KBID == ${kql(update.kbId)}`
        : `UpdateID == ${kql(update.key)}`;
  return `Update\n| where ${match} and UpdateState == "Needed"\n| summarize arg_max(TimeGenerated, *) by Computer\n| project Computer, TimeGenerated, Title, Classification, OSType`;
}

export function runQuery(runId: string, computer?: string): string {
  const machine = computer ? ` and Computer == ${kql(computer)}` : '';
  return `UpdateRunProgress\n| where CorrelationId == ${kql(runId)}${machine}\n| summarize arg_max(TimeGenerated, *) by Computer, Title\n| project Computer, Title, InstallationStatus, ErrorResult, StartTime, EndTime`;
}

/** The log search URL for a query over the last 30 days (assessments and runs are daily or rarer). */
export function searchLink(query: string): string {
  return searchUrl({ query, range: { kind: 'preset', id: '30d' } });
}
