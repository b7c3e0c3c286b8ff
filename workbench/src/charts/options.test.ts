import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { unsupportedReason, visualizationKinds, visualizations } from '../../../language/values/visualizations.js';
import { arrowResult } from '../results/testing.js';
import { chartRender } from './infer.js';
import { chartOptions } from './options.js';

/** The option for a query that ends in `render …`, through the real engine and wire format. */
async function optionsFor(kql: string): Promise<EChartsOption> {
  const { arrow } = await arrowResult(kql);
  if (!arrow.render) throw new Error('the query has no render');
  return chartOptions(arrow, arrow.render);
}

type Series = { type: string; name: string; data: unknown[]; stack?: string; areaStyle?: object };
const seriesOf = (option: EChartsOption) => option.series as Series[];
const axis = (value: unknown) => value as { type: string; data?: string[]; min?: number; max?: number; name?: string; inverse?: boolean };

const hosts = `range t from datetime(2024-01-01) to datetime(2024-01-01 05:00) step 1h
  | extend host = iff(hourofday(t) % 2 == 0, "a", "b"), n = hourofday(t) * 2`;
const ms = (iso: string) => Date.parse(iso);

describe('chartOptions: the reference model and its defaults', () => {
  it('timechart: x is the first datetime column, y the numbers, series the string column, sorted by time', async () => {
    const option = await optionsFor(`${hosts} | project host, n, t | order by n desc | render timechart`);
    expect(axis(option.xAxis).type).toBe('time');
    const series = seriesOf(option);
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['line', 'a'],
      ['line', 'b'],
    ]);
    // Each host's own points in ascending time (the other host's hours are not gaps in its line).
    expect(series[0]!.data).toEqual([
      [ms('2024-01-01T00:00:00Z'), 0],
      [ms('2024-01-01T02:00:00Z'), 4],
      [ms('2024-01-01T04:00:00Z'), 8],
    ]);
    expect(series[1]!.data.slice(0, 2)).toEqual([
      [ms('2024-01-01T01:00:00Z'), 2],
      [ms('2024-01-01T03:00:00Z'), 6],
    ]);
    expect((option.legend as { show: boolean }).show).toBe(true);
  });

  it('timechart without a datetime column names the fix', async () => {
    await expect(optionsFor('range x from 1 to 3 step 1 | render timechart')).rejects.toThrow(/needs a datetime column/);
  });

  it('columnchart pivots the string column into series over category x values, summing repeats', async () => {
    const option = await optionsFor(`datatable(Classification:string, Os:string, Count:long)[
      "Security", "Windows", 5, "Critical", "Windows", 2, "Security", "Linux", 3, "Security", "Linux", 4]
      | render columnchart`);
    expect(axis(option.xAxis)).toMatchObject({ type: 'category', data: ['Security', 'Critical'] });
    expect(seriesOf(option).map((s) => [s.type, s.name, s.data, s.stack])).toEqual([
      ['bar', 'Windows', [5, 2], undefined],
      ['bar', 'Linux', [7, null], undefined],
    ]);
  });

  it('barchart kind=stacked100 is horizontal, stacked, and each bar adds up to 100%', async () => {
    const option = await optionsFor(`datatable(c:string, s:string, v:real)["x", "p", 1, "x", "q", 3, "y", "p", 2]
      | render barchart with (kind=stacked100)`);
    expect(axis(option.yAxis)).toMatchObject({ type: 'category', data: ['x', 'y'], inverse: true });
    expect(axis(option.xAxis)).toMatchObject({ type: 'value', max: 100 });
    const series = seriesOf(option);
    expect(series.map((s) => s.stack)).toEqual(['total', 'total']);
    expect(series.map((s) => s.data)).toEqual([
      [25, 100],
      [75, null],
    ]);
  });

  it('areachart kind=stacked stacks filled lines; the default kind leaves them unstacked', async () => {
    const stacked = seriesOf(await optionsFor(`${hosts} | render areachart with (kind=stacked)`));
    expect(stacked.every((s) => s.type === 'line' && s.stack === 'total' && s.areaStyle)).toBe(true);
    // Stacked series stay aligned on every x; a host without a row at an hour adds 0 there.
    expect(stacked[1]!.data.slice(0, 2)).toEqual([
      [ms('2024-01-01T00:00:00Z'), 0],
      [ms('2024-01-01T01:00:00Z'), 2],
    ]);
    const plain = seriesOf(await optionsFor(`${hosts} | render areachart`));
    expect(plain.every((s) => s.stack === undefined && s.areaStyle)).toBe(true);
    const stackedArea = seriesOf(await optionsFor(`${hosts} | render stackedareachart`));
    expect(stackedArea.every((s) => s.stack === 'total')).toBe(true);
  });

  it('piechart: the first column names the slices, the first number sizes them', async () => {
    const option = await optionsFor('datatable(State:string, Machines:long)["Compliant", 7, "Non-compliant", 3] | render piechart');
    expect(seriesOf(option)).toEqual([
      expect.objectContaining({
        type: 'pie',
        data: [
          { name: 'Compliant', value: 7 },
          { name: 'Non-compliant', value: 3 },
        ],
      }),
    ]);
  });

  it('scatterchart and linechart over a numeric x use a value axis', async () => {
    const scatter = await optionsFor('range x from 1 to 4 step 1 | extend y = x * x | render scatterchart');
    expect(axis(scatter.xAxis).type).toBe('value');
    expect(seriesOf(scatter)[0]).toMatchObject({ type: 'scatter', name: 'y', data: [[1, 1], [2, 4], [3, 9], [4, 16]] });
    const line = await optionsFor('range x from 1 to 2 step 1 | extend y = x * 10 | render linechart');
    expect(seriesOf(line)[0]).toMatchObject({ type: 'line', data: [[1, 10], [2, 20]] });
  });

  it('honours xcolumn, ycolumns, series, title, axis titles, ymin/ymax and legend=hidden', async () => {
    const option = await optionsFor(`${hosts} | extend m = n + 1, other = "z"
      | render linechart with (xcolumn=t, ycolumns=n, m, series=host, title="Load", xtitle="When", ytitle="Count", ymin=-1, ymax=20, legend=hidden)`);
    expect(option.title).toEqual({ text: 'Load', left: 'center' });
    expect((option.legend as { show: boolean }).show).toBe(false);
    expect(axis(option.xAxis)).toMatchObject({ type: 'time', name: 'When' });
    expect(axis(option.yAxis)).toMatchObject({ name: 'Count', min: -1, max: 20 });
    expect(seriesOf(option).map((s) => s.name)).toEqual(['a:n', 'a:m', 'b:n', 'b:m']);
  });

  it('a property naming a missing column, or render table, says what to change', async () => {
    await expect(optionsFor(`${hosts} | render columnchart with (ycolumns=nope)`)).rejects.toThrow(/ycolumns names 'nope'.*the columns are t, host, n/);
    await expect(optionsFor(`${hosts} | render table`)).rejects.toThrow(/shown as the table/);
    await expect(optionsFor('datatable(a:string, b:string)["x", "y"] | render columnchart')).rejects.toThrow(/needs a numeric column/);
  });
});

