/** "P1D" → "1 day", "PT6H" → "6 hours": how a tile's time range reads. */
export function rangeLabel(timeRange: string): string {
  const units: [RegExp, string][] = [[/(\d+)W/, 'week'], [/P(?:\d+W)?(\d+)D/, 'day'], [/T(\d+)H/, 'hour'], [/T(?:\d+H)?(\d+)M/, 'minute'], [/(\d+)S$/, 'second']];
  const parts = units.flatMap(([pattern, unit]) => {
    const n = pattern.exec(timeRange.toUpperCase())?.[1];
    return n === undefined ? [] : [`${n} ${unit}${n === '1' ? '' : 's'}`];
  });
  return parts.length > 0 ? parts.join(' ') : timeRange;
}
