/**
 * The chart action, loaded when the first chart is shown: ECharts is the largest part of the
 * results code, and most results are read as a table.
 */
import type { EChartsOption } from 'echarts';

type ChartHandle = { update(option: EChartsOption): void; destroy(): void };

export function lazyChart(node: HTMLElement, option: EChartsOption): ChartHandle {
  let current = option;
  let handle: ChartHandle | undefined;
  let destroyed = false;
  void import('./chart-action.js').then(({ chart }) => {
    if (!destroyed) handle = chart(node, current);
  });
  return {
    update(next) {
      current = next;
      handle?.update(next);
    },
    destroy() {
      destroyed = true;
      handle?.destroy();
    },
  };
}
