/**
 * Run outcomes over time: one stacked column per run (oldest left), its machines counted by their
 * outcome, so a failing night stands out; missed occurrences appear as their own column label.
 * Plain data, drawn by charts/chart-action.ts.
 */
import type { EChartsOption } from 'echarts';
import type { MachineRunStatus, Run } from '../../../../engine/updates/contract.js';
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
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { show: true, bottom: 0, type: 'scroll' },
    grid: { left: 40, right: 16, top: 16, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: chronological.map((r) => `${wallClock(r.scheduledAt, timeZone)}\n${r.status}`) },
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
