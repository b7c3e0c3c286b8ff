/** Diagnostics by code and range (not wording), with "did you mean" suggestions. */
import { describe, expect, it } from 'vitest';
import { Codes } from '../../language/syntax/diagnostics.js';
import { compile } from '../../language/compile.js';

function firstError(text: string) {
  const result = compile(text);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.diagnostics[0]!;
}

const at = (text: string, needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });

describe('diagnostics', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['unknown table', 'Updat | take 1', Codes.unknownTable, 'Updat'],
    ['unknown column', 'Update | where Computr == "a"', Codes.unknownColumn, 'Computr'],
    ['unknown function', 'Update | extend x = strlenn(Title)', Codes.unknownFunction, 'strlenn'],
    ['aggregate outside summarize', 'Update | extend c = count()', Codes.aggregateOutsideSummarize, 'count'],
    ['where not bool', 'Update | where Title', Codes.typeMismatch, 'Title'],
    ['duplicate projection', 'Update | project Title, Title', Codes.duplicateColumn, undefined],
    ['summarize without aggregate', 'Update | summarize Title by Computer', Codes.notAggregate, 'Title'],
    ['bad datetime', 'print datetime(2024-13-45)', Codes.badLiteral, 'datetime(2024-13-45)'],
    ['negative take', 'Update | take -1', Codes.typeMismatch, '-1'],
    ['duplicate group key', 'Update | summarize count() by Computer, Computer', Codes.duplicateColumn, undefined],
    ['join keys of different types', 'Update | join (Heartbeat) on $left.Optional == $right.Computer', Codes.typeMismatch, undefined],
    // Found by the language fuzzer (test/fuzz): each ran into a raw DuckDB error before.
    ['datetime the store cannot hold', 'print datetime(9999-12-31)', Codes.badLiteral, 'datetime(9999-12-31)'],
    ['timespan longer than 64-bit nanoseconds', 'print 1000000000d', Codes.badLiteral, '1000000000d'],
    ['project-away of every column', 'print x = 1 | project-away x', Codes.unsupported, 'project-away x'],
  ];
  it.each(cases)('%s', (_name, text, code, needle) => {
    const d = firstError(text);
    expect(d.code).toBe(code);
    expect(d.severity).toBe('error');
    if (needle) expect(d.range).toEqual(at(text, needle));
  });

  it('suggests the closest names', () => {
    expect(firstError('Updat | take 1').message).toContain("Did you mean 'Update'");
    expect(firstError('Update | where Computr == "a"').message).toContain("'Computer'");
    expect(firstError('Update | extend x = strlenn(Title)').message).toContain("'strlen'");
  });

  it('reports columns in scope at that point of the pipeline', () => {
    const text = 'Update | summarize n = count() by Computer | where Title == "x"';
    const d = firstError(text);
    expect(d.code).toBe(Codes.unknownColumn);
    expect(d.range).toEqual(at(text, 'Title'));
  });

  it('reports syntax errors with a range', () => {
    const d = firstError('Update | where');
    expect(d.code).toBe(Codes.syntax);
  });
});
