/** Heartbeat, Event and UpdateRunProgress rows, generated inside DuckDB. */
import { frac, minuteNs, ns, pick, secondNs, str, timestamp, type SqlContext } from './sql-context.js';

/** One heartbeat a minute per machine until the agent went silent; sorted by machine for compression. */
export function heartbeatRowsSql(ctx: SqlContext, fromMachine: number, toMachine: number): string {
  return `INSERT INTO Heartbeat (TimeGenerated, Computer, SourceComputerId, Category, ComputerEnvironment, ComputerIP,
      ComputerPrivateIPs, IsGatewayInstalled, ManagementGroupName, OSType, OSName, OSMajorVersion, OSMinorVersion,
      Version, SCAgentChannel, Solutions, SourceSystem, VMUUID, TenantId, Type)
    SELECT ${timestamp(`${ns(ctx.windowStartNs)} + t.i * ${minuteNs} + m.hb_second * ${secondNs}`)},
      m.computer, m.sid, 'Direct Agent', 'On-premises', m.ip, m.private_ips, false, ${str(ctx.managementGroup)},
      m.os_type, m.os_name, m.os_major, m.os_minor, m.agent_version, 'Direct', 'updates, changeTracking',
      m.source_system, m.vm_uuid, ${str(ctx.tenantId)}, 'Heartbeat'
    FROM _sample_machines m, range(${ctx.minutes}) t(i)
    WHERE m.idx >= ${fromMachine} AND m.idx < ${toMachine} AND t.i <= m.last_minute
    `;
}

/**
 * Up to three event-log entries per machine per hour. The level is drawn with the machine's
 * error rate (badly patched machines log more errors), the entry from that OS's templates.
 */
export function eventRowsSql(ctx: SqlContext, fromMachine: number, toMachine: number): string {
  const hours = Math.ceil(ctx.minutes / 60);
  const roll = frac(ctx, 'level', 'm.idx', 'h.i', 's.i');
  return `INSERT INTO Event (TimeGenerated, Computer, EventLog, Source, EventLevel, EventLevelName, EventID,
      RenderedDescription, UserName, SourceSystem, ManagementGroupName, TenantId, Type)
    WITH slots AS (
      SELECT m.idx, m.computer, m.os_type, m.source_system,
        ${ns(ctx.windowStartNs)} + h.i * 60 * ${minuteNs} + ${pick(ctx, 'second', '3600', 'm.idx', 'h.i', 's.i')} * ${secondNs} AS ts_ns,
        CASE WHEN ${roll} < m.error_rate THEN 1 WHEN ${roll} < m.error_rate + 0.12 THEN 2 ELSE 4 END AS level,
        hash(${ctx.seed}, 'template', m.idx, h.i, s.i) AS template_roll,
        m.last_minute
      FROM _sample_machines m, range(${hours}) h(i), range(3) s(i)
      WHERE m.idx >= ${fromMachine} AND m.idx < ${toMachine} AND ${frac(ctx, 'emit', 'm.idx', 'h.i', 's.i')} < 0.5
    )
    SELECT ${timestamp('slots.ts_ns')}, slots.computer, t.event_log, t.source, t.level,
      CASE t.level WHEN 1 THEN 'error' WHEN 2 THEN 'warning' ELSE 'information' END,
      t.event_id, t.description, t.user_name, slots.source_system, ${str(ctx.managementGroup)}, ${str(ctx.tenantId)}, 'Event'
    FROM slots
    JOIN _sample_event_templates t ON t.os_type = slots.os_type AND t.level = slots.level AND t.ord = slots.template_roll % t.n
    WHERE slots.ts_ns <= ${ns(ctx.windowStartNs)} + slots.last_minute * ${minuteNs} + 59 * ${secondNs}
      AND slots.ts_ns <= ${ns(ctx.endNs)}
    ORDER BY slots.idx, slots.ts_ns`;
}

/** Every status change of every run item: NotStarted, then InProgress (unless cut off), then the outcome. */
export function runProgressRowsSql(ctx: SqlContext): string {
  return `INSERT INTO UpdateRunProgress (TimeGenerated, UpdateRunName, CorrelationId, Computer, SourceComputerId, OSType,
      Title, KBID, Product, UpdateId, InstallationStatus, ErrorResult, StartTime, EndTime, SucceededOnRetry,
      ComputerEnvironment, ManagementGroupName, SourceSystem, VMUUID, TenantId, Type)
    WITH changes AS (
      SELECT i.*, r.start_ns + ${minuteNs} AS ts_ns, 'NotStarted' AS installation_status, '' AS error_result,
        r.start_ns AS start_ns, NULL::BIGINT AS end_ns, false AS on_retry, 0 AS step
      FROM _sample_run_items i JOIN _sample_runs r ON r.idx = i.run
      UNION ALL
      SELECT i.*, i.item_start_ns, 'InProgress', '', i.item_start_ns, NULL::BIGINT, false, 1
      FROM _sample_run_items i WHERE i.status <> 'MaintenanceWindowExceeded'
      UNION ALL
      SELECT i.*, i.item_end_ns, i.status, i.error,
        CASE WHEN i.status = 'MaintenanceWindowExceeded' THEN r.start_ns ELSE i.item_start_ns END, i.item_end_ns, i.retried, 2
      FROM _sample_run_items i JOIN _sample_runs r ON r.idx = i.run
    )
    SELECT ${timestamp('c.ts_ns')}, r.name, r.correlation_id, m.computer, m.sid, m.os_type,
      u.title, u.kbid, u.product, u.update_id, c.installation_status, c.error_result,
      ${timestamp('c.start_ns')}, ${timestamp('c.end_ns')}, c.on_retry,
      'On-premises', ${str(ctx.managementGroup)}, m.source_system, m.vm_uuid, ${str(ctx.tenantId)}, 'UpdateRunProgress'
    FROM changes c
    JOIN _sample_runs r ON r.idx = c.run
    JOIN _sample_machines m ON m.idx = c.m
    JOIN _sample_catalogue u ON u.idx = c.u
    ORDER BY c.run, c.m, c.u, c.step`;
}
