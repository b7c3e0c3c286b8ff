/**
 * An assessment's result and the records it becomes: one Update row per needed update and
 * one UpdateSummary row (for Linux too — the reference lacks it).
 */
import type { UpdateState } from '../contracts/updates.js';
import type { LogRecord } from './records.js';
import type { MachineIdentity } from './machine-info.js';
import type { AvailableUpdate, PackageManager } from './package-managers/types.js';

/** One needed update, in the Update table's terms. Optional fields are omitted when unknown. */
export interface AssessedUpdate {
  title: string;
  product: string;
  productArch: string;
  productVersion: string;
  classification: string;
  packageRepository?: string;
  packageSeverity?: string;
  cveNumbers?: string;
  kbid?: string;
  updateId?: string;
  revisionNumber?: string;
  msrcSeverity?: string;
  optional?: boolean;
  approved?: boolean;
  approvalSource?: string;
  publishedMs?: number;
  rebootBehavior?: string;
}

export interface WindowsUpdateSettings {
  windowsUpdateSetting: string;
  wsusServer: string;
  windowsUpdateAgentVersion: string;
  netRuntimeVersion: string;
}

export interface AssessmentResult {
  updates: AssessedUpdate[];
  restartPending: boolean;
  windows?: WindowsUpdateSettings;
}

export interface Assessor {
  assess(nowMs: number): Promise<AssessmentResult>;
  /** "A reboot is needed", without a full scan. */
  restartPending?(): Promise<boolean>;
  /**
   * Windows: when updates were last installed (the agent rescans when it changes, checked
   * every 15 minutes); undefined when the source does not say.
   */
  lastInstallTime?(nowMs: number): Promise<number | undefined>;
}

export function linuxAssessor(packageManager: PackageManager): Assessor {
  return {
    async assess() {
      const [updates, restartPending] = await Promise.all([packageManager.assess(), packageManager.rebootRequired()]);
      return { updates: updates.map(fromPackage), restartPending };
    },
    restartPending: () => packageManager.rebootRequired(),
  };
}

function fromPackage(u: AvailableUpdate): AssessedUpdate {
  return {
    title: u.name,
    product: u.name,
    productArch: u.arch,
    productVersion: u.candidateVersion,
    classification: u.classification,
    packageRepository: u.repository,
    packageSeverity: u.severity,
    cveNumbers: u.cves.join(','),
  };
}

const dayMs = 86_400_000;

export function heartbeatRecord(m: MachineIdentity, nowMs: number): LogRecord {
  return {
    TimeGenerated: new Date(nowMs).toISOString(),
    Computer: m.computer,
    SourceComputerId: m.sourceComputerId,
    Category: 'Direct Agent',
    ComputerEnvironment: 'Non-Azure',
    ComputerIP: m.computerIp,
    ComputerPrivateIPs: m.privateIps,
    IsGatewayInstalled: false,
    ManagementGroupName: m.managementGroupName,
    OSType: m.osType,
    OSName: m.osName,
    OSMajorVersion: m.osMajorVersion,
    OSMinorVersion: m.osMinorVersion,
    Version: m.agentVersion,
    SCAgentChannel: 'Direct',
    Solutions: 'updates',
    SourceSystem: m.sourceSystem,
    VMUUID: m.vmUuid,
  };
}

export function updateRecords(m: MachineIdentity, result: AssessmentResult, nowMs: number): LogRecord[] {
  const time = new Date(nowMs).toISOString();
  return result.updates.map((u) => {
    const record: LogRecord = {
      TimeGenerated: time,
      Computer: m.computer,
      SourceComputerId: m.sourceComputerId,
      OSType: m.osType,
      OSName: m.osName,
      OSVersion: m.osVersion,
      OSFullName: m.osFullName,
      Title: u.title,
      Product: u.product,
      ProductArch: u.productArch,
      ProductVersion: u.productVersion,
      Classification: u.classification,
      UpdateState: 'Needed' satisfies UpdateState,
      Optional: u.optional ?? false,
      ComputerEnvironment: 'Non-Azure',
      ManagementGroupName: m.managementGroupName,
      SourceSystem: m.sourceSystem,
      VMUUID: m.vmUuid,
    };
    const optional: [string, string | boolean | undefined][] = [
      ['KBID', u.kbid], ['UpdateID', u.updateId], ['RevisionNumber', u.revisionNumber], ['MSRCSeverity', u.msrcSeverity],
      ['Approved', u.approved], ['ApprovalSource', u.approvalSource], ['RebootBehavior', u.rebootBehavior],
      ['PackageRepository', u.packageRepository], ['PackageSeverity', u.packageSeverity], ['CVENumbers', u.cveNumbers],
      ['PublishedDate', u.publishedMs === undefined ? undefined : new Date(u.publishedMs).toISOString()],
    ];
    for (const [column, value] of optional) if (value !== undefined) record[column] = value;
    return record;
  });
}

/** Counts are of required (non-optional) needed updates, as the reference's compliance view counts them. */
export function summaryRecord(m: MachineIdentity, result: AssessmentResult, nowMs: number): LogRecord {
  const required = result.updates.filter((u) => !u.optional);
  const count = (classification: string) => required.filter((u) => u.classification === classification).length;
  const critical = count('Critical Updates');
  const security = count('Security Updates');
  const securityAges = required
    .filter((u) => (u.classification === 'Critical Updates' || u.classification === 'Security Updates') && u.publishedMs !== undefined)
    .map((u) => Math.floor((nowMs - (u.publishedMs ?? nowMs)) / dayMs));
  const record: LogRecord = {
    TimeGenerated: new Date(nowMs).toISOString(),
    Computer: m.computer,
    SourceComputerId: m.sourceComputerId,
    OsVersion: m.osVersion,
    CriticalUpdatesMissing: critical,
    SecurityUpdatesMissing: security,
    OtherUpdatesMissing: required.length - critical - security,
    TotalUpdatesMissing: required.length,
    RestartPending: result.restartPending,
    ComputerEnvironment: 'Non-Azure',
    ManagementGroupName: m.managementGroupName,
    SourceSystem: m.sourceSystem,
    VMUUID: m.vmUuid,
  };
  // Package managers do not say when a fix was published; the age is only known when they do.
  if (securityAges.length > 0 || security + critical === 0) {
    const oldest = Math.max(0, ...securityAges);
    record.OldestMissingSecurityUpdateInDays = oldest;
    record.OldestMissingSecurityUpdateBucket = securityAgeBucket(oldest);
  }
  if (result.windows) {
    record.WindowsUpdateSetting = result.windows.windowsUpdateSetting;
    record.WSUSServer = result.windows.wsusServer;
    record.WindowsUpdateAgentVersion = result.windows.windowsUpdateAgentVersion;
    record.NETRuntimeVersion = result.windows.netRuntimeVersion;
  }
  return record;
}

/** UpdateSummary.OldestMissingSecurityUpdateBucket for an age in days: Recent, 30 to 180 days ago in steps of 30, Older. */
export function securityAgeBucket(days: number): string {
  if (days < 30) return 'Recent';
  if (days < 210) return `${Math.floor(days / 30) * 30} days ago`;
  return 'Older';
}
