#!/usr/bin/env node
// A private PostgreSQL cluster for tests and the benchmark: Debian's server binaries, a temp folder, loopback only.
//
//   node scripts/lab/postgres.mjs      start one, print its DATABASE_URL, and remove it on Ctrl-C
//
// The cluster lives in a fresh temp folder (data directory, unix socket, log), listens on 127.0.0.1 at a free port
// and accepts the generated password over TCP; it is stopped and deleted by `stop()`, on SIGINT/SIGTERM and on exit.
// The server refuses to run as root, so under root it runs as the `postgres` user that Debian's package creates.
// A folder left by a parent that was killed outright is removed the next time a cluster starts.
//
// Plain Node ESM with no dependencies, so vitest, the bench and a shell can all use it.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOnExit } from './on-exit.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const FOLDER_PREFIX = 'stickyscope-pg-';
const USER = 'stickyscope';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The newest `/usr/lib/postgresql/<version>/bin` with a server in it (or `POSTGRES_BIN_DIR`); null when none. */
export function findPostgresBinDir() {
  const candidates = process.env.POSTGRES_BIN_DIR
    ? [process.env.POSTGRES_BIN_DIR]
    : (existsSync(DEBIAN_ROOT) ? readdirSync(DEBIAN_ROOT) : [])
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(DEBIAN_ROOT, v, 'bin'));
  return candidates.find((dir) => ['initdb', 'postgres', 'createdb'].every((bin) => existsSync(path.join(dir, bin)))) ?? null;
}

/** uid/gid of the `postgres` system user when we are root; null when we can run the server ourselves. */
function serverAccount() {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('PostgreSQL will not run as root and there is no `postgres` user: apt-get install -y postgresql creates it');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(file, args, options) {
  return new Promise((resolve, reject) => {
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} failed: ${(stderr || stdout || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/** True while `pid` runs; a zombie (killed, not yet reaped by its parent) counts as gone. */
function isAlive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Kills a cluster's whole process group (the postmaster leads it) at once; synchronous, so it works in `exit`. */
function killCluster(pid) {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function postmasterPid(dir) {
  try {
    const pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres') ? pid : null;
  } catch {
    return null;
  }
}

/** Removes clusters whose owning process is gone (a test runner killed with SIGKILL cannot clean up). */
function removeAbandoned() {
  const tmp = os.tmpdir();
  for (const name of readdirSync(tmp)) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const dir = path.join(tmp, name);
    let owner = 0;
    try {
      owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      // no owner file: half-created, treat as abandoned
    }
    if (owner && isAlive(owner)) continue;
    const pid = postmasterPid(dir);
    if (pid) killCluster(pid);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the server and resolves once it logs that it accepts connections; rejects if it exits first. */
function startServer({ binDir, dir, port, account, durable, log }) {
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'max_connections=50'];
  // Test data is thrown away with the folder, so tests skip the disk flushes; the benchmark keeps them.
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const args = ['-D', path.join(dir, 'data'), '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
  const child = spawn(path.join(binDir, 'postgres'), args, {
    cwd: dir,
    // Own process group: one signal reaches the postmaster and every backend it forked.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    ...(account ?? {}),
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      killCluster(child.pid);
      reject(new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms: ${seen.slice(-500)}`));
    }, READY_TIMEOUT_MS);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`postgres exited (${signal ?? code}): ${seen.trim().slice(-800)}`), { portTaken: /could not bind|already in use/i.test(seen) }));
    };
    child.once('exit', onExit);
    child.once('error', onExit);
    // Read stderr for as long as the server runs, or it would block on a full pipe.
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      log.write(chunk);
      if (seen.length < 100_000) seen += chunk;
      if (/database system is ready to accept connections/.test(seen)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onExit);
        seen = '';
        resolve(child);
      }
    });
  });
}

/**
 * Starts a private cluster with a database `stickyscope` owned by user `stickyscope`, and resolves with its
 * `DATABASE_URL`. Everything is removed by `stop()`, or on SIGINT, SIGTERM and exit of this process.
 */
export async function startPostgres({ durable = false, handleSignals = true } = {}) {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error(`no PostgreSQL server in ${DEBIAN_ROOT}/*/bin: apt-get install -y postgresql`);
  const account = serverAccount();
  removeAbandoned();

  const dir = mkdtempSync(path.join(os.tmpdir(), FOLDER_PREFIX));
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  if (account) chownSync(dir, account.uid, account.gid);
  const password = randomBytes(18).toString('base64url');
  const log = createWriteStream(path.join(dir, 'postgres.log'));
  let child = null;
  let stopped = false;

  const cleanupSync = () => {
    if (child?.pid) killCluster(child.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const removeHandlers = handleSignals ? cleanupOnExit(cleanupSync) : () => undefined;

  try {
    const pwfile = path.join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (account) chownSync(pwfile, account.uid, account.gid);
    await run(
      path.join(binDir, 'initdb'),
      ['-D', path.join(dir, 'data'), '-U', USER, `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'],
      { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' }, ...(account ?? {}) },
    );
    rmSync(pwfile);

    let port = 0;
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      try {
        child = await startServer({ binDir, dir, port, account, durable, log });
      } catch (error) {
        // Another program took the port between our check and the server's bind: pick another.
        if (!error.portTaken || attempt === 3) throw error;
      }
    }
    // Over the socket in the folder, as the cluster's superuser (local connections are trusted).
    await run(path.join(binDir, 'createdb'), ['-h', dir, '-p', String(port), '-U', USER, USER], { cwd: dir });

    const urlFor = (database) => `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`;
    return {
      url: urlFor(USER),
      port,
      dir,
      binDir,
      /** Creates another empty database in the cluster and returns its URL. */
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} is not a plain lower-case identifier`);
        await run(path.join(binDir, 'createdb'), ['-h', dir, '-p', String(port), '-U', USER, name], { cwd: dir });
        return urlFor(name);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        removeHandlers();
        const exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
        // SIGINT is the server's fast shutdown: connections are closed, nothing waits for clients.
        child.kill('SIGINT');
        const timer = setTimeout(() => killCluster(child.pid), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
        log.end();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    removeHandlers();
    cleanupSync();
    log.end();
    throw error;
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // Runs until Ctrl-C; the signal handlers remove the cluster.
  startPostgres({ durable: true }).then(
    (cluster) => process.stdout.write(`PostgreSQL up in ${cluster.dir}\nDATABASE_URL=${cluster.url}\nCtrl-C stops it and deletes the folder.\n`),
    (error) => {
      process.stderr.write(`postgres lab: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
