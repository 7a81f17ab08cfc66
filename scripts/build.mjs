#!/usr/bin/env node
// Builds the app when the build is missing or older than its sources. Run by `npm ci`/`npm install` (the
// `prepare` script), so the first `npm start` serves at once, and by `npm start` itself when sources changed.
//
//   node scripts/build.mjs [--after-install]
//
// After an install a failed build does not fail the install: `npm start` builds again and shows why.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const buildId = path.join(root, '.next', 'BUILD_ID');
const sources = ['app', 'components', 'lib', 'public', 'next.config.js', 'package-lock.json', 'postcss.config.mjs', 'instrumentation.ts', 'instrumentation-node.ts'];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(full).reduce((max, name) => Math.max(max, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

export function buildIsStale() {
  return !existsSync(buildId) || sources.some((s) => newestMtime(s) > statSync(buildId).mtimeMs);
}

/** Returns the build's exit status; 0 when nothing needed building. */
export function buildIfStale(reason) {
  if (!buildIsStale()) return 0;
  console.log(`stickyscope: building the app (${reason})…`);
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const started = new Date();
  const status = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' }).status ?? 1;
  // The build is as old as the sources it read, not as the moment it finished: a source saved while it ran makes
  // the next start build again.
  if (status === 0 && existsSync(buildId)) utimesSync(buildId, started, started);
  return status;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const afterInstall = process.argv.includes('--after-install');
  const status = buildIfStale(afterInstall ? 'after install, so the first start is quick' : 'sources changed');
  if (status !== 0 && afterInstall) console.warn('stickyscope: the build failed; `npm start` will build again and show why.');
  process.exit(afterInstall ? 0 : status);
}
