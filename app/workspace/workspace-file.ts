/**
 * The workspace file kept beside the database (`<db>.workspace.json`, mode 0600): identity,
 * shared key, hashed tokens and registered agents. It lives outside DuckDB so the CLI can read
 * and change it while `upkeep serve` holds the database file. Every change is a
 * read-modify-write under a lock file, written to a temporary file and renamed over the old
 * one, so a reader never sees half a file and two writers never lose each other's change.
 */
import { closeSync, existsSync, mkdirSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isRole, newSharedKey, newToken, newWorkspaceId, type StoredToken } from './credentials.js';
import { addToken, type TokenRequest, type TokenSummary } from './tokens.js';

export interface RegisteredAgent {
  agentId: string;
  machineId: string;
  fqdn: string;
  osType: 'Linux' | 'Windows';
  sourceComputerId: string;
  workspaceId: string;
  /** Windows machines only: `<FQDN>_<GUID>`, a group user jobs cannot target. */
  systemWorkerGroup?: string;
  registeredAt: string;
  lastSeenAt: string;
}

export interface Workspace {
  version: 1;
  workspaceId: string;
  /** base64 of 64 random bytes; agents sign Data Collector requests with it. */
  primaryKey: string;
  /** The key replaced by the last rotation, still accepted until `validUntil` so agents can be moved over. */
  previousKey?: { key: string; validUntil: string };
  createdAt: string;
  tokens: StoredToken[];
  agents: RegisteredAgent[];
}

export function workspaceFileOf(dbPath: string): string {
  return `${dbPath}.workspace.json`;
}

export function readWorkspace(file: string): Workspace {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a readable workspace file (${(error as Error).message}). Restore it from a backup, or move it away to create a new workspace (agents must then be given the new id and key).`);
  }
  return checkedWorkspace(parsed, file);
}

function checkedWorkspace(value: unknown, file: string): Workspace {
  const w = value as Partial<Workspace> | null;
  const valid =
    w !== null && typeof w === 'object' && w.version === 1 && typeof w.workspaceId === 'string' && typeof w.primaryKey === 'string' &&
    Array.isArray(w.tokens) && w.tokens.every((t) => typeof t?.id === 'string' && isRole(String(t.role))) && Array.isArray(w.agents);
  if (!valid) throw new Error(`${file} is not an Upkeep workspace file (version 1 with workspaceId, primaryKey, tokens, agents). Restore it, or move it away to create a new workspace.`);
  return w as Workspace;
}

export interface EnsuredWorkspace {
  workspace: Workspace;
  /** Set only when this call created the workspace: the admin token, shown once. */
  adminToken?: string;
}

/** The workspace beside `dbPath`, created (with an admin token) when missing. */
export function ensureWorkspace(dbPath: string, now = new Date()): EnsuredWorkspace {
  const file = workspaceFileOf(dbPath);
  if (existsSync(file)) return { workspace: readWorkspace(file) };
  mkdirSync(dirname(file), { recursive: true });
  let adminToken: string | undefined;
  const workspace = updateWorkspace(file, (current) => {
    if (current) return current; // another process created it meanwhile
    const admin = newToken('admin', now);
    adminToken = admin.text;
    return { version: 1, workspaceId: newWorkspaceId(), primaryKey: newSharedKey(), createdAt: now.toISOString(), tokens: [admin.stored], agents: [] };
  });
  return adminToken === undefined ? { workspace } : { workspace, adminToken };
}

/** Applies `change` to the current file content (undefined when there is none) under the lock and saves it. */
export function updateWorkspace(file: string, change: (current: Workspace | undefined) => Workspace): Workspace {
  return withLock(`${file}.lock`, () => {
    const current = existsSync(file) ? readWorkspace(file) : undefined;
    const next = change(current);
    writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  });
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

const LOCK_WAIT_MS = 5_000;
/** A lock older than this was left by a crashed process: a real update takes milliseconds. */
const STALE_LOCK_MS = 30_000;

function withLock<T>(lockFile: string, work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockFile)) rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lockFile} has been held for over ${LOCK_WAIT_MS / 1000} s; if no upkeep command is running, delete it.`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function isStale(lockFile: string): boolean {
  try {
    return Date.now() - statSync(lockFile).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * Creates a token with `role` in the workspace beside `dbPath` (created if missing); returns its
 * text, shown once. `machine` binds an agent token to one registered machine (app/workspace/tokens.ts).
 */
export function createToken(dbPath: string, role: StoredToken['role'], now = new Date(), options: Omit<TokenRequest, 'role'> = {}): string {
  return createTokenWithSummary(dbPath, { ...options, role }, now).text;
}

/** As createToken, with what `upkeep token list` will show of it. */
export function createTokenWithSummary(dbPath: string, request: TokenRequest, now = new Date()): { text: string; summary: TokenSummary } {
  ensureWorkspace(dbPath, now);
  let issued: { text: string; summary: TokenSummary } | undefined;
  updateWorkspace(workspaceFileOf(dbPath), (current) => {
    if (!current) throw new Error(`${workspaceFileOf(dbPath)} disappeared while adding a token; run the command again.`);
    const added = addToken(current, request, now);
    issued = { text: added.text, summary: added.summary };
    return added.workspace;
  });
  return issued!;
}
