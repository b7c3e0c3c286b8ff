/**
 * "Not supported on this store" (E402) points at the operator or call responsible, by line and
 * column, not at the start of the query.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../compile.js';
import { Codes, lineColumn } from '../syntax/diagnostics.js';
import { clickhouse } from './clickhouse.js';

function refusal(text: string): { line: number; column: number; text: string } {
  const result = compile(text, { dialect: clickhouse });
  if (result.ok) throw new Error(`expected E402 for:\n${text}`);
  const d = result.diagnostics[0]!;
  expect(d.code).toBe(Codes.unsupportedOnStore);
  return { ...lineColumn(text, d.range.start), text: text.slice(d.range.start, d.range.end) };
}

describe('E402 ranges on the ClickHouse store', () => {
  const cases: [string, string, string][] = [
    ['mv-expand', 'Heartbeat\n| where Computer != ""\n  | mv-expand ComputerPrivateIPs\n| take 3', 'mv-expand ComputerPrivateIPs'],
    ['make-series', 'Heartbeat\n| where Computer != ""\n| make-series c = count() on TimeGenerated step 1h', 'make-series c = count() on TimeGenerated step 1h'],
    ['take with a computed count', 'Heartbeat\n| project Computer\n| take toint(strlen("abc"))', 'take toint(strlen("abc"))'],
    ['top with a computed count', 'Heartbeat\n| project Computer\n| top toint(strlen("abc")) by Computer', 'top toint(strlen("abc")) by Computer'],
    ['an unsupported function', 'Heartbeat\n| where Computer != ""\n| extend y =   format_datetime(TimeGenerated, "yyyy")', 'format_datetime(TimeGenerated, "yyyy")'],
    ['an unsupported operator form', 'Heartbeat\n| where Computer != ""\n| extend z = ComputerPrivateIPs[0]', 'ComputerPrivateIPs[0]'],
  ];
  it.each(cases)('%s: the diagnostic starts at the construct on line 3', (_label, text, construct) => {
    const line3 = text.split('\n')[2]!;
    expect(refusal(text)).toEqual({ line: 3, column: line3.indexOf(construct) + 1, text: construct });
  });

  it('an operator the store refuses as a whole is named as such, even where its parts would be refused first', () => {
    const text = 'Heartbeat\n| project ComputerPrivateIPs\n| mv-expand ComputerPrivateIPs to typeof(long)';
    const result = compile(text, { dialect: clickhouse });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.message).toMatch(/^mv-expand is not supported on the ClickHouse store/);
    expect(refusal(text).line).toBe(3);
  });

  it('an operator inside a let points into the let, where the operator is', () => {
    const text = 'let T = Heartbeat\n  | mv-expand ComputerPrivateIPs;\nT | take 3';
    expect(refusal(text)).toEqual({ line: 2, column: 5, text: 'mv-expand ComputerPrivateIPs' });
  });
});
