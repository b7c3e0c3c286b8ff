/**
 * Secrets of a workspace: the shared key agents sign with, and bearer tokens stored only as
 * salted hashes. A token reads `upk_<id>_<secret>`: the id finds the stored hash without trying
 * every token, the secret is checked in constant time.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const roles = ['admin', 'operator', 'reader', 'agent', 'ingest'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export interface StoredToken {
  id: string;
  role: Role;
  salt: string;
  /** base64 sha256(salt ‖ secret) */
  hash: string;
  createdAt: string;
  /** Set for a token bound to one registered machine: it may fetch and report that machine's jobs only. */
  agentId?: string;
  /** What the token is for, as its creator described it (shown by `upkeep token list`). */
  label?: string;
  /** When it was revoked: a revoked token is kept for the record and never matches again. */
  revokedAt?: string;
  /** 'registration': handed to a machine when it registered, replaced when it registers again. */
  origin?: 'registration';
}

/** A fresh shared key: 64 random bytes, base64 (the reference's key length). */
export function newSharedKey(): string {
  return randomBytes(64).toString('base64');
}

export function newWorkspaceId(): string {
  return randomUUID();
}

/** A new token: the text to hand out once, and what to store. */
export function newToken(role: Role, createdAt: Date, agentId?: string, label?: string): { text: string; stored: StoredToken } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64');
  const stored: StoredToken = {
    id, role, salt, hash: hashSecret(salt, secret), createdAt: createdAt.toISOString(),
    ...(agentId ? { agentId } : {}),
    ...(label ? { label } : {}),
  };
  return { text: `upk_${id}_${secret}`, stored };
}

/** The stored, unrevoked token a presented token text matches, if any. */
export function matchToken(text: string, tokens: readonly StoredToken[]): StoredToken | undefined {
  const match = /^upk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$/.exec(text);
  if (!match) return undefined;
  const [, id, secret] = match;
  const stored = tokens.find((t) => t.id === id && t.revokedAt === undefined);
  if (!stored || secret === undefined) return undefined;
  return equalBase64(stored.hash, hashSecret(stored.salt, secret)) ? stored : undefined;
}

function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(Buffer.from(salt, 'base64')).update(secret, 'utf8').digest('base64');
}

/** base64 HMAC-SHA256 of the Data Collector API's canonical string with the base64-decoded key. */
export function sharedKeySignature(key: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

/** Constant-time comparison of two base64 texts (different lengths are simply unequal). */
export function equalBase64(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
