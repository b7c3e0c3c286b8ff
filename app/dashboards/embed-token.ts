/**
 * Embed tokens: read-only credentials for one tile, handed to a page that embeds it in an
 * iframe. They read `upe_<id>_<secret>` — a prefix no workspace token has (`upk_`), so every
 * other route refuses them as unknown tokens — and only a salted hash of the secret is stored,
 * like the workspace's tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { equalBase64 } from '../workspace/credentials.js';

export interface StoredEmbedToken {
  id: string;
  dashboardId: string;
  tileId: string;
  salt: string;
  /** base64 sha256(salt ‖ secret) */
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

const TOKEN = /^upe_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$/;

export function newEmbedToken(dashboardId: string, tileId: string, createdAt: Date, expiresAt: Date | null): { text: string; stored: StoredEmbedToken } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64');
  return {
    text: `upe_${id}_${secret}`,
    stored: { id, dashboardId, tileId, salt, hash: hashSecret(salt, secret), createdAt: createdAt.toISOString(), expiresAt: expiresAt?.toISOString() ?? null },
  };
}

/** The id part of a token text, to find its stored hash; undefined when it is not an embed token. */
export function embedTokenId(text: string): string | undefined {
  return TOKEN.exec(text)?.[1];
}

/** True when `text` is the token `stored` was made for (constant-time on the secret). */
export function embedTokenMatches(text: string, stored: StoredEmbedToken): boolean {
  const match = TOKEN.exec(text);
  if (!match || match[1] !== stored.id) return false;
  return equalBase64(stored.hash, hashSecret(stored.salt, match[2]!));
}

function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(Buffer.from(salt, 'base64')).update(secret, 'utf8').digest('base64');
}
