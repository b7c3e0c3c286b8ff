import { describe, expect, it } from 'vitest';
import { bodyOf, conditionWords, durationField, durationWords, emptyForm, formOf, isoDuration } from './form-model.js';

describe('alert rule form model', () => {
  it('converts durations both ways in the largest whole unit', () => {
    expect(isoDuration({ amount: '30', unit: 'seconds' })).toBe('PT30S');
    expect(isoDuration({ amount: '1', unit: 'days' })).toBe('P1D');
    expect(isoDuration({ amount: ' 5 ', unit: 'minutes' })).toBe('PT5M');
    expect(isoDuration({ amount: 'soon', unit: 'minutes' })).toBe('soon');
    expect(durationField('PT90M')).toEqual({ amount: '90', unit: 'minutes' });
    expect(durationField('PT120M')).toEqual({ amount: '2', unit: 'hours' });
    expect(durationField('P1D')).toEqual({ amount: '1', unit: 'days' });
    expect(durationField('PT0S')).toEqual({ amount: '0', unit: 'minutes' });
    expect(durationWords('PT1H')).toBe('1 hour');
    expect(durationWords('PT15M')).toBe('15 minutes');
    expect(durationWords('PT0S')).toBe('none');
  });

  it('sends one source, numbers as numbers and anything else as typed for the server to name', () => {
    const form = { ...emptyForm(), name: ' Busy ', query: 'Heartbeat', threshold: 'ten', dimensions: 'Computer, OSType,', webhooks: 'http://a\n\n http://b ' };
    expect(bodyOf(form)).toEqual({
      name: 'Busy', description: '', query: 'Heartbeat', frequency: 'PT5M', lookback: 'PT1H', measure: { kind: 'rowCount' }, operator: '>',
      threshold: 'ten', failingPeriods: 1, evaluationPeriods: 1, dimensions: ['Computer', 'OSType'], severity: 3, autoResolveAfter: 1,
      muteFor: 'PT0M', enabled: true, actions: { webhooks: ['http://a', 'http://b'] },
    });
    const saved = bodyOf({ ...form, source: 'savedSearch', savedSearchId: 'abc', measure: 'max', measureColumn: 'N' });
    expect(saved.query).toBeUndefined();
    expect(saved.savedSearchId).toBe('abc');
    expect(saved.measure).toEqual({ kind: 'column', aggregation: 'max', column: 'N' });
  });

  it('round-trips a rule', () => {
    const rule = {
      name: 'R', description: 'd', savedSearchId: 'S', frequency: 'PT1H', lookback: 'P1D', measure: { kind: 'column' as const, aggregation: 'avg' as const, column: 'V' },
      operator: '<=' as const, threshold: 2.5, failingPeriods: 2, evaluationPeriods: 3, dimensions: ['Computer'], severity: 1, autoResolveAfter: 2,
      muteFor: 'PT30M', enabled: false, actions: { webhooks: ['https://h'] },
    };
    expect(bodyOf(formOf(rule))).toEqual(rule);
    expect(conditionWords(rule)).toBe('avg(V) <= 2.5');
  });
});
