/** Query history, kept in localStorage (saved searches live on the server: pages/saved/saved-api.ts). */
export interface HistoryEntry {
  query: string;
  ranAt: string;
}

const HISTORY = 'upkeep.history';
const MAX_HISTORY = 50;

function read<T>(key: string): T[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function write<T>(key: string, items: T[]): void {
  localStorage.setItem(key, JSON.stringify(items));
}

export function loadHistory(): HistoryEntry[] {
  return read<HistoryEntry>(HISTORY);
}

/** Newest first; running the same text again moves it to the top. */
export function addToHistory(query: string, now = new Date()): HistoryEntry[] {
  const items = [{ query, ranAt: now.toISOString() }, ...loadHistory().filter((h) => h.query !== query)].slice(0, MAX_HISTORY);
  write(HISTORY, items);
  return items;
}

export function clearHistory(): HistoryEntry[] {
  write(HISTORY, []);
  return [];
}
