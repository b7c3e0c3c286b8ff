/**
 * The Deployments pages live under one route (/deployments); the rest of the path says which:
 *
 *   /deployments                         the list
 *   /deployments/new                     schedule a deployment
 *   /deployments/{id}                    its runs (history, outcomes chart, next occurrences)
 *   /deployments/{id}/edit               change it
 *   /deployments/{id}/runs/{runId}       one run, machine by machine
 */
export type DeploymentsView =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'deployment'; id: string }
  | { kind: 'edit'; id: string }
  | { kind: 'run'; id: string; runId: string }
  | { kind: 'unknown' };

const BASE = '/deployments';

export function viewOf(pathname: string): DeploymentsView {
  const rest = pathname.replace(/\/+$/, '').slice(BASE.length);
  const parts = rest.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0) return { kind: 'list' };
  if (parts.length === 1) return first === 'new' ? { kind: 'new' } : { kind: 'deployment', id: first! };
  if (parts.length === 2 && second === 'edit') return { kind: 'edit', id: first! };
  if (parts.length === 3 && second === 'runs') return { kind: 'run', id: first!, runId: third! };
  return { kind: 'unknown' };
}

const seg = encodeURIComponent;
export const listPath = (): string => BASE;
export const newPath = (): string => `${BASE}/new`;
export const deploymentPath = (id: string): string => `${BASE}/${seg(id)}`;
export const editPath = (id: string): string => `${BASE}/${seg(id)}/edit`;
export const runPath = (id: string, runId: string): string => `${BASE}/${seg(id)}/runs/${seg(runId)}`;
