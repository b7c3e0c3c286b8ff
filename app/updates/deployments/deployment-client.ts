/** The deployments API from the outside (the CLI): fetch, with errors an operator can act on. */
import type { Deployment, ValidationProblem } from '../../../contracts/updates.js';

export interface ClientOptions {
  server: string;
  token: string | undefined;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: ValidationProblem[] = [],
  ) {
    super(message);
  }
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; problems?: ValidationProblem[] };
}

export class DeploymentClient {
  constructor(private readonly options: ClientOptions) {}

  async list(): Promise<Deployment[]> {
    return ((await this.call('GET', '/api/deployments')) as { deployments: Deployment[] }).deployments;
  }

  async get(id: string): Promise<Deployment> {
    return (await this.call('GET', `/api/deployments/${encodeURIComponent(id)}`)) as Deployment;
  }

  async create(body: unknown): Promise<Deployment> {
    return (await this.call('POST', '/api/deployments', body)) as Deployment;
  }

  async replace(id: string, body: unknown): Promise<Deployment> {
    return (await this.call('PUT', `/api/deployments/${encodeURIComponent(id)}`, body)) as Deployment;
  }

  async delete(id: string): Promise<void> {
    await this.call('DELETE', `/api/deployments/${encodeURIComponent(id)}`);
  }

  async occurrences(id: string, count: number): Promise<string[]> {
    return ((await this.call('GET', `/api/deployments/${encodeURIComponent(id)}/occurrences?count=${count}`)) as { occurrences: string[] }).occurrences;
  }

  /** A deployment by id or by name (ignoring case), as an operator would refer to it. */
  async resolve(idOrName: string): Promise<Deployment> {
    const all = await this.list();
    const found = all.find((d) => d.id === idOrName) ?? all.find((d) => d.name.toLowerCase() === idOrName.trim().toLowerCase());
    if (!found) throw new ApiError(`No deployment has the id or name "${idOrName}": see upkeep deployment list.`, 404, 'DeploymentNotFound');
    return found;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const { server, token } = this.options;
    if (!token) {
      throw new ApiError(`No token: pass --token or set UPKEEP_TOKEN. Create one with \`upkeep token create --role operator\` (reader is enough to list and show).`, 401, 'AuthenticationRequired');
    }
    const url = `${server.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const detail = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = detail?.code ?? detail?.message ?? (error as Error).message;
      throw new ApiError(`Cannot reach the Upkeep server at ${server} (${cause}): start it with \`upkeep serve\`, or pass --server <url>.`, 0, 'Unreachable');
    }
    const text = await response.text();
    if (response.ok) return text === '' ? undefined : (JSON.parse(text) as unknown);
    let answer: ErrorAnswer = {};
    try {
      answer = JSON.parse(text) as ErrorAnswer;
    } catch {
      // not JSON: the status says enough
    }
    const code = answer.error?.code ?? `HTTP${response.status}`;
    const problems = answer.error?.problems ?? [];
    const message = problems.length > 0 ? `The server refused the deployment (${code}):` : (answer.error?.message ?? `${method} ${path} answered ${response.status}.`);
    throw new ApiError(message, response.status, code, problems);
  }
}
