/**
 * Deployments persist in the server's DuckDB file, in the schema `upkeep` (application state,
 * invisible to KQL: the query catalog only knows the record tables in `main`). Each row keeps
 * the whole definition as JSON plus the columns worth indexing or querying directly.
 *
 * The store has its own connection of the server's instance (the writer and the query service
 * use others) and runs one operation at a time on it, so "is the name free? insert" cannot
 * interleave with another create. Names are unique case-insensitively.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Deployment, DeploymentInput } from '../../../contracts/updates.js';

export const UPKEEP_SCHEMA = 'upkeep';

/**
 * `catalog.upkeep`, quoted. The catalog must be named: the server's file is usually
 * upkeep.duckdb, whose catalog is also called "upkeep", and a bare `upkeep.x` is ambiguous.
 */
export async function upkeepSchemaOf(conn: DuckDBConnection): Promise<string> {
  const catalog = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
  const schema = `${quoteIdent(catalog)}.${quoteIdent(UPKEEP_SCHEMA)}`;
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  return schema;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const createSql = (schema: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${schema}.deployments (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    name_key VARCHAR NOT NULL UNIQUE,
    os VARCHAR NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    definition VARCHAR NOT NULL
  )`,
];

export class DuplicateDeploymentNameError extends Error {
  constructor(
    readonly deploymentName: string,
    readonly existingId: string,
  ) {
    super(`A deployment named "${deploymentName}" already exists (id ${existingId}): choose another name, or change that deployment with PUT /api/deployments/${existingId}.`);
  }
}

export class DeploymentStore {
  private queue: Promise<unknown> = Promise.resolve();

  private readonly table: string;

  private constructor(
    private readonly conn: DuckDBConnection,
    schema: string,
  ) {
    this.table = `${schema}.deployments`;
  }

  /** Opens a connection of `instance` and creates the schema and table if they are missing. */
  static async open(instance: DuckDBInstance): Promise<DeploymentStore> {
    const conn = await instance.connect();
    try {
      const schema = await upkeepSchemaOf(conn);
      for (const sql of createSql(schema)) await conn.run(sql);
      return new DeploymentStore(conn, schema);
    } catch (error) {
      conn.closeSync();
      throw error;
    }
  }

  /** Every deployment, by name. */
  list(): Promise<Deployment[]> {
    return this.serial(async () => this.select('ORDER BY name_key', []));
  }

  get(id: string): Promise<Deployment | undefined> {
    return this.serial(async () => (await this.select('WHERE id = $1', [id]))[0]);
  }

  /** Case-insensitive, as uniqueness is. */
  getByName(name: string): Promise<Deployment | undefined> {
    return this.serial(async () => this.findByName(name));
  }

  /** Stores a new deployment; throws DuplicateDeploymentNameError when the name is taken. */
  create(input: DeploymentInput, now: Date, frozenGroups: Record<string, string[]> = {}): Promise<Deployment> {
    return this.serial(async () => {
      const taken = await this.findByName(input.name);
      if (taken) throw new DuplicateDeploymentNameError(input.name, taken.id);
      const at = now.toISOString();
      const deployment: Deployment = { ...input, id: randomUUID(), createdAt: at, updatedAt: at, frozenGroups };
      await this.conn.run(
        `INSERT INTO ${this.table} VALUES ($1, $2, $3, $4, $5, make_timestamp($6::BIGINT), make_timestamp($6::BIGINT), $7)`,
        [deployment.id, deployment.name, nameKey(deployment.name), deployment.os, deployment.enabled, now.getTime() * 1000, JSON.stringify(deployment)],
      );
      return deployment;
    });
  }

  /**
   * Replaces a deployment's definition, keeping its id and creation time; `frozenGroups`
   * defaults to the stored one. Undefined when there is no such deployment.
   */
  replace(id: string, input: DeploymentInput, now: Date, frozenGroups?: Record<string, string[]>): Promise<Deployment | undefined> {
    return this.serial(async () => {
      const current = (await this.select('WHERE id = $1', [id]))[0];
      if (!current) return undefined;
      const taken = await this.findByName(input.name);
      if (taken && taken.id !== id) throw new DuplicateDeploymentNameError(input.name, taken.id);
      const deployment: Deployment = { ...input, id, createdAt: current.createdAt, updatedAt: now.toISOString(), frozenGroups: frozenGroups ?? current.frozenGroups };
      await this.conn.run('BEGIN TRANSACTION');
      try {
        // Delete and insert rather than UPDATE: DuckDB rewrites updates of a UNIQUE column that way anyway.
        await this.conn.run(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
        await this.conn.run(
          `INSERT INTO ${this.table} VALUES ($1, $2, $3, $4, $5, make_timestamp($6::BIGINT), make_timestamp($7::BIGINT), $8)`,
          [id, deployment.name, nameKey(deployment.name), deployment.os, deployment.enabled, Date.parse(current.createdAt) * 1000, now.getTime() * 1000, JSON.stringify(deployment)],
        );
        await this.conn.run('COMMIT');
      } catch (error) {
        await this.conn.run('ROLLBACK');
        throw error;
      }
      return deployment;
    });
  }

  /** True when it existed. */
  delete(id: string): Promise<boolean> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll(`DELETE FROM ${this.table} WHERE id = $1 RETURNING id`, [id]);
      return reader.getRows().length > 0;
    });
  }

  close(): void {
    this.conn.closeSync();
  }

  private async findByName(name: string): Promise<Deployment | undefined> {
    return (await this.select('WHERE name_key = $1', [nameKey(name)]))[0];
  }

  private async select(clause: string, values: string[]): Promise<Deployment[]> {
    const reader = await this.conn.runAndReadAll(`SELECT definition FROM ${this.table} ${clause}`, values);
    return reader.getRows().map((row) => JSON.parse(String(row[0])) as Deployment);
  }

  /** One statement sequence at a time on the store's connection. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}
