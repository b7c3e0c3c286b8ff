/**
 * Whether a result can show as a chart, and which: the query's own `render`, else a chart
 * guessed from the columns as the reference's editor offers one (a timechart when the first
 * column is a datetime, else a column chart) when the model finds something numeric to plot.
 */
import type { ArrowQueryResult, RenderSpec } from '../results/contract.js';
import { isChartVisualization } from '../../../language/values/visualizations.js';
import { chartModel, ChartError } from './model.js';

export function chartRender(result: ArrowQueryResult): RenderSpec | null {
  if (result.render && isChartVisualization(result.render.visualization)) return result.render;
  if (result.columns.length < 2 || result.rowCount === 0) return null;
  const guess: RenderSpec = { visualization: result.columns[0]!.type === 'datetime' ? 'timechart' : 'columnchart', properties: {} };
  try {
    chartModel(result, guess);
    return guess;
  } catch (error) {
    if (error instanceof ChartError) return null;
    throw error;
  }
}
