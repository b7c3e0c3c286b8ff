/** A tile's query in log search, over the tile's time range (a preset when one matches, else the window it ran over). */
import type { TileView } from '../../../../contracts/dashboards.js';
import { presets } from '../../search/time-range.js';
import { searchUrl } from '../../search/url-state.js';

export { rangeLabel } from '../../embed/range-label.js';

export function tileSearchLink(tile: Pick<TileView, 'query' | 'timeRange' | 'window'>): string {
  const preset = presets.find((p) => p.timespan === tile.timeRange.toUpperCase());
  return searchUrl({ query: tile.query, range: preset ? { kind: 'preset', id: preset.id } : { kind: 'custom', start: tile.window.start, end: tile.window.end } });
}

