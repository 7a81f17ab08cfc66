#!/usr/bin/env node
// Installs the Debian packages the tests run for real (Docker Engine, balancers, Chromium, PostgreSQL, R with Shiny)
// when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPostgresBinDir } from './lab/postgres.mjs';
import { rShinyInstalled } from './lab/shiny.mjs';

const needs = [
  { bin: 'dockerd', pkgs: ['docker.io'] },
  { bin: 'busybox', pkgs: ['busybox-static'] },
  { bin: 'haproxy', pkgs: ['haproxy'] },
  { bin: 'chromium', pkgs: ['chromium'] },
  // The server binaries sit in /usr/lib/postgresql/<version>/bin, off the PATH.
  { found: () => findPostgresBinDir() !== null, pkgs: ['postgresql'] },
  // The Shiny lab's R apps. Their recommended packages (compilers, BLAS variants, docs) serve no test.
  {
    found: rShinyInstalled,
    pkgs: ['r-base-core', 'r-cran-shiny', 'r-cran-dt'],
    noRecommends: true,
  },
];
const dirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const installed = (need) => need.found?.() ?? dirs.some((dir) => existsSync(`${dir}/${need.bin}`));

const missing = needs.filter((n) => !installed(n));
if (missing.length === 0) process.exit(0);
const names = (list) => list.flatMap((n) => n.pkgs);

/** One `apt-get install` per kind: with recommends, then without. */
const installs = [false, true]
  .map((noRecommends) => ({ flags: noRecommends ? ['--no-install-recommends'] : [], pkgs: names(missing.filter((n) => Boolean(n.noRecommends) === noRecommends)) }))
  .filter((i) => i.pkgs.length > 0);

if (process.getuid?.() !== 0) {
  const commands = installs.map((i) => `sudo apt-get install -y ${[...i.flags, ...i.pkgs].join(' ')}`);
  console.error(`stickyscope tests need these Debian packages: ${names(missing).join(' ')}\nInstall them with: ${commands.join(' && ')}`);
  process.exit(1);
}
console.log(`Installing Debian packages for the tests: ${names(missing).join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
for (const { flags, pkgs } of installs) {
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...flags, ...pkgs], { stdio: 'inherit', env });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