describe('every render kind: drawn as a chart, or declared not drawn with its reason', () => {
  it('draws each chart kind and names the reason for the others', async () => {
    for (const kind of visualizations) {
      const query = `${hosts} | render ${kind}`;
      if (visualizationKinds[kind].chart === true) {
        const series = seriesOf(await optionsFor(query));
        expect(series.length, kind).toBeGreaterThan(0);
        expect(series[0]!.data.length, kind).toBeGreaterThan(0);
      } else {
        const reason = unsupportedReason(kind, 'chart')!;
        await expect(optionsFor(query), kind).rejects.toThrow(`'render ${kind}' is shown as the table (${reason})`);
      }
    }
  });
});

describe('chartRender: when the chart/table toggle appears', () => {
  it('uses the query render, else guesses from the columns, else none', async () => {
    expect(chartRender((await arrowResult(`${hosts} | render areachart`)).arrow)?.visualization).toBe('areachart');
    expect(chartRender((await arrowResult(hosts)).arrow)).toEqual({ visualization: 'timechart', properties: {} });
    expect(chartRender((await arrowResult('datatable(a:string, b:long)["x", 1]')).arrow)?.visualization).toBe('columnchart');
    expect(chartRender((await arrowResult('datatable(a:string, b:string)["x", "y"]')).arrow)).toBeNull();
    expect(chartRender((await arrowResult('range x from 1 to 3 step 1')).arrow)).toBeNull();
  });
});
