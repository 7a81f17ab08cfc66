import { defineConfig } from 'vitest/config';
import unit from './vitest.config';

// Integration tests against real parts: the Swarm lab (a private dockerd in Swarm mode). Needs root.
export default defineConfig({
  resolve: unit.resolve,
  test: {
    include: ['e2e/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/integration/global-setup.ts'],
    // One lab, shared ports: files run one after another.
    fileParallelism: false,
    hookTimeout: 180_000,
    testTimeout: 60_000,
  },
});
