/** Query history and saved queries, kept in localStorage (saved searches move to the server later). */
export interface HistoryEntry {
  query: string;
  ranAt: string;
}

export interface SavedQuery {
  name: string;
  query: string;
  savedAt: string;
}

const HISTORY = 'upkeep.history';
const SAVED = 'upkeep.saved';
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

export function loadSaved(): SavedQuery[] {
  return read<SavedQuery>(SAVED);
}

/** Saving under an existing name replaces it. */
export function saveQuery(name: string, query: string, now = new Date()): SavedQuery[] {
  const items = [...loadSaved().filter((s) => s.name !== name), { name, query, savedAt: now.toISOString() }].sort((a, b) => a.name.localeCompare(b.name));
  write(SAVED, items);
  return items;
}

export function deleteSaved(name: string): SavedQuery[] {
  const items = loadSaved().filter((s) => s.name !== name);
  write(SAVED, items);
  return items;
}
