/**
 * The fleet's patch state, computed inside DuckDB: which updates each machine needs and when
 * they got installed (before the window, by automatic updates, or by a deployment run), the
 * items of each run, and when each machine was assessed.
 */
import { frac, minuteNs, ns, secondNs, type SqlContext } from './sql-context.js';

export const stateTableNames = ['_sample_state', '_sample_run_items', '_sample_assessments'];

const never = '9223372036854775807::BIGINT';

/** One row per (machine, applicable update): installed_ns is when it got installed, NULL while missing. */
export function machineUpdateStateSql(ctx: SqlContext): string {
  const start = ns(ctx.windowStartNs);
  const windowNs = `${ctx.minutes}::BIGINT * ${minuteNs}`;
  const held = `(m.wsus <> '' AND u.wsus_held)`;
  // The named machine misses every required critical and security update, so queries about it find rows.
  const missingAtStart = `(u.published_ns >= ${start}
      OR (m.idx = 0 AND u.classification IN ('Critical Updates', 'Security Updates') AND NOT u.optional)
      OR ${frac(ctx, 'missing', 'm.idx', 'u.idx')} < m.patch_lag)`;
  // Machines on automatic updates install some missing updates by themselves during the window.
  const autoInstalled = `CASE WHEN m.wu_setting = 'Automatic' AND m.idx <> 0 AND NOT ${held} AND ${frac(ctx, 'auto', 'm.idx', 'u.idx')} < 0.25
      THEN greatest(u.published_ns, ${start}) + (${frac(ctx, 'auto-at', 'm.idx', 'u.idx')} * ${windowNs})::BIGINT END`;
  return `CREATE OR REPLACE TEMP TABLE _sample_state AS
    SELECT m.idx AS m, u.idx AS u,
      CASE WHEN ${missingAtStart} THEN ${autoInstalled} ELSE ${start} - 1 END AS installed_ns,
      NOT ${held} AS approved
    FROM _sample_machines m JOIN _sample_catalogue u ON u.family = m.family
    WHERE ${frac(ctx, 'applies', 'm.idx', 'u.idx')} < u.share`;
}

export const createRunItemsSql = `CREATE OR REPLACE TEMP TABLE _sample_run_items (
  run INTEGER, m INTEGER, u INTEGER, status VARCHAR, error VARCHAR, item_start_ns BIGINT, item_end_ns BIGINT, retried BOOLEAN)`;

/**
 * The items of one run: each target machine's missing, non-optional updates of the run's
 * classifications, installed one after another; what cannot finish before the last 20 minutes
 * of the window (kept for the reboot) is MaintenanceWindowExceeded.
 */
export function runItemsSql(ctx: SqlContext, run: number): string {
  const scanMinutes = 3;
  return `INSERT INTO _sample_run_items
    WITH r AS (SELECT * FROM _sample_runs WHERE idx = ${run}),
    items AS (
      SELECT r.idx AS run, s.m, s.u, s.approved, m.wsus, u.install_minutes, r.start_ns, r.window_minutes, r.failure_rate, r.error_count,
        sum(u.install_minutes) OVER (PARTITION BY s.m ORDER BY u.class_rank, u.idx ROWS UNBOUNDED PRECEDING) AS done_minutes
      FROM r
      JOIN _sample_machines m ON m.os_type = r.os_type
      JOIN _sample_state s ON s.m = m.idx
      JOIN _sample_catalogue u ON u.idx = s.u
      WHERE m.assessed
        AND m.last_minute * ${minuteNs} + ${ns(ctx.windowStartNs)} > r.start_ns + (r.window_minutes + 10) * ${minuteNs}
        AND ((m.idx = 0 AND r.force_named_machine) OR ${frac(ctx, 'target', 'r.idx', 'm.idx')} < r.target_share)
        AND coalesce(s.installed_ns, ${never}) > r.start_ns
        AND u.published_ns <= r.start_ns
        AND NOT u.optional
        AND u.classification IN (SELECT classification FROM _sample_run_classes c WHERE c.run = r.idx)
    ),
    timed AS (
      SELECT *, start_ns + (${scanMinutes} + done_minutes - install_minutes) * ${minuteNs} + (m * 7 % 60) * ${secondNs} AS item_start_ns,
        ${scanMinutes} + done_minutes > window_minutes - 20 AS exceeded
      FROM items
    )
    SELECT run, m, u,
      CASE WHEN exceeded THEN 'MaintenanceWindowExceeded'
           WHEN NOT approved THEN 'Failed'
           WHEN ${frac(ctx, 'fail', 'run', 'm', 'u')} < failure_rate THEN 'Failed'
           ELSE 'Succeeded' END AS status,
      CASE WHEN exceeded THEN ''
           WHEN NOT approved THEN 'The update is not approved on the WSUS server ' || wsus || ' (0x80240017).'
           WHEN ${frac(ctx, 'fail', 'run', 'm', 'u')} < failure_rate
             THEN (SELECT message FROM _sample_run_errors e WHERE e.run = timed.run AND e.ord = hash(${ctx.seed}, 'error', m, u) % error_count)
           ELSE '' END AS error,
      item_start_ns,
      CASE WHEN exceeded THEN start_ns + window_minutes * ${minuteNs} ELSE item_start_ns + install_minutes * ${minuteNs} END AS item_end_ns,
      NOT exceeded AND approved AND ${frac(ctx, 'fail', 'run', 'm', 'u')} >= failure_rate
        AND ${frac(ctx, 'retry', 'run', 'm', 'u')} < 0.05 AS retried
    FROM timed`;
}

/** What a run installed stays installed: later assessments report it Installed / NotNeeded. */
export function applyRunSql(run: number): string {
  return `UPDATE _sample_state s SET installed_ns = i.item_end_ns
    FROM _sample_run_items i
    WHERE i.run = ${run} AND i.status = 'Succeeded' AND i.m = s.m AND i.u = s.u
      AND (s.installed_ns IS NULL OR s.installed_ns > i.item_end_ns)`;
}

/**
 * Assessments at the reference cadence (Windows every 12 hours, Linux every 3 hours, each
 * machine at its own phase), plus the scans a deployment run makes before and after installing.
 */
export function assessmentsSql(ctx: SqlContext): string {
  const start = ns(ctx.windowStartNs);
  const cadence = `CASE m.os_type WHEN 'Windows' THEN 720 ELSE 180 END`;
  const maxPerMachine = Math.ceil(ctx.minutes / 180) + 1;
  return `CREATE OR REPLACE TEMP TABLE _sample_assessments AS
    SELECT DISTINCT m, ts_ns FROM (
      SELECT m.idx AS m, ${start} + (m.phase % ${cadence} + k * ${cadence}) * ${minuteNs} + ((m.hb_second + 17) % 60) * ${secondNs} AS ts_ns
      FROM _sample_machines m, range(${maxPerMachine}) t(k)
      WHERE m.assessed AND m.phase % ${cadence} + k * ${cadence} <= m.last_minute
      UNION ALL
      SELECT i.m, r.start_ns + ${minuteNs} + 11 * ${secondNs} FROM _sample_run_items i JOIN _sample_runs r ON r.idx = i.run
      UNION ALL
      SELECT i.m, max(i.item_end_ns) + 5 * ${minuteNs} FROM _sample_run_items i GROUP BY i.run, i.m
    ) WHERE ts_ns <= ${ns(ctx.endNs)}`;
}
