/**
 * The Alert rules pages live under one route (/alerts); the rest of the path says which:
 *
 *   /alerts              the list
 *   /alerts/new          create a rule (?sample=<file> starts from a sample rule)
 *   /alerts/{id}         the rule: instances, evaluate now, recent evaluations
 *   /alerts/{id}/edit    change it
 */
export type AlertsView = { kind: 'list' } | { kind: 'new' } | { kind: 'rule'; id: string } | { kind: 'edit'; id: string } | { kind: 'unknown' };

const BASE = '/alerts';

export function viewOf(pathname: string): AlertsView {
  const parts = pathname.replace(/\/+$/, '').slice(BASE.length).split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'list' };
  if (parts.length === 1) return parts[0] === 'new' ? { kind: 'new' } : { kind: 'rule', id: parts[0]! };
  if (parts.length === 2 && parts[1] === 'edit') return { kind: 'edit', id: parts[0]! };
  return { kind: 'unknown' };
}

const seg = encodeURIComponent;
export const listPath = (): string => BASE;
export const newPath = (): string => `${BASE}/new`;
export const rulePath = (id: string): string => `${BASE}/${seg(id)}`;
export const editPath = (id: string): string => `${BASE}/${seg(id)}/edit`;
