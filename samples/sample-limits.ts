/** The sample fleet's defaults and valid ranges, shared with the CLI's option checks (which must not load DuckDB). */
export const defaultSampleOptions = { machines: 60, days: 7, seed: 1 } as const;

export const sampleLimits = {
  machines: { min: 1, max: 100_000 },
  days: { min: 1, max: 90 },
  seed: { min: 0, max: 4_294_967_295 },
} as const;
