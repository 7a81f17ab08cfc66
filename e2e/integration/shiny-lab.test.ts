// The Shiny lab itself (scripts/lab/shiny.mjs): each R process serves the app as itself, the three frontends set the
// balancer cookie as their names say, stop() leaves no process and no file of R's, and a lab whose parent was killed
// is stopped by the next start in its folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURE_HOST, startShinyLab, type ShinyLab } from '../../scripts/lab/shiny.mjs';

const shinyModule = fileURLToPath(new URL('../../scripts/lab/shiny.mjs', import.meta.url));

type Answer = { status: number; setCookie: string[]; body: string };

/** One GET to 127.0.0.1:`port` with the given Host header, as a browser reaching that name would send it. */
function get(port: number, host = `127.0.0.1:${port}`): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${host} timed out`)));
    req.on('error', reject);
  });
}

const processMark = (body: string) => /<meta name="shiny-lab-process" content="([^"]+)"\/>/.exec(body)?.[1] ?? null;

/** The pids the lab recorded in its folder. */
function recordedPids(dir: string): number[] {
  return (JSON.parse(readFileSync(path.join(dir, 'lab.json'), 'utf8')) as { processes: { pid: number }[] }).processes.map((p) => p.pid);
}

/** Running, not merely a zombie waiting for its parent (this process) to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-shiny-lab-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a running Shiny lab', () => {
  let lab: ShinyLab;

  beforeAll(async () => {
    lab = await startShinyLab({ dir: freshDir(), replicas: 2 });
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
  });

  it('runs one R process per replica, each serving the Shiny app under its own name', async () => {
    for (const replica of lab.replicas) {
      const page = await get(replica.port);
      expect(page.status).toBe(200);
      expect(page.body).toContain('shiny-javascript[');
      expect(page.body).toContain('datatables-binding[');
      expect(processMark(page.body)).toBe(replica.name);
    }
  });

  it('sets the balancer cookie on the sticky frontend, none on round robin, and a Secure one on the secure frontend', async () => {
    const cookieOf = (answer: Answer) => answer.setCookie.find((c) => c.startsWith(`${lab.cookieName}=`));
    const sticky = await get(lab.frontends.sticky);
    expect(cookieOf(sticky)).toMatch(new RegExp(`^${lab.cookieName}=r\\d; path=/; HttpOnly$`));
    expect((await get(lab.frontends.roundRobin)).setCookie).toEqual([]);

    expect(lab.urls.secure).toBe(`http://${SECURE_HOST}:${lab.frontends.secure}/`);
    expect(lab.resolve).toEqual([`${SECURE_HOST}:${lab.frontends.secure}:127.0.0.1`]);
    const secure = await get(lab.frontends.secure, new URL(lab.urls.secure).host);
    expect(secure.status).toBe(200);
    expect(cookieOf(secure)).toMatch(new RegExp(`^${lab.cookieName}=r\\d; path=/; HttpOnly; Secure$`));
  });
});

describe('stopping the Shiny lab', () => {
  it('stop() ends every process and removes the R processes’ files', async () => {
    const dir = freshDir();
    const lab = await startShinyLab({ dir, replicas: 1 });
    const pids = recordedPids(dir);
    expect(readdirSync(path.join(dir, 'tmp')).some((name) => name.startsWith('Rtmp'))).toBe(true);
    await lab.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(path.join(dir, 'tmp'))).toBe(false);
  }, 60_000);

  it('a lab whose parent was killed is stopped by the next start in its folder', async () => {
    const dir = freshDir();
    const parent = spawn(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(shinyModule)}); await m.startShinyLab({ dir: ${JSON.stringify(dir)}, replicas: 1 }); console.log('up'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before the lab was up`)));
    });
    const orphans = recordedPids(dir);
    parent.kill('SIGKILL');
    await new Promise((resolve) => parent.once('exit', resolve));
    // Nothing ran the parent's exit handlers: its R process and HAProxy are still there.
    expect(orphans.filter(alive)).toEqual(orphans);

    const lab = await startShinyLab({ dir, replicas: 1 });
    const pids = recordedPids(dir);
    try {
      expect(orphans.filter(alive)).toEqual([]);
      expect(processMark((await get(lab.frontends.sticky)).body)).toBe('replica-1');
    } finally {
      await lab.stop();
    }
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
