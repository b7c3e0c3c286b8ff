import { describe, expect, it } from 'vitest';
import { catalogFromSchema, createCompletionSource } from './completion-source.js';
import { recordCatalog } from '../schema/tables.js';
import { blockAt, complete, filtersOnTimeGenerated, hoverAt, quoteName, splitBlocks } from './index.js';

const source = createCompletionSource(recordCatalog);

/** Completes at the `‸` in the text; the labels in rank order. */
function at(marked: string) {
  const offset = marked.indexOf('‸');
  const text = marked.replace('‸', '');
  return complete(text, offset, source);
}
const labels = (marked: string) => at(marked).suggestions.map((s) => s.label);
/** Kinds in rank order, without the true/false literals every value position offers. */
const kinds = (marked: string) => at(marked).suggestions.filter((s) => s.kind !== 'literal').map((s) => s.kind);
const columnLabels = (marked: string) => at(marked).suggestions.filter((s) => s.kind === 'column').map((s) => s.label);

describe('completion', () => {
  it('offers tables and source keywords at the start', () => {
    const got = at('Upd‸');
    expect(got.suggestions.map((s) => s.label)).toEqual(expect.arrayContaining(['Heartbeat', 'Update', 'UpdateSummary', 'let', 'print']));
    expect(got.range).toEqual({ start: 0, end: 3 });
    expect(got.suggestions[0]!.kind).toBe('table');
  });

  it('offers the tabular operators after a pipe, where first', () => {
    expect(labels('Update | ‸').slice(0, 4)).toEqual(['where', 'project', 'extend', 'summarize']);
    expect(labels('Update\n| wh‸')).toContain('where');
    expect(at('Update | ‸').suggestions[0]!.insertText).toBe('where ');
  });

  it('offers the input columns after where and project', () => {
    const where = labels('Update | where ‸');
    expect(where).toEqual(expect.arrayContaining(['Computer', 'Classification', 'UpdateState', 'isnotempty']));
    expect(where).not.toContain('count');
    expect(labels('Heartbeat | project ‸')).toContain('OSType');
    expect(labels('Heartbeat | project Computer, ‸')).toContain('ComputerIP');
  });

  it('offers the names an extend or a summarize created, and only those after summarize', () => {
    expect(labels('Update | extend Missing = UpdateState == "Needed" | where ‸')).toContain('Missing');
    const afterSummarize = at('Update | summarize Machines = dcount(Computer) by Classification | where ‸').suggestions.filter((s) => s.kind === 'column');
    expect(afterSummarize.map((s) => s.label)).toEqual(['Classification', 'Machines']);
    expect(afterSummarize.map((s) => s.detail)).toEqual(['string', 'long']);
    expect(columnLabels('Update | summarize count() by Computer | project ‸')).toEqual(['Computer', 'count_']);
    expect(labels('Update | summarize count() by Computer | project ‸')[0]).toBe('Computer');
  });

  it('keeps the scope of an unfinished later operator from the last pipeline that compiles', () => {
    expect(labels('Update | where nosuchcolumn == 1 | project ‸')).toContain('Computer');
  });

  it('ranks aggregates before columns and functions in summarize, columns after by', () => {
    const got = kinds('Update | summarize ‸');
    expect(got[0]).toBe('aggregate');
    expect(got.indexOf('column')).toBeGreaterThan(got.lastIndexOf('aggregate'));
    expect(got.indexOf('function')).toBeGreaterThan(got.lastIndexOf('column'));
    expect(labels('Update | summarize count() by ‸')[0]).not.toBe('count');
    expect(kinds('Update | summarize count() by ‸')[0]).toBe('column');
  });

  it('offers columns inside a function call, and functions with signatures', () => {
    expect(kinds('Update | summarize dcount(‸')[0]).toBe('column');
    const isnotempty = at('Update | where ‸').suggestions.find((s) => s.label === 'isnotempty')!;
    expect(isnotempty.detail).toMatch(/^isnotempty\(.+\) → bool$/);
    expect(isnotempty.insertText).toBe('isnotempty($0)');
    expect(at('Update | summarize ‸').suggestions.find((s) => s.label === 'count')!.insertText).toBe('count()');
  });

  it('offers infix operators after an operand, and by after an aggregate', () => {
    expect(labels('Update | where Computer ‸')).toEqual(expect.arrayContaining(['==', 'has', 'contains', 'in']));
    expect(labels('Update | summarize count() ‸')).toContain('by');
  });

  it('scopes a subquery inside in (…) to its own pipeline', () => {
    const text = 'Event | where Computer in ((Update | where ‸';
    expect(labels(text)).toContain('UpdateState');
    expect(labels(text)).not.toContain('EventLevelName');
    expect(labels('Event | where Computer in (‸')).toContain('Update');
  });

  it('keeps let statements bound in the scope', () => {
    expect(labels('let t = Update | extend Flag = true;\nt | where ‸')).toContain('Flag');
    expect(labels('let cutoff = 1d;\nHeartbeat | where ‸')).toContain('Computer');
  });

  it('offers visualizations, join kinds, sort directions', () => {
    expect(labels('Update | summarize count() by Classification | render ‸')).toEqual(expect.arrayContaining(['piechart', 'timechart']));
    expect(labels('Update | join kind=‸')).toContain('leftouter');
    expect(labels('Update | sort by Computer ‸')).toContain('asc');
    expect(labels('Update | sort ‸')).toEqual(['by']);
  });

  it('offers nothing inside strings and comments', () => {
    expect(labels('Update | where Computer == "ab‸c"')).toEqual([]);
    expect(labels('// Upd‸\nUpdate')).toEqual([]);
  });

  it('quotes names that are not plain identifiers', () => {
    expect(quoteName('Computer')).toBe('Computer');
    expect(quoteName('with space')).toBe("['with space']");
    expect(quoteName('and')).toBe("['and']");
  });

  it('uses a live schema catalog', () => {
    const live = createCompletionSource(catalogFromSchema({ tables: [{ name: 'Custom_CL', columns: [{ name: 'Level', type: 'string' }] }] }));
    expect(complete('Custom_CL | where ', 18, live).suggestions.filter((s) => s.kind === 'column').map((s) => s.label)).toEqual(['Level']);
    expect(complete('', 0, live).suggestions.filter((s) => s.kind === 'table').map((s) => s.label)).toEqual(['Custom_CL']);
  });
});

