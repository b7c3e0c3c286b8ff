import { describe, expect, it } from 'vitest';
import { formatDatetime, formatTimespan } from './kusto-text.js';

const SECOND = 1_000_000_000n;
const DAY = 86_400n * SECOND;

describe('formatDatetime', () => {
  it.each([
    [0n, '1970-01-01T00:00:00Z'],
    [1n, '1970-01-01T00:00:00Z'],
    [100n, '1970-01-01T00:00:00.0000001Z'],
    [-100n, '1969-12-31T23:59:59.9999999Z'],
    [-SECOND, '1969-12-31T23:59:59Z'],
    [19723n * DAY + DAY - 100n, '2024-01-01T23:59:59.9999999Z'],
    [19723n * DAY + DAY, '2024-01-02T00:00:00Z'],
    [-62135596800n * SECOND, '0001-01-01T00:00:00Z'],
    [253402300799n * SECOND + 999_999_900n, '9999-12-31T23:59:59.9999999Z'],
  ])('%s ns → %s', (ns, text) => {
    expect(formatDatetime(ns)).toBe(text);
  });

  it('agrees with Date for whole milliseconds across days and years', () => {
    for (let ms = -5e11; ms < 5e12; ms += 7_777_777_777) {
      const iso = new Date(ms).toISOString();
      const expected = iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace('Z', '0000Z');
      expect(formatDatetime(BigInt(ms) * 1_000_000n)).toBe(expected);
    }
  });
});

describe('formatTimespan', () => {
  it.each([
    [0n, '00:00:00'],
    [SECOND, '00:00:01'],
    [-SECOND, '-00:00:01'],
    [-50n, '00:00:00'],
    [DAY + 2n * 3600n * SECOND + 3n * 60n * SECOND + 4n * SECOND + SECOND / 2n, '1.02:03:04.5000000'],
    [-(DAY * 10n + 100n), '-10.00:00:00.0000001'],
    [23n * 3600n * SECOND + 59n * 60n * SECOND + 59n * SECOND + 999_999_999n, '23:59:59.9999999'],
  ])('%s ns → %s', (ns, text) => {
    expect(formatTimespan(ns)).toBe(text);
  });
});
