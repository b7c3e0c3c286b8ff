/**
 * Alert rules, their cursors (the last period evaluated), their instances' states and an outbox
 * of evaluated-but-undelivered records and notifications, in the server's DuckDB file (schema
 * `upkeep`, qualified with the file's catalog: a file named upkeep.duckdb is itself the catalog
 * "upkeep", which would make a bare `upkeep.x` ambiguous). One connection, one queue: a
 * multi-statement transaction never interleaves with another.
 *
 * Exactly once: a period's instance states, the cursor moving to the period's end and the
 * period's outbox entry commit together, and only if the cursor still is where the evaluation
 * started from. A restart resumes from the cursor and delivers what the outbox still holds.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { AlertEvaluationRow, AlertInstance, AlertNotification, AlertRule, AlertRuleInput } from '../../contracts/alerts.js';

export class DuplicateAlertRuleNameError extends Error {
  constructor(readonly existing: AlertRule) {
    super(`An alert rule named "${existing.name}" already exists (id ${existing.id}): choose another name, or change that one with PUT /api/alert-rules/${existing.id}.`);
  }
}

/** Records and notifications of one evaluated period, waiting to be delivered. */
export interface OutboxEntry {
  batchId: string;
  ruleId: string;
  rows: AlertEvaluationRow[];
  notifications: { webhooks: string[]; payload: AlertNotification }[];
}

export interface PeriodCommit {
  ruleId: string;
  /** The cursor the evaluation started from; the commit is refused when it moved meanwhile. */
  expectedCursor: Date | undefined;
  periodEnd: Date;
  instances: AlertInstance[];
  removed: string[];
  outbox: OutboxEntry;
}

