/** Test helpers for runs: deployments kept in memory (the DeploymentSource the scheduler reads), and a signed agent. */
import { createHmac } from 'node:crypto';
import type { Deployment } from '../../../contracts/updates.js';
import type { DeploymentSource } from '../scheduler/scheduler.js';

let counter = 0;

export function testDeployment(overrides: Partial<Deployment> = {}): Deployment {
  counter += 1;
  return {
    id: `dep-${counter}`,
    name: `Nightly Linux ${counter}`,
    os: 'Linux',
    classifications: ['Critical Updates', 'Security Updates'],
    excludedUpdates: ['kernel*'],
    includedUpdates: [],
    targets: { machines: ['web1.contoso.com', 'web2.contoso.com'], groups: [], dynamicGroups: [] },
    schedule: { startTime: '2030-01-07T02:00', timeZone: 'UTC', recurrence: { frequency: 'Day', interval: 1 } },
    windowMinutes: 120,
    reboot: 'IfRequired',
    enabled: true,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    frozenGroups: {},
    ...overrides,
  };
}

export class MemoryDeployments implements DeploymentSource {
  readonly items = new Map<string, Deployment>();

  constructor(...deployments: Deployment[]) {
    for (const d of deployments) this.items.set(d.id, d);
  }

  async list(): Promise<Deployment[]> {
    return [...this.items.values()];
  }

  async get(id: string): Promise<Deployment | undefined> {
    return this.items.get(id);
  }
}

/** An agent speaking the job protocol, signing every POST with the workspace key (computed here, independently of the server). */
export class SignedAgent {
  constructor(readonly url: string, readonly workspaceId: string, readonly key: string, readonly computer: string, readonly agentId = `agent-${computer}`, readonly now: () => Date = () => new Date()) {}

  post(path: string, body: unknown, sign: 'good' | 'bad-key' | 'none' = 'good'): Promise<Response> {
    const text = JSON.stringify(body);
    const date = this.now().toUTCString();
    const key = sign === 'bad-key' ? Buffer.alloc(64, 7).toString('base64') : this.key;
    const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(`POST\n${Buffer.byteLength(text)}\napplication/json\nx-ms-date:${date}\n${path}`).digest('base64');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ms-date': date };
    if (sign !== 'none') headers.authorization = `SharedKey ${this.workspaceId}:${signature}`;
    return fetch(`${this.url}${path}`, { method: 'POST', headers, body: text });
  }

  next(waitSeconds = 0): Promise<Response> {
    return this.post('/api/agents/jobs/next', { computer: this.computer, agentId: this.agentId, waitSeconds });
  }

  progress(jobId: string, updates: unknown[]): Promise<Response> {
    return this.post(`/api/agents/jobs/${jobId}/progress`, { updates });
  }

  complete(jobId: string, status: string, error?: string): Promise<Response> {
    return this.post(`/api/agents/jobs/${jobId}/complete`, { status, rebooted: false, ...(error ? { error } : {}) });
  }
}
