import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    testTimeout: 30_000,
    // the compiled CLI the spawned `upkeep` runs (dist/); a two-shard ClickHouse cluster on
    // loopback, only when the run includes test/clickhouse
    globalSetup: ['test/build-cli.ts', 'test/clickhouse/global-setup.ts'],
    env: { TZ: 'UTC' },
  },
});