const ddl = (s: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${s}.alert_rules (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, name_key VARCHAR NOT NULL UNIQUE,
    definition VARCHAR NOT NULL, created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${s}.alert_cursors (rule_id VARCHAR PRIMARY KEY, last_period_end TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${s}.alert_instances (rule_id VARCHAR NOT NULL, instance_key VARCHAR NOT NULL, state VARCHAR NOT NULL, PRIMARY KEY (rule_id, instance_key))`,
  `CREATE TABLE IF NOT EXISTS ${s}.alert_outbox (batch_id VARCHAR PRIMARY KEY, rule_id VARCHAR NOT NULL, entry VARCHAR NOT NULL, seq BIGINT NOT NULL)`,
];

export class AlertStore {
  private queue: Promise<unknown> = Promise.resolve();
  private seq = Date.now();

  private constructor(private readonly conn: DuckDBConnection, private readonly schema: string) {}

  static async open(instance: DuckDBInstance): Promise<AlertStore> {
    const conn = await instance.connect();
    try {
      const catalog = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
      const schema = `${quote(catalog)}.upkeep`;
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      for (const sql of ddl(schema)) await conn.run(sql);
      return new AlertStore(conn, schema);
    } catch (error) {
      conn.closeSync();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.serial(async () => this.conn.closeSync());
  }

  /** By name, ignoring case. */
  list(): Promise<AlertRule[]> {
    return this.serial(async () => (await this.rows(`SELECT definition FROM upkeep.alert_rules ORDER BY name_key`)).map((r) => JSON.parse(String(r.definition)) as AlertRule));
  }

  get(id: string): Promise<AlertRule | undefined> {
    return this.serial(async () => this.byId(id));
  }

  /** By id, else by name ignoring case (how an operator refers to a rule). */
  resolve(idOrName: string): Promise<AlertRule | undefined> {
    return this.serial(async () => {
      const rows = await this.rows(`SELECT definition FROM upkeep.alert_rules WHERE id = $1 OR name_key = $2 ORDER BY (id = $1) DESC LIMIT 1`, [idOrName, nameKey(idOrName)]);
      return rows[0] ? (JSON.parse(String(rows[0].definition)) as AlertRule) : undefined;
    });
  }

  create(input: AlertRuleInput, now: Date): Promise<AlertRule> {
    return this.serial(async () => {
      await this.requireFreeName(input.name, undefined);
      const at = now.toISOString();
      const rule: AlertRule = { id: randomUUID(), description: '', ...input, createdAt: at, updatedAt: at };
      await this.exec(`INSERT INTO upkeep.alert_rules VALUES ($1, $2, $3, $4, $5, $6)`, [rule.id, rule.name, nameKey(rule.name), JSON.stringify(rule), at, at]);
      return rule;
    });
  }

  replace(id: string, input: AlertRuleInput, now: Date): Promise<AlertRule | undefined> {
    return this.serial(async () => {
      const current = await this.byId(id);
      if (!current) return undefined;
      await this.requireFreeName(input.name, id);
      const rule: AlertRule = { id, description: '', ...input, createdAt: current.createdAt, updatedAt: now.toISOString() };
      await this.exec(`UPDATE upkeep.alert_rules SET name = $2, name_key = $3, definition = $4, updated_at = $5 WHERE id = $1`, [id, rule.name, nameKey(rule.name), JSON.stringify(rule), rule.updatedAt]);
      return rule;
    });
  }

  /** Deletes the rule, its cursor and its instances; undelivered outbox entries are still delivered. */
  delete(id: string): Promise<boolean> {
    return this.transaction(async () => {
      const { rowsChanged } = await this.exec(`DELETE FROM upkeep.alert_rules WHERE id = $1`, [id]);
      await this.exec(`DELETE FROM upkeep.alert_cursors WHERE rule_id = $1`, [id]);
      await this.exec(`DELETE FROM upkeep.alert_instances WHERE rule_id = $1`, [id]);
      return rowsChanged > 0;
    });
  }

  cursor(ruleId: string): Promise<Date | undefined> {
    return this.serial(async () => this.cursorOf(ruleId));
  }

  instances(ruleId: string): Promise<AlertInstance[]> {
    return this.serial(async () => {
      const rows = await this.rows(`SELECT state FROM upkeep.alert_instances WHERE rule_id = $1 ORDER BY instance_key`, [ruleId]);
      return rows.map((r) => JSON.parse(String(r.state)) as AlertInstance);
    });
  }

  /**
   * Records a period's outcome: instance states, the cursor and the outbox entry, all or none.
   * False (nothing written) when the rule is gone or another evaluation moved the cursor first.
   */
  commitPeriod(c: PeriodCommit): Promise<boolean> {
    return this.transaction(async () => {
      if (!(await this.byId(c.ruleId))) return false;
      const cursor = await this.cursorOf(c.ruleId);
      if (cursor?.getTime() !== c.expectedCursor?.getTime()) return false;
      for (const instance of c.instances) {
        await this.exec(`INSERT OR REPLACE INTO upkeep.alert_instances VALUES ($1, $2, $3)`, [c.ruleId, instance.key, JSON.stringify(instance)]);
      }
      for (const key of c.removed) await this.exec(`DELETE FROM upkeep.alert_instances WHERE rule_id = $1 AND instance_key = $2`, [c.ruleId, key]);
      await this.exec(`INSERT OR REPLACE INTO upkeep.alert_cursors VALUES ($1, $2::TIMESTAMP)`, [c.ruleId, iso(c.periodEnd)]);
      await this.exec(`INSERT INTO upkeep.alert_outbox VALUES ($1, $2, $3, $4)`, [c.outbox.batchId, c.ruleId, JSON.stringify(c.outbox), this.seq++]);
      return true;
    });
  }

  /** Entries not yet delivered, oldest first. */
  outbox(): Promise<OutboxEntry[]> {
    return this.serial(async () => (await this.rows(`SELECT entry FROM upkeep.alert_outbox ORDER BY seq`)).map((r) => JSON.parse(String(r.entry)) as OutboxEntry));
  }

  delivered(batchId: string): Promise<void> {
    return this.serial(async () => void (await this.exec(`DELETE FROM upkeep.alert_outbox WHERE batch_id = $1`, [batchId])));
  }

  private async byId(id: string): Promise<AlertRule | undefined> {
    const rows = await this.rows(`SELECT definition FROM upkeep.alert_rules WHERE id = $1`, [id]);
    return rows[0] ? (JSON.parse(String(rows[0].definition)) as AlertRule) : undefined;
  }

  private async cursorOf(ruleId: string): Promise<Date | undefined> {
    const rows = await this.rows(`SELECT epoch_ms(last_period_end) AS ms FROM upkeep.alert_cursors WHERE rule_id = $1`, [ruleId]);
    return rows[0] ? new Date(Number(rows[0].ms)) : undefined;
  }

  private async requireFreeName(name: string, exceptId: string | undefined): Promise<void> {
    const rows = await this.rows(`SELECT definition FROM upkeep.alert_rules WHERE name_key = $1`, [nameKey(name)]);
    const taken = rows[0] ? (JSON.parse(String(rows[0].definition)) as AlertRule) : undefined;
    if (taken && taken.id !== exceptId) throw new DuplicateAlertRuleNameError(taken);
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    const reader = await this.conn.runAndReadAll(this.qualified(sql), params);
    return reader.getRowObjects() as Record<string, unknown>[];
  }

  private async exec(sql: string, params: DuckDBValue[] = []): Promise<{ rowsChanged: number }> {
    const result = await this.conn.run(this.qualified(sql), params);
    return { rowsChanged: Number(result.rowsChanged) };
  }

  private qualified(sql: string): string {
    return sql.replace(/\bupkeep\./g, `${this.schema}.`);
  }

  private transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await this.conn.run('COMMIT');
        return result;
      } catch (error) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function iso(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
