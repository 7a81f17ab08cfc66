import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Integration tests against real parts: the Swarm lab (a private dockerd in Swarm mode). Needs root.
export default defineConfig({
  resolve: {
    alias: {
      '@/': root,
      // `server-only` throws outside React Server Components; tests run lib code directly.
      'server-only': fileURLToPath(new URL('./lib/test/empty-module.ts', import.meta.url)),
    },
  },
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
