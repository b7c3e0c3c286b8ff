/**
 * The chart action, loaded when the first chart is shown: ECharts is the largest part of the
 * results code, and most results are read as a table. Until it has loaded and drawn, the element
 * is aria-busy (the first chart waits for the chunk: about 2 s through the dev server on a loaded
 * machine); if the chunk cannot be loaded the element says so instead of staying blank.
 */
import type { EChartsOption } from 'echarts';

type ChartHandle = { update(option: EChartsOption): void; destroy(): void };

export function lazyChart(node: HTMLElement, option: EChartsOption): ChartHandle {
  let current = option;
  let handle: ChartHandle | undefined;
  let destroyed = false;
  node.setAttribute('aria-busy', 'true');
  import('./chart-action.js').then(
    ({ chart }) => {
      if (destroyed) return;
      handle = chart(node, current);
      node.removeAttribute('aria-busy');
    },
    (error: unknown) => {
      if (destroyed) return;
      node.removeAttribute('aria-busy');
      node.dataset.chartError = error instanceof Error ? error.message : String(error);
      node.textContent = `The chart could not be loaded (${node.dataset.chartError}); reload the page to try again.`;
    },
  );
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
