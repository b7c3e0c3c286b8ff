/**
 * Dashboards and their embed tokens persist in the server's DuckDB file, schema `upkeep`
 * (application state: KQL cannot read it), on the store's own connection. Everything is also
 * held in memory — dashboards are few and small, a tile is looked up by id on every embedded
 * view, and the server is the file's only writer — and writes go to the file first, then to
 * memory, one at a time, so "is the name free? insert" cannot interleave.
 *
 * A dashboard row keeps its whole definition (tiles included) as JSON; tile ids are unique
 * across dashboards, since an embed URL names only the tile.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { upkeepSchemaOf } from '../updates/deployments/deployment-store.js';
import type { Dashboard, DashboardInput, Tile } from '../../contracts/dashboards.js';
import type { StoredEmbedToken } from './embed-token.js';

const createSql = (schema: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${schema}.dashboards (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    updated_at VARCHAR NOT NULL,
    definition VARCHAR NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS ${schema}.dashboard_embed_tokens (
    id VARCHAR PRIMARY KEY,
    dashboard_id VARCHAR NOT NULL,
    tile_id VARCHAR NOT NULL,
    salt VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    expires_at VARCHAR
  )`,
  // One-time facts, e.g. that the default dashboard was created (so deleting it is final).
  `CREATE TABLE IF NOT EXISTS ${schema}.dashboard_marks (key VARCHAR PRIMARY KEY, marked_at VARCHAR NOT NULL)`,
];

export class DuplicateDashboardNameError extends Error {
  constructor(readonly existing: Dashboard) {
    super(`A dashboard named "${existing.name}" already exists (id ${existing.id}): choose another name, or change that one with PUT /api/dashboards/${existing.id}.`);
  }
}

export class DashboardStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly byId = new Map<string, Dashboard>();
  private readonly tokens = new Map<string, StoredEmbedToken>();

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly schema: string,
  ) {}

  static async open(instance: DuckDBInstance): Promise<DashboardStore> {
    const conn = await instance.connect();
    try {
      const schema = await upkeepSchemaOf(conn);
      for (const sql of createSql(schema)) await conn.run(sql);
      const store = new DashboardStore(conn, schema);
      await store.load();
      return store;
    } catch (error) {
      conn.closeSync();
      throw error;
    }
  }

  /** By name, case-insensitively. */
  list(): Dashboard[] {
    return [...this.byId.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  get(id: string): Dashboard | undefined {
    return this.byId.get(id);
  }

  getByName(name: string): Dashboard | undefined {
    const wanted = name.trim().toLowerCase();
    return [...this.byId.values()].find((d) => d.name.toLowerCase() === wanted);
  }

  /** The tile with this id and its dashboard. */
  tile(tileId: string): { dashboard: Dashboard; tile: Tile } | undefined {
    for (const dashboard of this.byId.values()) {
      const tile = dashboard.tiles.find((t) => t.id === tileId);
      if (tile) return { dashboard, tile };
    }
    return undefined;
  }

  create(input: DashboardInput, now: Date): Promise<Dashboard> {
    return this.serial(async () => {
      this.requireFreeName(input.name, undefined);
      const at = now.toISOString();
      const dashboard: Dashboard = { id: randomUUID(), name: input.name, description: input.description, tiles: withIds(input, undefined), createdAt: at, updatedAt: at };
      await this.conn.run(`INSERT INTO ${this.schema}.dashboards VALUES ($1, $2, $3, $4, $5)`, rowOf(dashboard));
      this.byId.set(dashboard.id, dashboard);
      return dashboard;
    });
  }

  /** Replaces one, keeping the ids of the tiles sent with theirs; the embed tokens of tiles left out are deleted. */
  replace(id: string, input: DashboardInput, now: Date): Promise<Dashboard | undefined> {
    return this.serial(async () => {
      const current = this.byId.get(id);
      if (!current) return undefined;
      this.requireFreeName(input.name, id);
      const dashboard: Dashboard = { id, name: input.name, description: input.description, tiles: withIds(input, current), createdAt: current.createdAt, updatedAt: now.toISOString() };
      const kept = new Set(dashboard.tiles.map((t) => t.id));
      const orphaned = [...this.tokens.values()].filter((t) => t.dashboardId === id && !kept.has(t.tileId));
      await this.transaction(async () => {
        await this.conn.run(`UPDATE ${this.schema}.dashboards SET name = $2, created_at = $3, updated_at = $4, definition = $5 WHERE id = $1`, rowOf(dashboard));
        for (const token of orphaned) await this.conn.run(`DELETE FROM ${this.schema}.dashboard_embed_tokens WHERE id = $1`, [token.id]);
      });
      this.byId.set(id, dashboard);
      for (const token of orphaned) this.tokens.delete(token.id);
      return dashboard;
    });
  }

  /** Deletes a dashboard and its embed tokens; false when there was none. */
  delete(id: string): Promise<boolean> {
    return this.serial(async () => {
      if (!this.byId.has(id)) return false;
      await this.transaction(async () => {
        await this.conn.run(`DELETE FROM ${this.schema}.dashboard_embed_tokens WHERE dashboard_id = $1`, [id]);
        await this.conn.run(`DELETE FROM ${this.schema}.dashboards WHERE id = $1`, [id]);
      });
      this.byId.delete(id);
      for (const token of [...this.tokens.values()]) if (token.dashboardId === id) this.tokens.delete(token.id);
      return true;
    });
  }

  embedToken(id: string): StoredEmbedToken | undefined {
    return this.tokens.get(id);
  }

  embedTokensOf(tileId: string): StoredEmbedToken[] {
    return [...this.tokens.values()].filter((t) => t.tileId === tileId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  addEmbedToken(token: StoredEmbedToken): Promise<void> {
    return this.serial(async () => {
      const t = token;
      await this.conn.run(`INSERT INTO ${this.schema}.dashboard_embed_tokens VALUES ($1, $2, $3, $4, $5, $6, $7)`, [t.id, t.dashboardId, t.tileId, t.salt, t.hash, t.createdAt, t.expiresAt]);
      this.tokens.set(token.id, token);
    });
  }

  deleteEmbedToken(id: string): Promise<boolean> {
    return this.serial(async () => {
      if (!this.tokens.has(id)) return false;
      await this.conn.run(`DELETE FROM ${this.schema}.dashboard_embed_tokens WHERE id = $1`, [id]);
      this.tokens.delete(id);
      return true;
    });
  }

  hasMark(key: string): Promise<boolean> {
    return this.serial(async () => (await this.conn.runAndReadAll(`SELECT 1 FROM ${this.schema}.dashboard_marks WHERE key = $1`, [key])).getRows().length > 0);
  }

  /** Records `key` once: true the first time, false ever after. */
  markOnce(key: string, now: Date): Promise<boolean> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll(`INSERT INTO ${this.schema}.dashboard_marks VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`, [key, now.toISOString()]);
      return reader.getRows().length > 0;
    });
  }

  close(): Promise<void> {
    return this.serial(async () => this.conn.closeSync());
  }

  private async load(): Promise<void> {
    const dashboards = await this.conn.runAndReadAll(`SELECT id, name, created_at, updated_at, definition FROM ${this.schema}.dashboards`);
    for (const [id, name, createdAt, updatedAt, definition] of dashboards.getRows().map((row) => row.map(String))) {
      const stored = JSON.parse(definition!) as Pick<Dashboard, 'description' | 'tiles'>;
      this.byId.set(id!, { id: id!, name: name!, description: stored.description, tiles: stored.tiles, createdAt: createdAt!, updatedAt: updatedAt! });
    }
    const tokens = await this.conn.runAndReadAll(`SELECT id, dashboard_id, tile_id, salt, hash, created_at, expires_at FROM ${this.schema}.dashboard_embed_tokens`);
    for (const [id, dashboardId, tileId, salt, hash, createdAt, expiresAt] of tokens.getRows()) {
      const token: StoredEmbedToken = { id: String(id), dashboardId: String(dashboardId), tileId: String(tileId), salt: String(salt), hash: String(hash), createdAt: String(createdAt), expiresAt: expiresAt === null ? null : String(expiresAt) };
      this.tokens.set(token.id, token);
    }
  }

  private requireFreeName(name: string, exceptId: string | undefined): void {
    const taken = this.getByName(name);
    if (taken && taken.id !== exceptId) throw new DuplicateDashboardNameError(taken);
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.conn.run('COMMIT');
    } catch (error) {
      await this.conn.run('ROLLBACK');
      throw error;
    }
  }

  /** One statement sequence at a time on the store's connection. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The tiles with ids: a kept tile's own, a new one's fresh. The validator checked that sent ids are this dashboard's. */
function withIds(input: DashboardInput, current: Dashboard | undefined): Tile[] {
  const existing = new Set(current?.tiles.map((t) => t.id) ?? []);
  return input.tiles.map((tile) => ({ ...tile, id: tile.id !== undefined && existing.has(tile.id) ? tile.id : randomUUID() }));
}

function rowOf(d: Dashboard): string[] {
  return [d.id, d.name, d.createdAt, d.updatedAt, JSON.stringify({ description: d.description, tiles: d.tiles })];
}
