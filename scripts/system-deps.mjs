#!/usr/bin/env node
// Installs the Debian packages the tests run for real (Docker Engine, balancers, Chromium, PostgreSQL) when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPostgresBinDir } from './lab/postgres.mjs';

const needs = [
  { bin: 'dockerd', pkg: 'docker.io' },
  { bin: 'busybox', pkg: 'busybox-static' },
  { bin: 'haproxy', pkg: 'haproxy' },
  { bin: 'chromium', pkg: 'chromium' },
  // The server binaries sit in /usr/lib/postgresql/<version>/bin, off the PATH.
  { found: () => findPostgresBinDir() !== null, pkg: 'postgresql' },
];
const dirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const installed = (need) => need.found?.() ?? dirs.some((dir) => existsSync(`${dir}/${need.bin}`));

const missing = needs.filter((n) => !installed(n)).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

if (process.getuid?.() !== 0) {
  console.error(`stickyscope tests need these Debian packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`Installing Debian packages for the tests: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
process.exit(install.status ?? 1);
