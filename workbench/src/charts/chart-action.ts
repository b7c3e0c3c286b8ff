/**
 * The one place ECharts lives: a Svelte action that creates the chart, replaces its option on
 * every update (notMerge, so a new query never keeps the last one's series), follows the
 * element's size, and disposes it. Modular imports keep the unused chart types out of the
 * bundle. The element carries data-series-count / data-chart-types for tests and tools.
 */
import { BarChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

use([LineChart, BarChart, PieChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export function chart(node: HTMLElement, option: EChartsOption): { update(option: EChartsOption): void; destroy(): void } {
  const instance: ECharts = init(node, null, { renderer: 'canvas' });
  const apply = (next: EChartsOption) => {
    instance.setOption(next, { notMerge: true });
    const series = Array.isArray(next.series) ? next.series : next.series ? [next.series] : [];
    node.dataset.seriesCount = String(series.length);
    node.dataset.chartTypes = [...new Set(series.map((s) => s.type))].join(' ');
  };
  apply(option);
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(node);
  return {
    update: apply,
    destroy() {
      observer.disconnect();
      instance.dispose();
    },
  };
}
