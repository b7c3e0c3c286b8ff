/**
 * Calls whose refusals the pages show in detail: a 400/404/409 answer keeps the server's
 * `problems` (each at its field) and `users` (what holds on to a saved search), which ApiError
 * drops. Anything else (401 signs out, 5xx) goes the usual way through apiFetch.
 */
import type { SavedSearchUser } from '../../../../contracts/saved.js';
import { apiFetch } from '../../lib/api.js';
import { session } from '../../lib/session.svelte.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Refusal {
  ok: false;
  status: number;
  code: string;
  message: string;
  problems: FieldProblem[];
  users: SavedSearchUser[];
}

export type Outcome<T> = { ok: true; value: T } | Refusal;

const detailed = new Set([400, 404, 409]);

export async function callWithOutcome<T>(path: string, init: RequestInit = {}): Promise<Outcome<T>> {
  const headers = new Headers(init.headers);
  if (session.token) headers.set('authorization', `Bearer ${session.token}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  if (detailed.has(response.status)) {
    const body = (await response.json().catch(() => ({}))) as { error?: Partial<Omit<Refusal, 'ok' | 'status'>> };
    const error = body.error ?? {};
    return { ok: false, status: response.status, code: error.code ?? 'Error', message: error.message ?? `HTTP ${response.status}`, problems: error.problems ?? [], users: error.users ?? [] };
  }
  // 401 signs out, other failures throw an ApiError with the server's message.
  if (!response.ok) await apiFetch(path, init);
  const value = response.status === 204 ? undefined : ((await response.json()) as T);
  return { ok: true, value: value as T };
}

/** Every problem by the form field it belongs to: the deepest of `fields` its path starts with ("" when none). */
export function problemsAt(problems: readonly FieldProblem[], fields: readonly string[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const p of problems) {
    const segments = p.field.replace(/\[\d+\]/g, '').split('.').filter((s) => s !== '');
    let key = '';
    for (let n = segments.length; n > 0 && key === ''; n--) {
      const candidate = segments.slice(0, n).join('.');
      if (fields.includes(candidate)) key = candidate;
    }
    (grouped[key] ??= []).push(p.message);
  }
  return grouped;
}
