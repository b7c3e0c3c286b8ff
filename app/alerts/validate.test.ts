/** Alert rule validation as a table: each bad input, the field blamed and words of the fix. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../language/compile.js';
import { validateAlertRule, type ColumnsOf } from './validate.js';

const columnsOf: ColumnsOf = (source) => {
  if (source.savedSearchId !== undefined) return { ok: false, field: 'savedSearchId', message: `There is no saved search with the id or name "${source.savedSearchId}"` };
  const compiled = compile(source.query!, { now: new Date(0) });
  return compiled.ok ? { ok: true, columns: compiled.columns } : { ok: false, field: 'query', message: `does not compile: ${compiled.diagnostics[0]!.message}` };
};

const good = {
  name: 'Critical missing',
  query: 'UpdateSummary | project Computer, CriticalUpdatesMissing, WindowsUpdateSetting, Detail = todynamic("{}")',
  frequency: 'PT5M',
  lookback: 'P1D',
  measure: { kind: 'column', aggregation: 'max', column: 'CriticalUpdatesMissing' },
  operator: '>',
  threshold: 0,
  dimensions: ['Computer'],
};

describe('validateAlertRule', () => {
  it('accepts a rule and fills the optional fields', () => {
    const v = validateAlertRule(good, { columnsOf });
    expect(v).toEqual({
      ok: true,
      value: { ...good, description: '', failingPeriods: 1, evaluationPeriods: 1, severity: 3, autoResolveAfter: 1, muteFor: 'PT0S', enabled: true, actions: { webhooks: [] } },
    });
  });

  it.each([
    ['not an object', [], '', /JSON object/],
    ['unknown field', { ...good, treshold: 1 }, 'treshold', /not a field of an alert rule; remove it/],
    ['no name', { ...good, name: ' ' }, 'name', /non-empty string/],
    ['query and saved search', { ...good, savedSearchId: 'x' }, 'query', /either query or savedSearchId/],
    ['neither', { ...good, query: undefined }, 'query', /Give the KQL query/],
    ['unknown saved search', { ...good, query: undefined, savedSearchId: 'Nope' }, 'savedSearchId', /no saved search .*"Nope"/],
    ['query does not compile', { ...good, query: 'UpdateSumary | take 1' }, 'query', /does not compile/],
    ['frequency under a minute', { ...good, frequency: 'PT30S' }, 'frequency', /outside 1 minute to 1 day/],
    ['frequency over a day', { ...good, frequency: 'P2D' }, 'frequency', /outside 1 minute to 1 day/],
    ['frequency not whole minutes', { ...good, frequency: 'PT90.5S' }, 'frequency', /whole number of minutes/],
    ['frequency not a duration', { ...good, frequency: '5m' }, 'frequency', /ISO 8601 duration .*"PT5M"/],
    ['lookback missing', { ...good, lookback: undefined }, 'lookback', /ISO 8601 duration/],
    ['mute too long', { ...good, muteFor: 'P60D' }, 'muteFor', /outside 0 to 30 days/],
    ['bad operator', { ...good, operator: '=>' }, 'operator', /one of > >= < <= == !=/],
    ['threshold a string', { ...good, threshold: '3' }, 'threshold', /must be a number/],
    ['M > N', { ...good, failingPeriods: 3, evaluationPeriods: 2 }, 'failingPeriods', /cannot exceed evaluationPeriods/],
    ['N too big', { ...good, evaluationPeriods: 31 }, 'evaluationPeriods', /from 1 to 30/],
    ['severity 5', { ...good, severity: 5 }, 'severity', /from 0 to 4/],
    ['autoResolveAfter 0', { ...good, autoResolveAfter: 0 }, 'autoResolveAfter', /from 1 to 100/],
    ['enabled "yes"', { ...good, enabled: 'yes' }, 'enabled', /true or false/],
    ['measure missing', { ...good, measure: undefined }, 'measure', /\{"kind":"rowCount"\}/],
    ['measure kind', { ...good, measure: { kind: 'rows' } }, 'measure.kind', /"rowCount" or "column"/],
    ['aggregation', { ...good, measure: { kind: 'column', aggregation: 'median', column: 'CriticalUpdatesMissing' } }, 'measure.aggregation', /count, avg, min, max, sum/],
    ['measure column missing from the result', { ...good, measure: { kind: 'column', aggregation: 'sum', column: 'SecurityUpdatesMissing' } }, 'measure.column', /no column "SecurityUpdatesMissing" \(it has Computer, CriticalUpdatesMissing/],
    ['measure column not numeric', { ...good, measure: { kind: 'column', aggregation: 'avg', column: 'WindowsUpdateSetting' } }, 'measure.column', /is string, not a number/],
    ['too many dimensions', { ...good, dimensions: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, 'dimensions', /At most 6 dimensions/],
    ['repeated dimension', { ...good, dimensions: ['Computer', 'Computer'] }, 'dimensions', /listed twice/],
    ['dimension not in the result', { ...good, dimensions: ['Computer', 'OsVersion'] }, 'dimensions[1]', /no column "OsVersion"/],
    ['dynamic dimension', { ...good, dimensions: ['Detail'] }, 'dimensions[0]', /tostring\(\)/],
    ['webhook not http', { ...good, actions: { webhooks: ['ftp://x'] } }, 'actions.webhooks[0]', /not an http/],
    ['actions with extra keys', { ...good, actions: { email: ['a@b'] } }, 'actions', /\{"webhooks"/],
  ])('%s', (_name, body, field, message) => {
    const v = validateAlertRule(body, { columnsOf });
    expect(v.ok).toBe(false);
    const problems = v.ok ? [] : v.problems;
    expect(problems.find((p) => p.field === field)?.message, JSON.stringify(problems)).toMatch(message);
  });
});
