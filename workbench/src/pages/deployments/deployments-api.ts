/**
 * The update-management API as the Deployments pages use it. Reads go through lib/api.ts; a
 * change answers with the server's refusal (message and validation problems) instead of throwing,
 * because the pages show it next to the fields or in the confirmation.
 */
import type { Deployment, DeploymentInput, MachineCompliance, Run, UpdateProgress, ValidationProblem } from '../../../../contracts/updates.js';
import { apiFetch, apiJson, ApiError } from '../../lib/api.js';
import { session } from '../../lib/session.svelte.js';

export type Refusal = { ok: false; status: number; code: string; message: string; problems: ValidationProblem[] };
export type Answer<T> = { ok: true; value: T } | Refusal;

const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');

async function change<T>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (response.status === 401) session.signOut('Your token was refused; sign in again.');
  const text = await response.text();
  if (response.ok) return { ok: true, value: (text ? JSON.parse(text) : undefined) as T };
  let error: { code?: string; message?: string; problems?: ValidationProblem[] } = {};
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
  } catch {
    error = { message: text.slice(0, 300) };
  }
  return { ok: false, status: response.status, code: error.code ?? 'Error', message: error.message ?? `HTTP ${response.status}`, problems: error.problems ?? [] };
}

export const listDeployments = () => apiJson<{ deployments: Deployment[] }>('/api/deployments').then((a) => a.deployments);
export const getDeployment = (id: string) => apiJson<Deployment>(`/api/deployments/${path(id)}`);
export const nextOccurrences = (id: string, count: number) => apiJson<{ occurrences: string[] }>(`/api/deployments/${path(id)}/occurrences?count=${count}`).then((a) => a.occurrences);
export const runsOf = (id: string) => apiJson<{ runs: Run[]; missed?: string[] }>(`/api/deployments/${path(id)}/runs`);
export const getRun = (runId: string) => apiJson<Run>(`/api/runs/${path(runId)}`);
export const machineUpdates = (runId: string, computer: string) => apiJson<{ updates: UpdateProgress[] }>(`/api/runs/${path(runId, 'machines', computer)}`).then((a) => a.updates);

export const createDeployment = (input: DeploymentInput) => change<Deployment>('POST', '/api/deployments', input);
export const replaceDeployment = (id: string, input: DeploymentInput) => change<Deployment>('PUT', `/api/deployments/${path(id)}`, input);
export const deleteDeployment = (id: string) => change<undefined>('DELETE', `/api/deployments/${path(id)}`);
export const cancelRun = (runId: string) => change<Run>('POST', `/api/runs/${path(runId, 'cancel')}`);

export interface KnownMachine {
  computer: string;
  osType: string;
}

/**
 * The machines a deployment can target: the compliance view when the server has it, else the
 * machines that sent a heartbeat (the same names the agent reports).
 */
export async function knownMachines(): Promise<KnownMachine[]> {
  try {
    const answer = await apiJson<{ machines: MachineCompliance[] }>('/api/compliance/machines');
    return answer.machines.map((m) => ({ computer: m.computer, osType: m.osType }));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const response = await apiFetch('/api/query', { method: 'POST', body: JSON.stringify({ query: 'Heartbeat | summarize arg_max(TimeGenerated, OSType) by Computer | project Computer, OSType | order by Computer asc', timespan: 'P30D' }) });
  const answer = (await response.json()) as { tables: { rows: [string, string][] }[] };
  return (answer.tables[0]?.rows ?? []).map(([computer, osType]) => ({ computer, osType }));
}
