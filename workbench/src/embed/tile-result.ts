/**
 * Fetches a tile's result as Arrow (dictionary-encoded strings, the smallest answer) with the
 * tile's definition in the `x-upkeep-tile` header, and decodes it once. Used by the dashboard
 * page (with the signed-in token) and the embed page (with the tile's embed token).
 */
import type { TileView } from '../../../contracts/dashboards.js';
import type { ArrowQueryResult } from '../results/contract.js';
import { decodeArrowResult } from '../results/decode.js';

export interface TileResult {
  tile: TileView;
  result: ArrowQueryResult;
  /** When it was received, for "updated hh:mm:ss". */
  receivedAt: Date;
}

/** A refusal or failure, with the server's message and code. */
export class TileError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TileError';
  }
}

export async function fetchTileResult(path: string, token: string, signal?: AbortSignal): Promise<TileResult> {
  const started = performance.now();
  const response = await fetch(path, { headers: { accept: 'application/vnd.apache.arrow.stream', authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw await tileError(response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const header = response.headers.get('x-upkeep-tile');
  if (!header) throw new TileError(response.status, 'NoTile', 'The answer has no tile definition (x-upkeep-tile); the server is older than the workbench.');
  const tile = JSON.parse(decodeURIComponent(header)) as TileView;
  return { tile, result: decodeArrowResult(bytes, performance.now() - started), receivedAt: new Date() };
}

async function tileError(response: Response): Promise<TileError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new TileError(response.status, body.error?.code ?? 'Error', body.error?.message ?? `HTTP ${response.status}`);
  } catch {
    return new TileError(response.status, 'Error', text.slice(0, 300) || `HTTP ${response.status}`);
  }
}
