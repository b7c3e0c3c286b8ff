/**
 * ECharts options for `render …`, built as plain data from a result and its render spec so they
 * can be tested in Node; chart-action.ts is the only place that talks to ECharts itself.
 */
import type { EChartsOption, SeriesOption } from 'echarts';
import type { ArrowQueryResult, RenderSpec } from '../results/contract.js';
import { chartModel, type ChartModel } from './model.js';
import { pivot, toPercentages, type Pivot, type XValue } from './pivot.js';

/** Beyond this many points a line draws no symbols (they would cover the line and slow it down). */
const SYMBOL_LIMIT = 200;

export function chartOptions(result: ArrowQueryResult, render: RenderSpec): EChartsOption {
  const model = chartModel(result, render);
  const data = pivot(result, model);
  const base: EChartsOption = {
    animation: data.xs.length * data.series.length < 5_000,
    animationDuration: 300,
    ...(model.title !== undefined ? { title: { text: model.title, left: 'center' } } : {}),
    legend: { show: model.legend, type: 'scroll', bottom: 0 },
  };
  if (model.visualization === 'piechart') return { ...base, ...pieOptions(data) };
  return { ...base, ...cartesianOptions(model, data) };
}

function pieOptions(data: Pivot): EChartsOption {
  const values = data.series[0]?.values ?? [];
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        radius: '65%',
        data: data.xs.map((x, i) => ({ name: String(x), value: values[i] ?? 0 })),
      },
    ],
  };
}

type AxisKind = 'time' | 'value' | 'category';

function cartesianOptions(model: ChartModel, data: Pivot): EChartsOption {
  const horizontal = model.visualization === 'barchart';
  const xAxisKind = xKind(model, data);
  const series = model.kind === 'stacked100' ? toPercentages(data.series, data.xs.length) : data.series;
  const points = data.xs.length;
  const valueAxis = {
    type: 'value' as const,
    ...(model.ytitle !== undefined ? { name: model.ytitle } : {}),
    ...(model.kind === 'stacked100' ? { max: 100, axisLabel: { formatter: '{value}%' } } : {}),
    ...(model.ymin !== undefined ? { min: model.ymin } : {}),
    ...(model.ymax !== undefined ? { max: model.ymax } : {}),
  };
  const categoryAxis = {
    type: xAxisKind,
    ...(xAxisKind === 'category' ? { data: data.xs.map(String) } : {}),
    ...(model.xtitle !== undefined ? { name: model.xtitle } : {}),
    ...(horizontal ? { inverse: true } : {}),
  };
  return {
    tooltip: { trigger: model.visualization === 'scatterchart' ? 'item' : 'axis' },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series.map((s): SeriesOption => seriesOption(model, s.name, axisData(model, xAxisKind, data.xs, s.values), points)),
  };
}

/**
 * A category axis takes values aligned with its categories. A time or value axis takes [x, y]
 * pairs: a series without a row at some x leaves that x out, so its line joins its own points,
 * except when stacked, where ECharts adds up aligned points and a missing one counts as 0.
 */
function axisData(model: ChartModel, axisKind: AxisKind, xs: XValue[], values: (number | null)[]): unknown[] {
  if (axisKind === 'category') return values;
  if (model.kind !== 'unstacked') return values.map((v, i) => [xs[i], v ?? 0]);
  const pairs: [XValue, number][] = [];
  values.forEach((v, i) => {
    if (v !== null) pairs.push([xs[i]!, v]);
  });
  return pairs;
}

function xKind(model: ChartModel, data: Pivot): AxisKind {
  if (model.visualization === 'columnchart' || model.visualization === 'barchart') return 'category';
  if (data.xType === 'datetime') return 'time';
  if (data.xs.every((x) => typeof x === 'number')) return 'value';
  return 'category';
}

function seriesOption(model: ChartModel, name: string, data: unknown[], points: number): SeriesOption {
  const stack = model.kind === 'unstacked' ? {} : { stack: 'total' };
  switch (model.visualization) {
    case 'columnchart':
    case 'barchart':
      return { type: 'bar', name, data: data as number[], ...stack };
    case 'scatterchart':
      return { type: 'scatter', name, data: data as number[], symbolSize: points > SYMBOL_LIMIT ? 4 : 8 };
    case 'areachart':
    case 'stackedareachart':
      return { type: 'line', name, data: data as number[], areaStyle: {}, showSymbol: points <= SYMBOL_LIMIT, ...stack };
    default:
      return { type: 'line', name, data: data as number[], showSymbol: points <= SYMBOL_LIMIT, ...stack };
  }
}
