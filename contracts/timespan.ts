/**
 * The query API's `timespan`: an ISO 8601 duration (`PT1H`, `P7D`, ending now) or interval
 * (`start/end`, `start/duration`, `duration/end`), as the reference and its SDK send it.
 * Resolved to a half-open window [start, end) applied to TimeGenerated.
 */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/** Milliseconds of an ISO 8601 duration without years or months (their length varies), or undefined. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.toUpperCase() === 'P' || text.toUpperCase().endsWith('T')) return undefined;
  let total = 0;
  UNIT_MS.forEach((unit, i) => {
    const part = match[i + 1];
    if (part !== undefined) total += Number(part) * unit;
  });
  return total;
}

/** The window a timespan names, or an error message saying what is accepted. */
export function parseTimespan(text: string, now: Date): TimeWindow | { error: string } {
  const parts = text.trim().split('/');
  const problem = {
    error: `timespan '${text}' is not an ISO 8601 duration (e.g. PT1H, P7D) or interval (start/end, start/duration, duration/end, e.g. 2024-05-01T00:00:00Z/2024-05-02T00:00:00Z).`,
  };
  if (parts.length === 1) {
    const ms = durationMs(parts[0]!);
    return ms === undefined ? problem : { startMs: now.getTime() - ms, endMs: now.getTime() };
  }
  if (parts.length !== 2) return problem;
  const [first, second] = parts as [string, string];
  const firstDate = dateMs(first);
  const secondDate = dateMs(second);
  let window: TimeWindow | undefined;
  if (firstDate !== undefined && secondDate !== undefined) window = { startMs: firstDate, endMs: secondDate };
  else if (firstDate !== undefined) {
    const ms = durationMs(second);
    if (ms !== undefined) window = { startMs: firstDate, endMs: firstDate + ms };
  } else if (secondDate !== undefined) {
    const ms = durationMs(first);
    if (ms !== undefined) window = { startMs: secondDate - ms, endMs: secondDate };
  }
  if (!window) return problem;
  if (window.endMs < window.startMs) return { error: `timespan '${text}' ends before it starts; give the earlier time first.` };
  return window;
}

function dateMs(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
