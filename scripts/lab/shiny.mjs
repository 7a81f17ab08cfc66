#!/usr/bin/env node
// A real Shiny lab on loopback: R processes serving scripts/lab/shiny/app.R (a DT server-side table, a download, an
// upload) behind the real HAProxy lab's three frontends (scripts/lab/haproxy.mjs):
//   sticky       cookie insert                                   every session stays with its R process
//   roundRobin   no cookie                                       requests spread over the R processes
//   secure       the same cookie with `secure`, over plain http  reached by a non-loopback name (SECURE_HOST),
//                                                                a browser drops the cookie, so it acts as roundRobin
//
//   node scripts/lab/shiny.mjs up [N]   start N (default 3) R processes and HAProxy in .lab/shiny, print the URLs
//   node scripts/lab/shiny.mjs down     stop whatever `up` started
//
// Plain Node ESM with no dependencies, like the HAProxy lab it reuses (free ports, readiness polled with a bound,
// every process recorded so a lab left behind by a killed parent is stopped on the next start).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHaproxyLab, stopHaproxyLab } from './haproxy.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_SHINY_LAB_DIR = path.join(repoRoot, '.lab', 'shiny');
export const RSCRIPT_BIN = process.env.RSCRIPT_BIN || '/usr/bin/Rscript';
/** The name the secure frontend is reached by: not loopback to a browser, so a `Secure` cookie over http is dropped. */
export const SECURE_HOST = 'shiny.lab.test';

/** The lab's R app (app.R) and its launcher (serve.R). */
export const SHINY_APP_DIR = fileURLToPath(new URL('./shiny/', import.meta.url));
const SERVE_SCRIPT = path.join(SHINY_APP_DIR, 'serve.R');

/** True when R runs and loads Shiny and DT (about a second: it starts R). */
export function rShinyInstalled() {
  return spawnSync(RSCRIPT_BIN, ['-e', 'library(shiny); library(DT)'], { stdio: 'ignore' }).status === 0;
}

/** Starts one R process serving the lab app on `port`; `name` is the mark only the lab's tests read (see app.R). */
export function shinyReplica({ name, port }) {
  return [RSCRIPT_BIN, SERVE_SCRIPT, String(port), name];
}

/** Starts `replicas` R Shiny processes behind HAProxy; resolves once every frontend serves the app's page. */
export async function startShinyLab({ dir = DEFAULT_SHINY_LAB_DIR, replicas = 3, handleSignals = true, detach = false } = {}) {
  if (!existsSync(RSCRIPT_BIN)) {
    throw new Error(`${RSCRIPT_BIN} not found: node scripts/system-deps.mjs installs R with Shiny and DT`);
  }
  await stopShinyLab(dir);
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  let lab;
  try {
    lab = await startHaproxyLab({
      dir,
      replicas,
      replicaCommand: shinyReplica,
      // R never removes its session folder (uploads land there) when stopped by a signal: keep them all in the lab.
      replicaEnv: { TMPDIR: tmp },
      // A Shiny app has no health route: its page answering 200 means the R process is serving.
      readyPath: '',
      handleSignals,
      detach,
    });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  const securePort = lab.frontends.secure;
  return {
    ...lab,
    urls: { ...lab.urls, secure: `http://${SECURE_HOST}:${securePort}/` },
    secureHost: SECURE_HOST,
    /** curl's `--resolve` (and the probe's `resolve`) for the secure frontend's name. */
    resolve: [`${SECURE_HOST}:${securePort}:127.0.0.1`],
    /** Chromium's `--host-resolver-rules` value for the same. */
    hostResolverRules: `MAP ${SECURE_HOST} 127.0.0.1`,
    async stop() {
      await lab.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Stops the lab recorded in `dir` (also one left behind by a killed parent) and removes the R processes' files. */
export async function stopShinyLab(dir = DEFAULT_SHINY_LAB_DIR) {
  const stopped = await stopHaproxyLab(dir);
  rmSync(path.join(dir, 'tmp'), { recursive: true, force: true });
  return stopped;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [command, count = '3'] = process.argv.slice(2);
  const run = async () => {
    if (command === 'up' && /^[1-9]$/.test(count)) {
      const lab = await startShinyLab({ replicas: Number(count), detach: true });
      process.stdout.write(
        [
          `Shiny lab up in ${lab.dir}`,
          `  sticky (cookie ${lab.cookieName} insert)   ${lab.urls.sticky}`,
          `  round robin                   ${lab.urls.roundRobin}`,
          `  cookie insert + secure        ${lab.urls.secure}`,
          `      curl --resolve ${lab.resolve[0]}`,
          `      chromium --host-resolver-rules='${lab.hostResolverRules}'`,
          ...lab.replicas.map((r) => `  ${r.name.padEnd(29)} ${r.url}`),
          'Stop it with: node scripts/lab/shiny.mjs down',
          '',
        ].join('\n'),
      );
      return 0;
    }
    if (command === 'down') {
      const stopped = await stopShinyLab();
      process.stdout.write(stopped ? 'Shiny lab stopped\n' : 'no Shiny lab was running\n');
      return 0;
    }
    process.stderr.write('usage: node scripts/lab/shiny.mjs up [replicas 1-9] | down\n');
    return 2;
  };
  run().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`shiny lab: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
