/** The saved searches API from the outside (the CLI): fetch, with errors an operator can act on. */
import type { SavedSearch, SavedSearchInput, SavedSearchProblem, SavedSearchUser } from '../../contracts/saved.js';

export class SavedApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: SavedSearchProblem[] = [],
    readonly users: SavedSearchUser[] = [],
  ) {
    super(message);
  }
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; problems?: SavedSearchProblem[]; users?: SavedSearchUser[] };
}

export class SavedSearchClient {
  constructor(private readonly options: { server: string; token: string | undefined }) {}

  async list(): Promise<SavedSearch[]> {
    return ((await this.call('GET', '/api/saved-searches')) as { savedSearches: SavedSearch[] }).savedSearches;
  }

  /** By id or name (the server accepts both). */
  async get(idOrName: string): Promise<SavedSearch> {
    return (await this.call('GET', this.path(idOrName))) as SavedSearch;
  }

  async users(idOrName: string): Promise<SavedSearchUser[]> {
    return ((await this.call('GET', `${this.path(idOrName)}/users`)) as { users: SavedSearchUser[] }).users;
  }

  async create(input: Partial<SavedSearchInput>): Promise<SavedSearch> {
    return (await this.call('POST', '/api/saved-searches', input)) as SavedSearch;
  }

  async replace(idOrName: string, input: SavedSearchInput): Promise<SavedSearch> {
    return (await this.call('PUT', this.path(idOrName), input)) as SavedSearch;
  }

  async delete(idOrName: string): Promise<void> {
    await this.call('DELETE', this.path(idOrName));
  }

  private path(idOrName: string): string {
    return `/api/saved-searches/${encodeURIComponent(idOrName)}`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const { server, token } = this.options;
    if (!token) throw new SavedApiError('No token: pass --token or set UPKEEP_TOKEN. Create one with `upkeep token create --role operator` (reader is enough to list and show).', 401, 'AuthenticationRequired');
    let response: Response;
    try {
      response = await fetch(`${server.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const detail = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new SavedApiError(`Cannot reach the Upkeep server at ${server} (${detail?.code ?? detail?.message ?? (error as Error).message}): start it with \`upkeep serve\`, or pass --server <url>.`, 0, 'Unreachable');
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
    const message = problems.length > 0 ? `The server refused the saved search (${code}):` : (answer.error?.message ?? `${method} ${path} answered ${response.status}.`);
    throw new SavedApiError(message, response.status, code, problems, answer.error?.users ?? []);
  }
}
