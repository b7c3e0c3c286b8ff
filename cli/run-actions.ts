/** What `upkeep run list|show|cancel` do (their flags are in run-command.ts). */
import type { Run, UpdateProgress } from '../contracts/updates.js';

export interface ApiFlags {
  server: string;
  token?: string;
  format: 'table' | 'json';
}

export async function list(deploymentId: string, flags: ApiFlags): Promise<void> {
  const body = (await api(flags, 'GET', `/api/deployments/${encodeURIComponent(deploymentId)}/runs`)) as { runs: Run[]; missed?: string[] };
  if (flags.format === 'json') return print(JSON.stringify(body));
  const lines = body.runs.map((r) => [r.id, r.scheduledAt, r.status, `${r.machines.length} machines`].join('  '));
  if (body.missed?.length) lines.push(...body.missed.map((at) => `(missed)  ${at}`));
  print(lines.length ? lines.join('\n') : 'No runs yet.');
}

export async function show(runId: string, flags: ApiFlags & { machine?: string }): Promise<void> {
  if (flags.machine) {
    const body = (await api(flags, 'GET', `/api/runs/${encodeURIComponent(runId)}/machines/${encodeURIComponent(flags.machine)}`)) as { updates: UpdateProgress[] };
    return print(flags.format === 'json' ? JSON.stringify(body) : body.updates.map((u) => `${u.status.padEnd(26)} ${u.title}${u.errorResult ? `  (${u.errorResult})` : ''}`).join('\n') || 'No updates reported.');
  }
  printRun((await api(flags, 'GET', `/api/runs/${encodeURIComponent(runId)}`)) as Run & { reason?: string }, flags.format);
}

export async function cancel(runId: string, flags: ApiFlags): Promise<void> {
  printRun((await api(flags, 'POST', `/api/runs/${encodeURIComponent(runId)}/cancel`)) as Run & { reason?: string }, flags.format);
}

async function api(flags: ApiFlags, method: string, path: string): Promise<unknown> {
  const token = flags.token ?? process.env.UPKEEP_TOKEN;
  if (!token) throw new Error('No token: pass --token or set UPKEEP_TOKEN (create one with `upkeep token create --role reader`, or operator to cancel).');
  let response: Response;
  try {
    response = await fetch(`${flags.server.replace(/\/$/, '')}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new Error(`Cannot reach ${flags.server} (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}); is \`upkeep serve\` running there? Pass --server.`);
  }
  const text = await response.text();
  if (!response.ok) {
    const message = (JSON.parse(text || '{}') as { error?: { message?: string } }).error?.message ?? text;
    throw new Error(`${method} ${path}: ${response.status} ${message}`);
  }
  return JSON.parse(text) as unknown;
}

function printRun(run: Run & { reason?: string }, format: ApiFlags['format']): void {
  if (format === 'json') return print(JSON.stringify(run));
  const head = [`Run ${run.id}  ${run.name}  ${run.status}`, `Scheduled ${run.scheduledAt}  window ends ${run.windowEndsAt}`];
  if (run.reason) head.push(`Reason: ${run.reason}`);
  const machines = run.machines.map((m) => {
    const counts = Object.entries(m.counts).map(([s, n]) => `${s} ${n}`).join(', ');
    return `  ring ${m.ring + 1}  ${m.computer.padEnd(32)} ${m.status.padEnd(26)} ${counts}`;
  });
  print([...head, ...machines].join('\n'));
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
