/**
 * Run outcomes over time: one stacked column per run (oldest left), its machines counted by their
 * outcome, so a failing night stands out; missed occurrences appear as their own column label.
 * Plain data, drawn by charts/chart-action.ts.
 */
import type { EChartsOption } from 'echarts';
import type { MachineRunStatus, Run } from '../../../../contracts/updates.js';
import { wallClock } from './schedule-words.js';

export const machineStatusOrder: readonly MachineRunStatus[] = ['Succeeded', 'Failed', 'FailedToStart', 'MaintenanceWindowExceeded', 'Canceled', 'InProgress', 'NotStarted'];

export const statusColors: Record<MachineRunStatus, string> = {
  Succeeded: '#0e9f6e',
  Failed: '#c81e1e',
  FailedToStart: '#8a1c5c',
  MaintenanceWindowExceeded: '#d97706',
  Canceled: '#6b7280',
  InProgress: '#3f83f8',
  NotStarted: '#b6c2cf',
};

export function runOutcomesChart(runs: readonly Run[], timeZone: string): EChartsOption {
  const chronological = [...runs].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const present = machineStatusOrder.filter((s) => chronological.some((r) => r.machines.some((m) => m.status === s)));
  return {
    animationDuration: 300,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipOf(chronological, timeZone) },
    legend: { show: true, bottom: 0, type: 'scroll' },
    grid: { left: 16, right: 16, top: 32, bottom: 40, containLabel: true },
    // The date and time only: the run's status is in the tooltip and the table beside.
    xAxis: { type: 'category', data: chronological.map((r) => wallClock(r.scheduledAt, timeZone)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: 'Machines', minInterval: 1 },
    series: present.map((status) => ({
      type: 'bar',
      name: status,
      stack: 'machines',
      itemStyle: { color: statusColors[status] },
      data: chronological.map((r) => r.machines.filter((m) => m.status === status).length),
    })),
  };
}

/** The tooltip names the run's status and each outcome's count. */
function tooltipOf(runs: readonly Run[], timeZone: string): (params: unknown) => string {
  return (params) => {
    const items = (Array.isArray(params) ? params : [params]) as { dataIndex: number; seriesName: string; value: number; marker: string }[];
    const run = runs[items[0]?.dataIndex ?? -1];
    if (!run) return '';
    const lines = items.filter((i) => i.value > 0).map((i) => `${i.marker}${i.seriesName}: ${i.value}`);
    return [`${wallClock(run.scheduledAt, timeZone)} · run ${run.status}`, ...lines].join('<br>');
  };
}
