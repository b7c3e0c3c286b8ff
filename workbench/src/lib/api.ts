/** Calls to the Upkeep API with the signed-in bearer token; a 401 signs out. */
import { session } from './session.svelte.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { line: number; column: number; code: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function apiFetch(path: string, init: RequestInit = {}, token = session.token): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    const error = await errorOf(response);
    if (token === session.token) session.signOut('Your token was refused; sign in again.');
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function apiJson<T>(path: string, init: RequestInit = {}, token?: string | null): Promise<T> {
  const response = await apiFetch(path, init, token === undefined ? session.token : token);
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ApiError['details'] } };
    return new ApiError(response.status, body.error?.code ?? 'Error', body.error?.message ?? `HTTP ${response.status}`, body.error?.details ?? []);
  } catch {
    return new ApiError(response.status, 'Error', text.slice(0, 300) || `HTTP ${response.status}`);
  }
}
