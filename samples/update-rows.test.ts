import { describe, expect, it } from 'vitest';
import { generateUpdateRows } from './update-rows.js';
import { count, emptyDatabase, rows } from './testing.js';

describe('generateUpdateRows', () => {
  it('writes exactly the rows asked for, deterministically, spread over machines and assessments', async () => {
    const checksum = async (seed: number) => {
      const conn = await emptyDatabase();
      const written = await generateUpdateRows(conn, 30_000, seed, { machines: 200 });
      expect(written).toBe(30_000);
      const [row] = await rows(conn, `SELECT count(*)::INTEGER AS n, count(DISTINCT Computer)::INTEGER AS machines,
          count(DISTINCT TimeGenerated::DATE)::INTEGER AS days, sum(hash(u))::VARCHAR AS h FROM "Update" u`);
      expect(row?.n).toBe(30_000);
      expect(row?.machines).toBe(200);
      expect(Number(row?.days)).toBeGreaterThan(1);
      expect(await count(conn, `SELECT count(DISTINCT UpdateState) FROM "Update"`)).toBe(3);
      return row?.h;
    };
    const a = await checksum(1);
    expect(await checksum(1)).toBe(a);
    expect(await checksum(2)).not.toBe(a);
  });

  it('rejects a row count that is not a positive whole number', async () => {
    const conn = await emptyDatabase();
    await expect(generateUpdateRows(conn, 0)).rejects.toThrow(/whole number of rows above 0/);
  });
});
