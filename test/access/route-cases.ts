/**
 * One realistic request per route for the access matrix, and the statuses an allowed caller
 * gets (the handler's own answer: 2xx, or a 4xx such as 404 for an id that does not exist).
 * Changes act on fresh resources made as admin first, so every allowed call really changes
 * something and no call disturbs the next. A route added to the server needs a case here.
 */
import { sampleDeploymentInput } from '../../app/updates/deployments/sample-input.js';
import type { Method } from '../../server/access-policy.js';

export interface Fixtures {
  workspaceId: string;
  /** A call as admin; the parsed answer, throwing on a refusal. */
  admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** A registered machine and the token it got at registration. */
  agent: { token: string; agentId: string; machineId: string; computer: string };
  savedSearchId: string;
  dashboardId: string;
  tileId: string;
  embedToken: string;
}

export interface CaseRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteCase {
  method: Method;
  url: string;
  /** Statuses of an allowed call. */
  allowed: number[];
  /** Agent-protocol requests name the registered machine, so its own token is allowed. */
  request(fixtures: Fixtures): Promise<CaseRequest> | CaseRequest;
}

let serial = 0;
const unique = (prefix: string): string => `${prefix}${++serial}`;

const heartbeat = (computer: string) => [{ Computer: computer, TimeGenerated: new Date().toISOString(), OSType: 'Linux', Version: '1.0' }];

const savedSearch = () => ({ name: unique('Matrix_search_'), category: 'Test', description: 'matrix', query: 'Heartbeat | summarize by Computer' });
const deployment = () => sampleDeploymentInput({ name: unique('matrix deployment ') });
const alertRule = () => ({
  name: unique('matrix rule '), query: 'Heartbeat | summarize count() by Computer', frequency: 'PT5M', lookback: 'PT5M', measure: { kind: 'rowCount' },
  operator: '>', threshold: 0, failingPeriods: 1, evaluationPeriods: 1, dimensions: [], severity: 3, autoResolveAfter: 1, muteFor: 'PT0S', enabled: false, actions: { webhooks: [] },
});
const dashboard = (f: Fixtures) => ({
  name: unique('Matrix dashboard '),
  tiles: [{ title: 'Machines', savedSearchId: f.savedSearchId, visualization: 'table', timeRange: 'PT6H', refreshSeconds: 0, x: 0, y: 0, w: 4, h: 3 }],
});

const created = async (f: Fixtures, path: string, body: unknown): Promise<string> => String((await f.admin('POST', path, body)).id);

