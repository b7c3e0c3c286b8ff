/**
 * Saved searches persist in the server's DuckDB file, schema `upkeep` (application state, not a
 * record table: KQL cannot read it), on the store's own connection. Every saved search is also
 * held in memory: compiling a query is synchronous and needs the stored functions at hand, and
 * the server is the file's only writer, so the copy cannot go stale. Writes go to the file first,
 * then to memory, one at a time, so "is the name free? insert" cannot interleave.
 *
 * Names are unique case-insensitively (two saved searches differing only in case would be
 * confusing to call), while a query refers to one by its exact name, as KQL names are.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { StoredFunction } from '../../language/schema/tables.js';
import { upkeepSchemaOf } from '../updates/deployments/deployment-store.js';
import type { SavedSearch, SavedSearchInput } from '../../contracts/saved.js';

export class DuplicateSavedSearchNameError extends Error {
  constructor(
    readonly searchName: string,
    readonly existing: SavedSearch,
  ) {
    super(`A saved search named "${existing.name}" already exists (id ${existing.id}): choose another name, or change that one with PUT /api/saved-searches/${existing.id}.`);
  }
}

const createSql = (schema: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${schema}.saved_searches (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    query VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    updated_at VARCHAR NOT NULL
  )`,
  // One-time facts about the saved searches, e.g. that the sample queries were added once.
  `CREATE TABLE IF NOT EXISTS ${schema}.saved_search_marks (key VARCHAR PRIMARY KEY, marked_at VARCHAR NOT NULL)`,
];

export class SavedSearchStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly byId = new Map<string, SavedSearch>();
  /** name → body: the live map handed to the compiler as `catalog.functions`. */
  private readonly bodies = new Map<string, StoredFunction>();

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly schema: string,
  ) {}

  /** Opens a connection of `instance`, creates the tables if missing, and loads every saved search. */
  static async open(instance: DuckDBInstance): Promise<SavedSearchStore> {
    const conn = await instance.connect();
    try {
      const schema = await upkeepSchemaOf(conn);
      for (const sql of createSql(schema)) await conn.run(sql);
      const store = new SavedSearchStore(conn, schema);
      await store.load();
      return store;
    } catch (error) {
      conn.closeSync();
      throw error;
    }
  }

  /** By category, then name (case-insensitively). */
  list(): SavedSearch[] {
    const key = (s: SavedSearch) => `${s.category.toLowerCase()}\u0000${s.name.toLowerCase()}`;
    return [...this.byId.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  get(id: string): SavedSearch | undefined {
    return this.byId.get(id);
  }

  /** Exact name first, then ignoring case (names are unique case-insensitively). */
  getByName(name: string): SavedSearch | undefined {
    const wanted = name.trim();
    const all = [...this.byId.values()];
    return all.find((s) => s.name === wanted) ?? all.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
  }

  /** The stored functions for `catalog.functions`: a live view, changed in place by every write. */
  functions(): ReadonlyMap<string, StoredFunction> {
    return this.bodies;
  }

  /** Stores a new saved search; throws DuplicateSavedSearchNameError when the name is taken. */
  create(input: SavedSearchInput, now: Date): Promise<SavedSearch> {
    return this.serial(async () => {
      this.requireFreeName(input.name, undefined);
      const at = now.toISOString();
      const saved: SavedSearch = { id: randomUUID(), ...pick(input), createdAt: at, updatedAt: at };
      await this.conn.run(`INSERT INTO ${this.schema}.saved_searches VALUES ($1, $2, $3, $4, $5, $6, $7)`, rowOf(saved));
      this.remember(saved);
      return saved;
    });
  }

  /** Replaces one, keeping its id and creation time; undefined when there is no such saved search. */
  replace(id: string, input: SavedSearchInput, now: Date): Promise<SavedSearch | undefined> {
    return this.serial(async () => {
      const current = this.byId.get(id);
      if (!current) return undefined;
      this.requireFreeName(input.name, id);
      const saved: SavedSearch = { id, ...pick(input), createdAt: current.createdAt, updatedAt: now.toISOString() };
      await this.conn.run(
        `UPDATE ${this.schema}.saved_searches SET name = $2, category = $3, description = $4, query = $5, created_at = $6, updated_at = $7 WHERE id = $1`,
        rowOf(saved),
      );
      this.forget(current);
      this.remember(saved);
      return saved;
    });
  }

  /** True when it existed. */
  delete(id: string): Promise<boolean> {
    return this.serial(async () => {
      const current = this.byId.get(id);
      if (!current) return false;
      await this.conn.run(`DELETE FROM ${this.schema}.saved_searches WHERE id = $1`, [id]);
      this.forget(current);
      return true;
    });
  }

  /** Records `key` once: true the first time, false ever after (e.g. "the samples were added"). */
  markOnce(key: string, now: Date): Promise<boolean> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll(
        `INSERT INTO ${this.schema}.saved_search_marks VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, now.toISOString()],
      );
      return reader.getRows().length > 0;
    });
  }

  hasMark(key: string): Promise<boolean> {
    return this.serial(async () => (await this.conn.runAndReadAll(`SELECT 1 FROM ${this.schema}.saved_search_marks WHERE key = $1`, [key])).getRows().length > 0);
  }

  close(): Promise<void> {
    return this.serial(async () => this.conn.closeSync());
  }

  private async load(): Promise<void> {
    const reader = await this.conn.runAndReadAll(`SELECT id, name, category, description, query, created_at, updated_at FROM ${this.schema}.saved_searches`);
    for (const [id, name, category, description, query, createdAt, updatedAt] of reader.getRows().map((row) => row.map(String))) {
      this.remember({ id: id!, name: name!, category: category!, description: description!, query: query!, createdAt: createdAt!, updatedAt: updatedAt! });
    }
  }

  private requireFreeName(name: string, exceptId: string | undefined): void {
    const taken = this.getByName(name);
    if (taken && taken.id !== exceptId && taken.name.toLowerCase() === name.trim().toLowerCase()) throw new DuplicateSavedSearchNameError(name, taken);
  }

  private remember(saved: SavedSearch): void {
    this.byId.set(saved.id, saved);
    // A new object per version: the compiler caches parsed bodies by object.
    this.bodies.set(saved.name, { body: saved.query, description: saved.description });
  }

  private forget(saved: SavedSearch): void {
    this.byId.delete(saved.id);
    this.bodies.delete(saved.name);
  }

  /** One statement sequence at a time on the store's connection. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function pick(input: SavedSearchInput): SavedSearchInput {
  return { name: input.name, category: input.category, description: input.description, query: input.query };
}

function rowOf(s: SavedSearch): string[] {
  return [s.id, s.name, s.category, s.description, s.query, s.createdAt, s.updatedAt];
}
