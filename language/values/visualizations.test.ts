import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../compile.js';
import { visualizations as offered } from '../completion/vocabulary.js';
import { chartVisualizations, tileVisualizations, unsupportedReason, visualizationKinds, visualizations } from './visualizations.js';

describe('the visualization kinds: one list for render, completion, charts and tiles', () => {
  it('render accepts every kind and keeps it as the result render', () => {
    for (const kind of visualizations) {
      const result = compile(`print n = 1 | render ${kind}`);
      expect(result.ok, kind).toBe(true);
      if (result.ok) expect(result.render?.visualization, kind).toBe(kind);
    }
  });

  it('render refuses an unknown kind, naming every kind', () => {
    const result = compile('print n = 1 | render donut');
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]?.message).toBe(`Unknown visualization 'donut'; use one of ${visualizations.join(', ')}.`);
  });

  it('docs/language.md names every kind', () => {
    const doc = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const listed = /`render` accepts ([^;]+);/.exec(doc)?.[1]?.split(/, | and /);
    expect(listed).toEqual(visualizations);
  });

  it('completion offers the same kinds', () => {
    expect(offered).toEqual(visualizations);
  });

  it('every kind a layer does not show says why', () => {
    for (const kind of visualizations) {
      for (const layer of ['chart', 'tile'] as const) {
        const supported = visualizationKinds[kind][layer] === true;
        const reason = unsupportedReason(kind, layer);
        if (supported) expect(reason, `${kind} ${layer}`).toBeUndefined();
        else expect(reason?.length ?? 0, `${kind} ${layer}`).toBeGreaterThan(10);
      }
    }
    expect(unsupportedReason('donut', 'chart')).toBeUndefined();
  });

  it('a tile shows auto, the table, or a kind the charts draw', () => {
    expect(tileVisualizations[0]).toBe('auto');
    for (const kind of tileVisualizations.slice(1)) expect(kind === 'table' || (chartVisualizations as readonly string[]).includes(kind), kind).toBe(true);
    expect(chartVisualizations).toEqual(['timechart', 'linechart', 'areachart', 'stackedareachart', 'columnchart', 'barchart', 'piechart', 'scatterchart']);
  });
});
