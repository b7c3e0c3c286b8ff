/**
 * The reference's render data model: one x column, any number of series columns (each distinct
 * combination of their values is one series) and y columns (one measurement each). Omitted
 * properties take the reference's defaults: x is the first column (the first datetime column for
 * timechart), y the numeric columns, series the remaining string columns.
 */
import type { ArrowQueryResult, KustoType, RenderSpec, ResultColumn } from '../results/contract.js';
import { isNumericType } from '../results/cells.js';
import { chartVisualizations, isChartVisualization, unsupportedReason, type ChartVisualization } from '../../../language/values/visualizations.js';
export type ChartKind = 'unstacked' | 'stacked' | 'stacked100';

export interface ChartModel {
  visualization: ChartVisualization;
  x: number;
  ys: number[];
  series: number[];
  kind: ChartKind;
  legend: boolean;
  title?: string;
  xtitle?: string;
  ytitle?: string;
  ymin?: number;
  ymax?: number;
}

/** A render the chart cannot draw; the message names what to change. */
export class ChartError extends Error {
  override name = 'ChartError';
}

export function chartModel(result: ArrowQueryResult, render: RenderSpec): ChartModel {
  const { visualization, properties } = render;
  if (!isChartVisualization(visualization)) {
    const reason = unsupportedReason(visualization, 'chart') ?? `'${visualization}' is no visualization of render`;
    throw new ChartError(`'render ${visualization}' is shown as the table (${reason}); the charts are ${chartVisualizations.join(', ')}.`);
  }
  const columns = result.columns;
  const x = properties.xcolumn !== undefined ? columnIndex(columns, 'xcolumn', String(properties.xcolumn)) : defaultX(columns, visualization);
  const explicitYs = listProperty(properties.ycolumns)?.map((name) => columnIndex(columns, 'ycolumns', name));
  const series = listProperty(properties.series)?.map((name) => columnIndex(columns, 'series', name)) ??
    columns.map((_c, i) => i).filter((i) => i !== x && !explicitYs?.includes(i) && isSeriesType(columns[i]!.type));
  const ys = explicitYs ?? columns.map((_c, i) => i).filter((i) => i !== x && !series.includes(i) && isNumericType(columns[i]!.type));
  if (ys.length === 0) {
    throw new ChartError(`'render ${visualization}' needs a numeric column to plot; add one (summarize count() by …) or name it with ycolumns=.`);
  }
  return {
    visualization,
    x,
    ys: visualization === 'piechart' ? ys.slice(0, 1) : ys,
    series,
    kind: chartKind(visualization, properties.kind),
    legend: properties.legend !== 'hidden',
    ...optionalText('title', properties.title),
    ...optionalText('xtitle', properties.xtitle),
    ...optionalText('ytitle', properties.ytitle),
    ...optionalNumber('ymin', properties.ymin),
    ...optionalNumber('ymax', properties.ymax),
  };
}

function defaultX(columns: ResultColumn[], visualization: ChartVisualization): number {
  if (visualization !== 'timechart') return 0;
  const index = columns.findIndex((c) => c.type === 'datetime');
  if (index < 0) throw new ChartError("'render timechart' needs a datetime column for its x-axis; use linechart, or add one (bin(TimeGenerated, 1h)).");
  return index;
}

function isSeriesType(type: KustoType): boolean {
  return type === 'string' || type === 'guid';
}

type PropertyValue = RenderSpec['properties'][string] | undefined;

/** `ycolumns=a, b` arrives as a list, `ycolumns=a` (or `"a,b"`) as text. */
function listProperty(value: PropertyValue): string[] | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value) ? value : String(value).split(',');
  return names.map((n) => n.trim()).filter((n) => n !== '');
}

function columnIndex(columns: ResultColumn[], property: string, name: string): number {
  const index = columns.findIndex((c) => c.name === name);
  if (index < 0) throw new ChartError(`${property} names '${name}', which is not a result column; the columns are ${columns.map((c) => c.name).join(', ')}.`);
  return index;
}

function chartKind(visualization: ChartVisualization, kind: PropertyValue): ChartKind {
  if (visualization === 'stackedareachart') return 'stacked';
  if (kind === 'stacked' || kind === 'stacked100') return kind;
  // The reference's `default` kind draws each area, bar or column on its own.
  return 'unstacked';
}

function optionalText<K extends string>(key: K, value: PropertyValue): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: String(value) } as Record<K, string>);
}

function optionalNumber<K extends string>(key: K, value: PropertyValue): Partial<Record<K, number>> {
  const n = Number(value);
  return value === undefined || Number.isNaN(n) ? {} : ({ [key]: n } as Record<K, number>);
}
