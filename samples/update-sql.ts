/** Update and UpdateSummary rows: every assessment reports each applicable update, and a summary consistent with it. */
import { minuteNs, str, timestamp, type SqlContext } from './sql-context.js';

/** Each assessment's view of each applicable, already published update. */
export const assessmentRowsViewSql = `CREATE OR REPLACE TEMP VIEW _sample_assessment_rows AS
  SELECT a.m, a.ts_ns, s.u, s.approved,
    CASE WHEN s.installed_ns <= a.ts_ns THEN (CASE m.os_type WHEN 'Windows' THEN 'Installed' ELSE 'NotNeeded' END) ELSE 'Needed' END AS state
  FROM _sample_assessments a
  JOIN _sample_machines m ON m.idx = a.m
  JOIN _sample_state s ON s.m = a.m
  JOIN _sample_catalogue u ON u.idx = s.u
  WHERE u.published_ns <= a.ts_ns`;

export function updateRowsSql(ctx: SqlContext, fromMachine: number, toMachine: number): string {
  return `INSERT INTO "Update" (TimeGenerated, Computer, SourceComputerId, OSType, OSName, OSVersion, OSFullName,
      Title, KBID, UpdateID, RevisionNumber, Product, ProductArch, ProductVersion, Classification, UpdateState,
      MSRCSeverity, Optional, Approved, ApprovalSource, PublishedDate, RebootBehavior, PackageRepository,
      PackageSeverity, CVENumbers, InstallTimeAvailable, ComputerEnvironment, ManagementGroupName, SourceSystem,
      VMUUID, TenantId, Type)
    SELECT ${timestamp('r.ts_ns')}, m.computer, m.sid, m.os_type, m.os_name, m.os_version, m.os_full_name,
      u.title, u.kbid, u.update_id, CASE m.os_type WHEN 'Windows' THEN '200' ELSE '' END, u.product, u.product_arch,
      u.product_version, u.classification, r.state, u.msrc_severity, u.optional, r.approved,
      CASE WHEN m.os_type = 'Linux' THEN '' WHEN m.wsus <> '' THEN 'WSUS' ELSE 'Microsoft Update' END,
      ${timestamp('u.published_ns')}, u.reboot_behavior, u.package_repository, u.package_severity, u.cve_numbers, false,
      'On-premises', ${str(ctx.managementGroup)}, m.source_system, m.vm_uuid, ${str(ctx.tenantId)}, 'Update'
    FROM _sample_assessment_rows r
    JOIN _sample_machines m ON m.idx = r.m
    JOIN _sample_catalogue u ON u.idx = r.u
    WHERE r.m >= ${fromMachine} AND r.m < ${toMachine}
    ORDER BY r.m, r.ts_ns, r.u`;
}

/** Counts are of required (non-optional) missing updates, as the reference's compliance view counts them. */
export function updateSummaryRowsSql(ctx: SqlContext, fromMachine: number, toMachine: number): string {
  const missing = `r.state = 'Needed' AND NOT u.optional`;
  const securityLike = `u.classification IN ('Critical Updates', 'Security Updates')`;
  const dayNs = `(1440 * ${minuteNs})`;
  return `INSERT INTO UpdateSummary (TimeGenerated, Computer, SourceComputerId, OsVersion, CriticalUpdatesMissing,
      SecurityUpdatesMissing, OtherUpdatesMissing, TotalUpdatesMissing, OldestMissingSecurityUpdateInDays,
      OldestMissingSecurityUpdateBucket, RestartPending, WindowsUpdateSetting, WSUSServer, WindowsUpdateAgentVersion,
      NETRuntimeVersion, ComputerEnvironment, ManagementGroupName, SourceSystem, VMUUID, TenantId, Type)
    WITH counts AS (
      SELECT r.m, r.ts_ns,
        count(*) FILTER (WHERE ${missing} AND u.classification = 'Critical Updates') AS critical,
        count(*) FILTER (WHERE ${missing} AND u.classification = 'Security Updates') AS security,
        count(*) FILTER (WHERE ${missing} AND NOT ${securityLike}) AS other,
        max((r.ts_ns - u.published_ns) // ${dayNs}) FILTER (WHERE ${missing} AND ${securityLike}) AS oldest
      FROM _sample_assessment_rows r JOIN _sample_catalogue u ON u.idx = r.u
      WHERE r.m >= ${fromMachine} AND r.m < ${toMachine}
      GROUP BY r.m, r.ts_ns
    )
    SELECT ${timestamp('a.ts_ns')}, m.computer, m.sid, m.os_version,
      coalesce(c.critical, 0), coalesce(c.security, 0), coalesce(c.other, 0),
      coalesce(c.critical + c.security + c.other, 0), coalesce(c.oldest, 0),
      CASE WHEN coalesce(c.oldest, 0) < 30 THEN 'Recent'
           WHEN c.oldest < 210 THEN (c.oldest // 30 * 30)::VARCHAR || ' days ago'
           ELSE 'Older' END,
      m.restart_pending, m.wu_setting, m.wsus,
      CASE m.os_type WHEN 'Windows' THEN '7.6.7600.' || (256 + m.idx % 64) ELSE '' END,
      CASE m.os_type WHEN 'Windows' THEN '4.8.04161' ELSE '' END,
      'On-premises', ${str(ctx.managementGroup)}, m.source_system, m.vm_uuid, ${str(ctx.tenantId)}, 'UpdateSummary'
    FROM _sample_assessments a
    JOIN _sample_machines m ON m.idx = a.m
    LEFT JOIN counts c ON c.m = a.m AND c.ts_ns = a.ts_ns
    WHERE a.m >= ${fromMachine} AND a.m < ${toMachine}
    ORDER BY a.m, a.ts_ns`;
}
