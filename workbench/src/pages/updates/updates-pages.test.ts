import { describe, expect, it } from 'vitest';
import { compile } from '../../../../language/compile.js';
import type { MachineCompliance, MissingUpdate } from '../../../../contracts/updates.js';
import { classificationBars, compliancePie } from './compliance-charts.js';
import { machineQuery, runQuery, searchLink, updateQuery } from './search-links.js';

const machine = (computer: string, worstMissing: MachineCompliance['worstMissing']): MachineCompliance => ({
  computer,
  osType: 'Windows',
  osName: 'Windows Server 2022',
  compliant: worstMissing === 'upToDate' || worstMissing === 'other',
  worstMissing,
  readiness: 'Ready',
  missing: { critical: 0, security: 0, other: 0 },
  restartPending: false,
});
const update = (key: string, classification: string, machines: number, extra: Partial<MissingUpdate> = {}): MissingUpdate => ({
  key,
  title: key,
  osType: 'Windows',
  classification,
  cves: [],
  machines,
  ...extra,
});

describe('update-management charts', () => {
  it('the compliance pie counts machines by their worst missing update, in severity order', () => {
    const option = compliancePie([machine('a', 'upToDate'), machine('b', 'critical'), machine('c', 'upToDate'), machine('d', 'notAssessed')]);
    const data = (option.series as { data: { name: string; value: number }[] }[])[0]!.data;
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ['Missing critical updates', 1],
      ['Up to date', 2],
      ['Not assessed', 1],
    ]);
  });

  it('the classification bars count updates and machine-update pairs, most affected first', () => {
    const option = classificationBars([update('u1', 'Security Updates', 3), update('u2', 'Critical Updates', 10), update('u3', 'Security Updates', 4)]);
    expect((option.yAxis as { data: string[] }).data).toEqual(['Critical Updates', 'Security Updates']);
    expect((option.series as { data: number[] }[]).map((s) => s.data)).toEqual([
      [1, 2],
      [10, 7],
    ]);
  });
});

describe('links into the log search', () => {
  const compiles = (query: string) => {
    const outcome = compile(query, {});
    expect(outcome.ok ? [] : outcome.diagnostics).toEqual([]);
  };

  it('machine, update and run queries compile against the record tables', () => {
    compiles(machineQuery('ContosoVM1.contoso.com'));
    compiles(updateQuery({ osType: 'Windows', kbId: '5034441', key: 'x', title: 't' }));
    compiles(updateQuery({ osType: 'Linux', product: 'openssl', productArch: 'x86_64', key: 'openssl|x86_64', title: 't' }));
    compiles(runQuery('6f1c3a0e-0000-4000-8000-000000000001', 'web "1"'));
  });

  it('quotes names safely and carries the query in the URL', () => {
    expect(machineQuery('a"b')).toContain('Computer == "a\\"b"');
    const url = new URL(searchLink(runQuery('r1')), 'http://x');
    expect(url.pathname).toBe('/search');
    expect(url.searchParams.get('q')).toBe(runQuery('r1'));
    expect(url.searchParams.get('t')).toBe('30d');
  });
});