export const routeCases: readonly RouteCase[] = [
  { method: 'GET', url: '/', allowed: [200, 503], request: () => ({ path: '/' }) },
  { method: 'GET', url: '/*', allowed: [200, 503], request: () => ({ path: '/deployments' }) },

  { method: 'POST', url: '/api/logs', allowed: [200], request: (f) => ({ path: '/api/logs', headers: { 'log-type': 'Heartbeat' }, body: heartbeat(f.agent.computer) }) },
  {
    method: 'POST', url: '/dataCollectionRules/:ruleId/streams/:stream', allowed: [204],
    request: (f) => ({ path: '/dataCollectionRules/dcr-matrix/streams/Custom-Heartbeat?api-version=2023-01-01', body: heartbeat(f.agent.computer) }),
  },
  { method: 'POST', url: '/api/agents/register', allowed: [200, 201], request: (f) => ({ path: '/api/agents/register', body: { machineId: f.agent.machineId, fqdn: f.agent.computer, osType: 'Linux' } }) },
  { method: 'POST', url: '/api/agents/jobs/next', allowed: [204], request: (f) => ({ path: '/api/agents/jobs/next', body: { computer: f.agent.computer, agentId: f.agent.agentId, waitSeconds: 0 } }) },
  { method: 'POST', url: '/api/agents/jobs/:jobId/progress', allowed: [404], request: () => ({ path: '/api/agents/jobs/no-such-job/progress', body: { updates: [] } }) },
  { method: 'POST', url: '/api/agents/jobs/:jobId/complete', allowed: [404], request: () => ({ path: '/api/agents/jobs/no-such-job/complete', body: { status: 'Succeeded', rebooted: false } }) },

  { method: 'POST', url: '/api/query', allowed: [200], request: () => ({ path: '/api/query', body: { query: 'print x = 1' } }) },
  { method: 'POST', url: '/v1/workspaces/:workspaceId/query', allowed: [200], request: (f) => ({ path: `/v1/workspaces/${f.workspaceId}/query`, body: { query: 'Heartbeat | take 1', timespan: 'PT1H' } }) },
  { method: 'POST', url: '/api/query/explain', allowed: [200], request: () => ({ path: '/api/query/explain', body: { query: 'Heartbeat | count' } }) },
  { method: 'GET', url: '/api/schema', allowed: [200], request: () => ({ path: '/api/schema' }) },
  { method: 'GET', url: '/api/compliance/machines', allowed: [200], request: () => ({ path: '/api/compliance/machines?os=Linux' }) },
  { method: 'GET', url: '/api/compliance/updates', allowed: [200], request: () => ({ path: '/api/compliance/updates' }) },

  { method: 'GET', url: '/api/deployments', allowed: [200], request: () => ({ path: '/api/deployments' }) },
  { method: 'POST', url: '/api/deployments', allowed: [201], request: () => ({ path: '/api/deployments', body: deployment() }) },
  { method: 'GET', url: '/api/deployments/:id', allowed: [200], request: async (f) => ({ path: `/api/deployments/${await created(f, '/api/deployments', deployment())}` }) },
  { method: 'PUT', url: '/api/deployments/:id', allowed: [200], request: async (f) => ({ path: `/api/deployments/${await created(f, '/api/deployments', deployment())}`, body: deployment() }) },
  { method: 'DELETE', url: '/api/deployments/:id', allowed: [204], request: async (f) => ({ path: `/api/deployments/${await created(f, '/api/deployments', deployment())}` }) },
  { method: 'GET', url: '/api/deployments/:id/occurrences', allowed: [200], request: async (f) => ({ path: `/api/deployments/${await created(f, '/api/deployments', deployment())}/occurrences?count=3` }) },
  { method: 'GET', url: '/api/deployments/:id/runs', allowed: [200], request: async (f) => ({ path: `/api/deployments/${await created(f, '/api/deployments', deployment())}/runs` }) },
  { method: 'GET', url: '/api/runs/:runId', allowed: [404], request: () => ({ path: '/api/runs/no-such-run' }) },
  { method: 'GET', url: '/api/runs/:runId/machines/:computer', allowed: [404], request: () => ({ path: '/api/runs/no-such-run/machines/web-1' }) },
  { method: 'POST', url: '/api/runs/:runId/cancel', allowed: [404], request: () => ({ path: '/api/runs/no-such-run/cancel' }) },
  { method: 'POST', url: '/api/machines/:computer/assess', allowed: [202], request: (f) => ({ path: `/api/machines/${f.agent.computer}/assess` }) },

  { method: 'GET', url: '/api/saved-searches', allowed: [200], request: () => ({ path: '/api/saved-searches' }) },
  { method: 'POST', url: '/api/saved-searches', allowed: [201], request: () => ({ path: '/api/saved-searches', body: savedSearch() }) },
  { method: 'GET', url: '/api/saved-searches/:id', allowed: [200], request: (f) => ({ path: `/api/saved-searches/${f.savedSearchId}` }) },
  { method: 'PUT', url: '/api/saved-searches/:id', allowed: [200], request: async (f) => ({ path: `/api/saved-searches/${await created(f, '/api/saved-searches', savedSearch())}`, body: savedSearch() }) },
  { method: 'DELETE', url: '/api/saved-searches/:id', allowed: [204], request: async (f) => ({ path: `/api/saved-searches/${await created(f, '/api/saved-searches', savedSearch())}` }) },
  { method: 'GET', url: '/api/saved-searches/:id/users', allowed: [200], request: (f) => ({ path: `/api/saved-searches/${f.savedSearchId}/users` }) },

  { method: 'GET', url: '/api/dashboards', allowed: [200], request: () => ({ path: '/api/dashboards' }) },
  { method: 'POST', url: '/api/dashboards', allowed: [201], request: (f) => ({ path: '/api/dashboards', body: dashboard(f) }) },
  { method: 'GET', url: '/api/dashboards/:id', allowed: [200], request: (f) => ({ path: `/api/dashboards/${f.dashboardId}` }) },
  { method: 'PUT', url: '/api/dashboards/:id', allowed: [200], request: async (f) => ({ path: `/api/dashboards/${await created(f, '/api/dashboards', dashboard(f))}`, body: dashboard(f) }) },
  { method: 'DELETE', url: '/api/dashboards/:id', allowed: [204], request: async (f) => ({ path: `/api/dashboards/${await created(f, '/api/dashboards', dashboard(f))}` }) },
  { method: 'GET', url: '/api/dashboards/:id/tiles/:tileId/result', allowed: [200], request: (f) => ({ path: `/api/dashboards/${f.dashboardId}/tiles/${f.tileId}/result` }) },
  { method: 'POST', url: '/api/dashboards/:id/tiles/:tileId/embed-token', allowed: [201], request: (f) => ({ path: `/api/dashboards/${f.dashboardId}/tiles/${f.tileId}/embed-token`, body: { expiresIn: 'PT1H' } }) },
  { method: 'GET', url: '/api/dashboards/:id/tiles/:tileId/embed-tokens', allowed: [200], request: (f) => ({ path: `/api/dashboards/${f.dashboardId}/tiles/${f.tileId}/embed-tokens` }) },
  {
    method: 'DELETE', url: '/api/dashboards/:id/tiles/:tileId/embed-tokens/:tokenId', allowed: [204],
    request: async (f) => {
      const issued = await f.admin('POST', `/api/dashboards/${f.dashboardId}/tiles/${f.tileId}/embed-token`, {});
      return { path: `/api/dashboards/${f.dashboardId}/tiles/${f.tileId}/embed-tokens/${String(issued.tokenId)}` };
    },
  },
  { method: 'GET', url: '/api/embed/tiles/:tileId', allowed: [200], request: (f) => ({ path: `/api/embed/tiles/${f.tileId}` }) },

  { method: 'GET', url: '/api/alert-rules', allowed: [200], request: () => ({ path: '/api/alert-rules' }) },
  { method: 'POST', url: '/api/alert-rules', allowed: [201], request: () => ({ path: '/api/alert-rules', body: alertRule() }) },
  { method: 'GET', url: '/api/alert-rules/:id', allowed: [200], request: async (f) => ({ path: `/api/alert-rules/${await created(f, '/api/alert-rules', alertRule())}` }) },
  { method: 'PUT', url: '/api/alert-rules/:id', allowed: [200], request: async (f) => ({ path: `/api/alert-rules/${await created(f, '/api/alert-rules', alertRule())}`, body: alertRule() }) },
  { method: 'DELETE', url: '/api/alert-rules/:id', allowed: [204], request: async (f) => ({ path: `/api/alert-rules/${await created(f, '/api/alert-rules', alertRule())}` }) },
  { method: 'GET', url: '/api/alert-rules/:id/instances', allowed: [200], request: async (f) => ({ path: `/api/alert-rules/${await created(f, '/api/alert-rules', alertRule())}/instances` }) },
  { method: 'POST', url: '/api/alert-rules/:id/evaluate', allowed: [200], request: async (f) => ({ path: `/api/alert-rules/${await created(f, '/api/alert-rules', alertRule())}/evaluate` }) },

  { method: 'GET', url: '/api/tokens', allowed: [200], request: () => ({ path: '/api/tokens' }) },
  { method: 'POST', url: '/api/tokens', allowed: [201], request: () => ({ path: '/api/tokens', body: { role: 'reader', label: unique('matrix reader ') } }) },
  { method: 'DELETE', url: '/api/tokens/:id', allowed: [204], request: async (f) => ({ path: `/api/tokens/${String((await f.admin('POST', '/api/tokens', { role: 'reader' })).id)}` }) },
  { method: 'GET', url: '/api/workspace/keys', allowed: [200], request: () => ({ path: '/api/workspace/keys' }) },
  { method: 'POST', url: '/api/workspace/keys/rotate', allowed: [200], request: () => ({ path: '/api/workspace/keys/rotate', body: { graceHours: 24 } }) },
];
