/**
 * The server's view of the workspace file: reloaded when the file changes on disk (so
 * `upkeep token create` works without a restart), with registrations written in groups (one
 * file write for all registrations that arrived meanwhile).
 */
import { statSync } from 'node:fs';
import { matchToken, sharedKeySignature, equalBase64, type Role, type StoredToken } from './credentials.js';
import { signingKeys } from './tokens.js';
import { applyRegistration, type RegistrationOutcome, type RegistrationRequest } from './registration.js';
import { readWorkspace, updateWorkspace, type Workspace } from './workspace-file.js';

interface PendingRegistration {
  request: RegistrationRequest;
  resolve: (outcome: RegistrationOutcome) => void;
  reject: (error: unknown) => void;
}

export class WorkspaceStore {
  private workspace: Workspace;
  private version = '';
  private pending: PendingRegistration[] = [];
  private flushScheduled = false;

  constructor(readonly file: string, private readonly clock: () => Date = () => new Date()) {
    this.workspace = readWorkspace(file);
    this.version = this.fileVersion();
  }

  /** The workspace as the file holds it now. */
  current(): Workspace {
    const version = this.fileVersion();
    if (version !== this.version) {
      this.workspace = readWorkspace(this.file);
      this.version = version;
    }
    return this.workspace;
  }

  get workspaceId(): string {
    return this.current().workspaceId;
  }

  /** The stored token `text` matches when its role is one of `allowed`. */
  authorizeToken(text: string, allowed: readonly Role[]): { token?: StoredToken; problem?: 'unknown' | 'role' } {
    const token = matchToken(text, this.current().tokens);
    if (!token) return { problem: 'unknown' };
    return allowed.includes(token.role) ? { token } : { token, problem: 'role' };
  }

  /** Whether `signature` is the shared-key signature of `stringToSign` for this workspace. */
  verifySignature(workspaceId: string, signature: string, stringToSign: string): boolean {
    const workspace = this.current();
    if (workspaceId.toLowerCase() !== workspace.workspaceId.toLowerCase()) return false;
    // After a rotation the previous key signs too until its grace period ends.
    return signingKeys(workspace, this.now()).some((key) => equalBase64(signature, sharedKeySignature(key, stringToSign)));
  }

  /** Applies `change` to the file under its lock (as the CLI does) and returns what it made. */
  change<T>(change: (current: Workspace) => { workspace: Workspace; result: T }): T {
    let result: T | undefined;
    this.workspace = updateWorkspace(this.file, (current) => {
      const applied = change(current ?? this.workspace);
      result = applied.result;
      return applied.workspace;
    });
    this.version = this.fileVersion();
    return result as T;
  }

  now(): Date {
    return this.clock();
  }

  register(request: RegistrationRequest): Promise<RegistrationOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    const outcomes: RegistrationOutcome[] = [];
    try {
      const at = this.clock();
      this.workspace = updateWorkspace(this.file, (current) => {
        let workspace = current ?? this.workspace;
        outcomes.length = 0;
        for (const { request } of batch) {
          const applied = applyRegistration(workspace, request, at);
          workspace = applied.workspace;
          outcomes.push(applied.outcome);
        }
        return workspace;
      });
      this.version = this.fileVersion();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(outcomes[i]!));
  }

  /** Changes with every rewrite (the rename gives a new inode); a missing file keeps the last known workspace. */
  private fileVersion(): string {
    try {
      const stat = statSync(this.file);
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return this.version;
    }
  }
}
