/**
 * One file of a built folder, chosen for one request: the file itself, or the `.br` / `.gz`
 * written beside it at build time (workbench/precompress.ts) when the client accepts that coding.
 * Brotli is preferred (a third smaller than gzip on Monaco), then gzip, else the file as it is.
 * Every path is checked against the folder twice: as written (`..`, encoded or not) and after
 * symlinks are followed, so nothing outside the folder is ever read.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The pre-compressed codings in the server's order of preference, with their file suffix. */
const precompressed: readonly { coding: Exclude<ContentCoding, 'identity'>; suffix: string; names: readonly string[] }[] = [
  { coding: 'br', suffix: '.br', names: ['br'] },
  { coding: 'gzip', suffix: '.gz', names: ['gzip', 'x-gzip'] },
];

export interface StaticFile {
  /** The file read for the body (the variant when compressed). */
  path: string;
  coding: ContentCoding;
  size: number;
  mtimeMs: number;
}

/**
 * The codings an `Accept-Encoding` header allows, in the server's preference order, ending with
 * identity. A coding is allowed when named (or covered by `*`) with a q-value above 0.
 */
export function acceptedCodings(header: string | undefined): ContentCoding[] {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const allows = (names: readonly string[]) => {
    const named = names.map((n) => q.get(n)).find((v) => v !== undefined);
    return (named ?? q.get('*') ?? 0) > 0;
  };
  return [...precompressed.filter((p) => allows(p.names)).map((p) => p.coding), 'identity'];
}

/**
 * The real path of `relative` inside `root` when it is a regular file there, following symlinks
 * only as far as they stay inside; undefined otherwise (missing, a folder, or outside).
 */
export async function fileInside(root: string, relative: string): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  const lexical = resolve(root, `.${sep}${relative}`);
  if (!lexical.startsWith(root + sep)) return undefined;
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(lexical)]);
    if (!real.startsWith(realRoot + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What to send for `relative` (a file inside `root`) to a client accepting `codings`: the first
 * accepted variant that exists and is not older than the file (a stale one is never served),
 * else the file itself. Undefined when the file is not there.
 */
export async function chooseFile(root: string, relative: string, codings: readonly ContentCoding[]): Promise<StaticFile | undefined> {
  const original = await fileInside(root, relative);
  if (!original) return undefined;
  for (const coding of codings) {
    const suffix = precompressed.find((p) => p.coding === coding)?.suffix;
    if (suffix === undefined) break;
    const variant = await fileInside(root, relative + suffix);
    if (variant && variant.mtimeMs >= original.mtimeMs) return { ...variant, coding };
  }
  return { ...original, coding: 'identity' };
}

/** A strong validator per representation: size and modification time of the bytes sent, and their coding. */
export function etagOf(file: StaticFile): string {
  return `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}-${file.coding}"`;
}

/** Whether `If-None-Match` already names `etag` (weak comparison, as RFC 9110 asks for this header). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}
