/** A tile's query in log search, over the tile's time range (a preset when one matches, else the window it ran over). */
import type { TileView } from '../../../../engine/dashboards/contract.js';
import { presets } from '../../search/time-range.js';
import { searchUrl } from '../../search/url-state.js';

export function tileSearchLink(tile: Pick<TileView, 'query' | 'timeRange' | 'window'>): string {
  const preset = presets.find((p) => p.timespan === tile.timeRange.toUpperCase());
  return searchUrl({ query: tile.query, range: preset ? { kind: 'preset', id: preset.id } : { kind: 'custom', start: tile.window.start, end: tile.window.end } });
}

/** "P1D" → "1 day", "PT6H" → "6 hours": how a range reads on a tile. */
export function rangeLabel(timeRange: string): string {
  const units: [RegExp, string][] = [[/(\d+)W/, 'week'], [/P(?:\d+W)?(\d+)D/, 'day'], [/T(\d+)H/, 'hour'], [/T(?:\d+H)?(\d+)M/, 'minute'], [/(\d+)S$/, 'second']];
  const parts = units.flatMap(([pattern, unit]) => {
    const n = pattern.exec(timeRange.toUpperCase())?.[1];
    return n === undefined ? [] : [`${n} ${unit}${n === '1' ? '' : 's'}`];
  });
  return parts.length > 0 ? parts.join(' ') : timeRange;
}
