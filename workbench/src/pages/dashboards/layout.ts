/** Where tiles go on the 12-column grid: CSS placement, and a free spot for a new tile. */
import { GRID_COLUMNS } from '../../../../contracts/dashboards.js';

export interface Place {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function gridArea(place: Place): string {
  return `${place.y + 1} / ${place.x + 1} / span ${place.h} / span ${place.w}`;
}

const overlaps = (a: Place, b: Place) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The first spot, row by row, where a w×h tile fits beside the others. */
export function freeSpot(tiles: readonly Place[], w: number, h: number): Place {
  const width = Math.min(w, GRID_COLUMNS);
  for (let y = 0; ; y++) {
    for (let x = 0; x + width <= GRID_COLUMNS; x++) {
      const place = { x, y, w: width, h };
      if (!tiles.some((t) => overlaps(t, place))) return place;
    }
  }
}

/** Reading order for narrow windows, where tiles stack in one column. */
export function readingOrder<T extends Place>(tiles: readonly T[]): T[] {
  return [...tiles].sort((a, b) => a.y - b.y || a.x - b.x);
}
