#!/usr/bin/env node
// Runs the TypeScript CLI with tsx. The react-server condition turns `server-only` guards into no-ops,
// since the CLI is server-side code by definition.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = fileURLToPath(new URL('../lib/cli/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

// The child handles Ctrl-C itself (a stopped probe still prints its result); this wrapper just waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.json` },
});
if (result.error) {
  console.error(`stickyscope: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 2);
