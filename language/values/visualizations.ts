/**
 * The visualizations of `render`: one list for every layer. The resolver accepts each name here,
 * completion offers them, the workbench charts draw those whose `chart` is true, and a dashboard
 * tile may be set to those whose `tile` is true (or to `auto`, the query's own render). Where a
 * layer cannot show a kind, the entry says why; that kind's result then shows as the table.
 * Adding a kind is one entry here (and, for `chart: true`, its drawing in workbench/src/charts).
 */

/** Why a layer does not show a kind, said to whoever picks it: a chart's reason reads after "shown as the table", a tile's is a sentence. */
export interface Unsupported {
  readonly unsupported: string;
}

export interface VisualizationKind {
  /** One line for completion and documentation. */
  readonly doc: string;
  /** Drawn as a chart by the workbench (workbench/src/charts). */
  readonly chart: true | Unsupported;
  /** Offered as a dashboard tile's visualization (app/dashboards/validate.ts). */
  readonly tile: true | Unsupported;
}

const notDrawn = (what: string): Unsupported => ({ unsupported: `${what} is not drawn by the workbench yet` });
const noTile = (what: string): Unsupported => ({ unsupported: `A tile shows the table or one of the charts; ${what} is not drawn yet, so pick table or a chart.` });

export const visualizationKinds = {
  table: { doc: 'The result grid (what a query without render shows).', chart: { unsupported: 'the table is the result grid itself, not a chart' }, tile: true },
  timechart: { doc: 'Lines over a datetime x-axis (the first datetime column).', chart: true, tile: true },
  linechart: { doc: 'Lines over the first column.', chart: true, tile: true },
  areachart: { doc: 'Filled lines; kind=stacked stacks them.', chart: true, tile: true },
  stackedareachart: { doc: 'Filled lines stacked on each other.', chart: true, tile: true },
  columnchart: { doc: 'Vertical bars per x value; kind=stacked / stacked100 stacks them.', chart: true, tile: true },
  barchart: { doc: 'Horizontal bars per x value; kind=stacked / stacked100 stacks them.', chart: true, tile: true },
  piechart: { doc: 'Slices named by the first column, sized by the first number.', chart: true, tile: true },
  scatterchart: { doc: 'Points of x against each number.', chart: true, tile: true },
  card: { doc: 'One value, large.', chart: notDrawn('a card'), tile: noTile('a card') },
  anomalychart: { doc: 'A timechart marking anomalous points.', chart: notDrawn('an anomaly chart'), tile: noTile('an anomaly chart') },
  pivotchart: { doc: 'A pivot table with a chart.', chart: notDrawn('a pivot chart'), tile: noTile('a pivot chart') },
  ladderchart: { doc: 'Intervals on a time axis, one lane per value.', chart: notDrawn('a ladder chart'), tile: noTile('a ladder chart') },
  timepivot: { doc: 'Events on a time axis, grouped by columns.', chart: notDrawn('a time pivot'), tile: noTile('a time pivot') },
  treemap: { doc: 'Nested rectangles sized by a number.', chart: notDrawn('a treemap'), tile: noTile('a treemap') },
} as const satisfies Record<string, VisualizationKind>;

export type Visualization = keyof typeof visualizationKinds;
type Kinds = typeof visualizationKinds;
type SupportedBy<Layer extends 'chart' | 'tile'> = { [K in Visualization]: Kinds[K][Layer] extends true ? K : never }[Visualization];

/** Every kind `render` accepts, in the reference's order. */
export const visualizations = Object.keys(visualizationKinds) as Visualization[];

export type ChartVisualization = SupportedBy<'chart'>;
export const chartVisualizations: readonly ChartVisualization[] = visualizations.filter((v): v is ChartVisualization => visualizationKinds[v].chart === true);

/** `auto` follows the query's own render (a table without one). */
export type TileVisualization = 'auto' | SupportedBy<'tile'>;
export const tileVisualizations: readonly TileVisualization[] = ['auto', ...visualizations.filter((v): v is SupportedBy<'tile'> => visualizationKinds[v].tile === true)];

export function isVisualization(name: string): name is Visualization {
  return Object.hasOwn(visualizationKinds, name);
}

export function isChartVisualization(name: string): name is ChartVisualization {
  return (chartVisualizations as readonly string[]).includes(name);
}

export function isTileVisualization(name: string): name is TileVisualization {
  return (tileVisualizations as readonly string[]).includes(name);
}

/** Why `layer` does not show `name`; undefined when it does (or `name` is no kind). */
export function unsupportedReason(name: string, layer: 'chart' | 'tile'): string | undefined {
  if (!isVisualization(name)) return undefined;
  const support: true | Unsupported = visualizationKinds[name][layer];
  return support === true ? undefined : support.unsupported;
}