describe('hover', () => {
  it('shows a column type, a function signature and a table', () => {
    const text = 'Update | where isnotempty(Computer) | extend N = 1 | project N';
    expect(hoverAt(text, text.indexOf('Computer') + 2, source)?.contents).toBe('**Computer**: `string` (column)');
    expect(hoverAt(text, text.indexOf('isnotempty') + 1, source)?.contents).toMatch(/^`isnotempty\(.*\) → bool` \(function\)/);
    expect(hoverAt(text, text.lastIndexOf('N'), source)?.contents).toBe('**N**: `long` (column)');
    expect(hoverAt(text, 2, source)?.contents).toMatch(/^\*\*Update\*\* \(table, \d+ columns\)/);
    expect(hoverAt(text, text.indexOf('|'), source)).toBeUndefined();
  });
});

describe('blocks', () => {
  const text = 'Update\n| take 1\n\n  \nHeartbeat\n| count\n\n\nEvent';
  it('splits on blank lines', () => {
    expect(splitBlocks(text).map((b) => b.text)).toEqual(['Update\n| take 1', 'Heartbeat\n| count', 'Event']);
  });
  it('finds the block under the cursor, or the one above a blank line', () => {
    expect(blockAt(text, text.indexOf('count'))?.text).toBe('Heartbeat\n| count');
    expect(blockAt(text, text.indexOf('count') + 6)?.text).toBe('Heartbeat\n| count');
    expect(blockAt(text, text.length)?.text).toBe('Event');
    expect(blockAt(text, 16)?.text).toBe('Update\n| take 1');
    expect(blockAt('  \n', 1)).toBeUndefined();
    const b = blockAt(text, text.indexOf('Heartbeat'))!;
    expect(text.slice(b.start, b.end)).toBe(b.text);
  });
});

describe('time filter', () => {
  it('sees a where on TimeGenerated, not a projection of it', () => {
    expect(filtersOnTimeGenerated('Heartbeat | where TimeGenerated > ago(1h)')).toBe(true);
    expect(filtersOnTimeGenerated('Heartbeat | where Computer == "a" and TimeGenerated between (ago(1d) .. now())')).toBe(true);
    expect(filtersOnTimeGenerated('Heartbeat | project TimeGenerated, Computer')).toBe(false);
    expect(filtersOnTimeGenerated('Heartbeat | summarize arg_max(TimeGenerated, *) by Computer')).toBe(false);
    expect(filtersOnTimeGenerated('Heartbeat | where Computer == "TimeGenerated"')).toBe(false);
  });
});
