/**
 * The time-range picker's choices, as the query API's `timespan` (ISO 8601 duration ending now,
 * or a `start/end` interval for a custom range), and their short URL form.
 */
export interface Preset {
  id: string;
  label: string;
  timespan: string;
}

export const presets: readonly Preset[] = [
  { id: '30m', label: 'Last 30 minutes', timespan: 'PT30M' },
  { id: '1h', label: 'Last hour', timespan: 'PT1H' },
  { id: '4h', label: 'Last 4 hours', timespan: 'PT4H' },
  { id: '12h', label: 'Last 12 hours', timespan: 'PT12H' },
  { id: '24h', label: 'Last 24 hours', timespan: 'P1D' },
  { id: '48h', label: 'Last 48 hours', timespan: 'P2D' },
  { id: '3d', label: 'Last 3 days', timespan: 'P3D' },
  { id: '7d', label: 'Last 7 days', timespan: 'P7D' },
  { id: '30d', label: 'Last 30 days', timespan: 'P30D' },
];

export const defaultRange = '24h';

export type TimeRange = { kind: 'preset'; id: string } | { kind: 'custom'; start: string; end: string };

export function timespanOf(range: TimeRange): string | undefined {
  if (range.kind === 'preset') return presets.find((p) => p.id === range.id)?.timespan;
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return undefined;
  return `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
}

/** `24h`, or `2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z` for a custom range. */
export function rangeToParam(range: TimeRange): string {
  return range.kind === 'preset' ? range.id : `${range.start}/${range.end}`;
}

export function rangeFromParam(param: string | null): TimeRange {
  if (param && presets.some((p) => p.id === param)) return { kind: 'preset', id: param };
  const parts = param?.split('/');
  if (parts?.length === 2 && parts.every((p) => !Number.isNaN(Date.parse(p)))) return { kind: 'custom', start: parts[0]!, end: parts[1]! };
  return { kind: 'preset', id: defaultRange };
}
