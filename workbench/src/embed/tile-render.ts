/**
 * What a tile draws: the query's own `render` when the tile says `auto`, a table when it says
 * `table` (or the query renders none), or the chosen chart — keeping the query's render
 * properties (titles, columns, kind) when it chose the same chart.
 */
import { isChartVisualization } from '../../../language/values/visualizations.js';
import type { RenderSpec } from '../results/contract.js';

export function tileRender(visualization: string, queryRender: RenderSpec | null): RenderSpec | null {
  if (visualization === 'auto') return queryRender && isChartVisualization(queryRender.visualization) ? queryRender : null;
  // the server stores only tile visualizations; anything else (table included) is the table
  if (!isChartVisualization(visualization)) return null;
  const properties = queryRender?.visualization === visualization ? queryRender.properties : {};
  return { visualization, properties };
}
