/** Chart options of the update-management pages, as plain data (drawn by charts/chart-action.ts). */
import type { EChartsOption } from 'echarts';
import type { MachineCompliance, MissingUpdate, WorstMissing } from '../../../../contracts/updates.js';

const worstLabels: Record<WorstMissing, string> = {
  critical: 'Missing critical updates',
  security: 'Missing security updates',
  other: 'Missing other updates',
  upToDate: 'Up to date',
  notAssessed: 'Not assessed',
};
const worstColors: Record<WorstMissing, string> = {
  critical: '#c81e1e',
  security: '#e3a008',
  other: '#3f83f8',
  upToDate: '#0e9f6e',
  notAssessed: '#9aa5b1',
};

/** The compliance breakdown: machines by their worst missing update. */
export function compliancePie(machines: readonly MachineCompliance[]): EChartsOption {
  const counts = new Map<WorstMissing, number>();
  for (const m of machines) counts.set(m.worstMissing, (counts.get(m.worstMissing) ?? 0) + 1);
  const order: WorstMissing[] = ['critical', 'security', 'other', 'upToDate', 'notAssessed'];
  return {
    animationDuration: 300,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { show: true, bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        data: order.filter((w) => counts.has(w)).map((w) => ({ name: worstLabels[w], value: counts.get(w)!, itemStyle: { color: worstColors[w] } })),
      },
    ],
  };
}

/** Missing updates by classification: how many updates, and how many machine-update pairs. */
export function classificationBars(updates: readonly MissingUpdate[]): EChartsOption {
  const byClass = new Map<string, { updates: number; machines: number }>();
  for (const u of updates) {
    const entry = byClass.get(u.classification) ?? { updates: 0, machines: 0 };
    entry.updates += 1;
    entry.machines += u.machines;
    byClass.set(u.classification, entry);
  }
  const classes = [...byClass.keys()].sort((a, b) => byClass.get(b)!.machines - byClass.get(a)!.machines || a.localeCompare(b));
  return {
    animationDuration: 300,
    tooltip: { trigger: 'axis' },
    legend: { show: true, bottom: 0 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: classes, inverse: true },
    series: [
      { type: 'bar', name: 'Updates', data: classes.map((c) => byClass.get(c)!.updates) },
      { type: 'bar', name: 'Missing on machines', data: classes.map((c) => byClass.get(c)!.machines) },
    ],
  };
}

export function worstLabel(worst: WorstMissing): string {
  return worstLabels[worst];
}
