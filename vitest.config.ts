import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Loopback servers and SDK clients: a busy 2-core CI machine needs headroom, never a sleep.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
