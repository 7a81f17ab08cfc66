import { defineConfig } from 'vitest/config';
import unit from './vitest.config';

// The attack suite: hostile input against the real built dashboard, with loopback capture servers as targets. Needs
// no Docker. Each file starts its own dashboard, so a crash one attack causes does not fail the next file.
export default defineConfig({
  resolve: unit.resolve,
  test: {
    include: ['e2e/attack/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/attack/global-setup.ts'],
    // Files one after another: the machine's cores go to the server under attack, and timings stay comparable.
    fileParallelism: false,
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
