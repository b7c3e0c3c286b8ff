/**
 * Pivots a result into chart series: the distinct x values (in row order, or ascending for a
 * timechart), and per series key × y column one value array aligned with them. Repeated
 * (x, series) pairs add up, so stacked bars show totals.
 */
import type { ArrowQueryResult, KustoType } from '../results/contract.js';
import { cellNumber, resultCells, type ColumnCells } from '../results/cells.js';
import { sortedOrder } from '../results/sort.js';
import type { ChartModel } from './model.js';

export type XValue = number | string;

export interface PivotSeries {
  name: string;
  values: (number | null)[];
}

export interface Pivot {
  xType: KustoType;
  xs: XValue[];
  series: PivotSeries[];
}

export function pivot(result: ArrowQueryResult, model: ChartModel): Pivot {
  const cells = resultCells(result);
  const xCells = cells[model.x]!;
  const xType = xCells.column.type;
  const order = model.visualization === 'timechart' ? sortedOrder(xCells, result.rowCount, 'asc') : undefined;
  const xIndex = new Map<string, number>();
  const xs: XValue[] = [];
  const seriesIndex = new Map<string, PivotSeries>();
  const ySeriesNames = (key: string) => model.ys.map((y) => seriesName(key, cells[y]!.column.name, model));
  for (let i = 0; i < result.rowCount; i++) {
    const row = order ? order[i]! : i;
    const xText = xCells.text(row);
    let at = xIndex.get(xText);
    if (at === undefined) {
      at = xs.length;
      xIndex.set(xText, at);
      xs.push(xValue(xCells, row, xText));
    }
    const names = ySeriesNames(model.series.map((s) => cells[s]!.text(row)).join(', '));
    model.ys.forEach((y, k) => addPoint(seriesIndex, names[k]!, at, yNumber(cells[y]!, row)));
  }
  const series = [...seriesIndex.values()];
  for (const s of series) while (s.values.length < xs.length) s.values.push(null);
  return { xType, xs, series };
}

function seriesName(key: string, yName: string, model: ChartModel): string {
  if (model.series.length === 0) return yName;
  return model.ys.length > 1 ? `${key}:${yName}` : key;
}

function xValue(cells: ColumnCells, row: number, text: string): XValue {
  const type = cells.column.type;
  if (type === 'datetime' || type === 'int' || type === 'long' || type === 'real') return cellNumber(type, cells.value(row)) ?? text;
  return text;
}

function yNumber(cells: ColumnCells, row: number): number | null {
  return cellNumber(cells.column.type, cells.value(row));
}

function addPoint(index: Map<string, PivotSeries>, name: string, at: number, value: number | null): void {
  let series = index.get(name);
  if (!series) {
    series = { name, values: [] };
    index.set(name, series);
  }
  while (series.values.length <= at) series.values.push(null);
  const previous = series.values[at];
  series.values[at] = value === null ? (previous ?? null) : (previous ?? 0) + value;
}

/** Each x's values as percentages of that x's total across series (kind=stacked100). */
export function toPercentages(series: PivotSeries[], length: number): PivotSeries[] {
  const totals = Array.from({ length }, (_, i) => series.reduce((sum, s) => sum + Math.abs(s.values[i] ?? 0), 0));
  return series.map((s) => ({ name: s.name, values: s.values.map((v, i) => (v === null || totals[i] === 0 ? null : (v / totals[i]!) * 100)) }));
}
