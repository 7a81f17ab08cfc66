// Differential test: our BrowserCookieJar against real Chromium, on the same Set-Cookie sequences.
//
// A raw HTTP(S) server on 127.0.0.1 answers each step of a case with that step's Set-Cookie lines, verbatim, and
// records the Cookie header the request carried. Chromium visits the steps with top-level navigations (same-site,
// as the probe models) under *.test names mapped to 127.0.0.1, plus localhost and 127.0.0.1, which Chromium treats
// as secure over plain http. For every step the Cookie header Chromium sent must equal the one our jar would send,
// and at the end both must hold the same cookies.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserCookieJar, toProbeUrl } from '@/lib/probe';

type Step = { url: string; set?: string[] };
type Case = { name: string; steps: (ports: Ports) => Step[] };
type Ports = { http: number; https: number };

const CHROMIUM = '/usr/bin/chromium';

// ---------------------------------------------------------------- the raw server

/** Per step id: the Set-Cookie lines to answer with, and the Cookie header that arrived (null: none). */
const plan = new Map<string, string[]>();
const received = new Map<string, string | null>();

function handle(socket: net.Socket): void {
  let buffered = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffered.subarray(0, end).toString('latin1');
      buffered = buffered.subarray(end + 4);
      const [requestLine = '', ...headerLines] = head.split('\r\n');
      const target = requestLine.split(' ')[1] ?? '/';
      const cookie = headerLines.find((l) => /^cookie:/i.test(l));
      const id = new URL(target, 'http://x').searchParams.get('id');
      const lines = id !== null ? plan.get(id) : undefined;
      if (id === null || lines === undefined) {
        socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        continue;
      }
      received.set(id, cookie ? cookie.slice(cookie.indexOf(':') + 1).trim() : null);
      const body = `step ${id}`;
      const response = [
        'HTTP/1.1 200 OK',
        'Content-Type: text/plain',
        `Content-Length: ${body.length}`,
        'Cache-Control: no-store',
        ...lines.map((l) => `Set-Cookie: ${l}`),
      ];
      // latin1 keeps every byte of a garbage line as written.
      socket.write(Buffer.from(`${response.join('\r\n')}\r\n\r\n${body}`, 'latin1'));
    }
  });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

// ---------------------------------------------------------------- the cases

const u = (scheme: 'http' | 'https', host: string, p: string, ports: Ports) =>
  `${scheme}://${host}:${scheme === 'http' ? ports.http : ports.https}${p}`;
const h = (host: string, p: string, ports: Ports) => u('http', host, p, ports);
const s = (host: string, p: string, ports: Ports) => u('https', host, p, ports);

const cases: Case[] = [
  { name: 'plain cookie, sent back', steps: (P) => [{ url: h('a.site.test', '/', P), set: ['a=1'] }, { url: h('a.site.test', '/', P) }] },
  { name: 'Secure over http (non-loopback) is dropped', steps: (P) => [{ url: h('a.site.test', '/', P), set: ['s=1; Secure', 'keep=1'] }, { url: h('a.site.test', '/', P) }] },
  { name: 'SameSite=None without Secure is rejected', steps: (P) => [{ url: h('a.site.test', '/', P), set: ['n=1; SameSite=None', 'l=1; SameSite=Lax', 'st=1; SameSite=Strict', 'bogus=1; SameSite=Sometimes'] }, { url: h('a.site.test', '/', P) }] },
  { name: 'SameSite=None; Secure over http is dropped', steps: (P) => [{ url: h('a.site.test', '/', P), set: ['n=1; SameSite=None; Secure'] }, { url: h('a.site.test', '/', P) }] },
  { name: 'SameSite=None; Secure over https is kept', steps: (P) => [{ url: s('a.site.test', '/', P), set: ['n=1; SameSite=None; Secure'] }, { url: s('a.site.test', '/', P) }, { url: h('a.site.test', '/', P) }] },
  {
    name: 'Max-Age=0 and a past Expires delete',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['d=1', 'e=1', 'm=1'] },
      { url: h('a.site.test', '/', P), set: ['d=1; Max-Age=0', 'e=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT', 'm=2; Max-Age=-5'] },
      { url: h('a.site.test', '/', P) },
    ],
  },
  { name: 'Max-Age wins over Expires', steps: (P) => [{ url: h('a.site.test', '/', P), set: ['w=1; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:01 GMT', 'x=1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT'] }, { url: h('a.site.test', '/', P) }] },
  {
    name: 'host-only vs Domain',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['host=1', 'dom=1; Domain=site.test', 'dot=1; Domain=.site.test', 'upper=1; Domain=SITE.TEST'] },
      { url: h('a.site.test', '/', P) },
      { url: h('b.site.test', '/', P) },
      { url: h('site.test', '/', P) },
      { url: h('x.a.site.test', '/', P) },
    ],
  },
  {
    name: 'Domain that does not cover the host, or a public suffix',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['other=1; Domain=other.test', 'child=1; Domain=b.a.site.test', 'tld=1; Domain=test', 'empty=1; Domain='] },
      { url: h('a.site.test', '/', P) },
      { url: h('b.a.site.test', '/', P) },
    ],
  },
  {
    name: 'host-only and Domain cookies of one name are kept apart',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['same=host'] },
      { url: h('a.site.test', '/', P), set: ['same=domain; Domain=site.test'] },
      { url: h('a.site.test', '/', P) },
      { url: h('b.site.test', '/', P) },
    ],
  },
  {
    name: 'Path scoping and the default path',
    steps: (P) => [
      { url: h('a.site.test', '/app/page', P), set: ['def=1', 'sub=1; Path=/app/sub', 'root=1; Path=/', 'rel=1; Path=relative', 'slash=1; Path=/app/'] },
      { url: h('a.site.test', '/app/x', P) },
      { url: h('a.site.test', '/app/sub/y', P) },
      { url: h('a.site.test', '/app', P) },
      { url: h('a.site.test', '/application', P) },
      { url: h('a.site.test', '/other', P) },
    ],
  },
  {
    name: 'Cookie header order: longer paths first, then older',
    steps: (P) => [
      { url: h('a.site.test', '/a/b/c', P), set: ['o=1; Path=/', 'z=1; Path=/', 'o=2; Path=/a', 'o=3; Path=/a/b'] },
      { url: h('a.site.test', '/a/b/c', P), set: ['z=2; Path=/'] },
      { url: h('a.site.test', '/a/b/c', P) },
    ],
  },
  {
    // Chromium keeps the creation time (and so the place in the header) only when the value is unchanged.
    name: 'Cookie header order after overwrites',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['a=1', 'b=1', 'c=1', 'd=1'] },
      { url: h('a.site.test', '/', P), set: ['a=2', 'b=1; HttpOnly', 'c=1; Max-Age=3600'] },
      { url: h('a.site.test', '/', P) },
    ],
  },
  {
    name: '__Secure- and __Host- prefixes over http',
    steps: (P) => [
      { url: h('a.site.test', '/', P), set: ['__Secure-a=1; Secure', '__Secure-b=1', '__Host-c=1; Secure; Path=/', '__Host-d=1; Path=/', '__secure-e=1', '__HOST-f=1; Path=/'] },
      { url: h('a.site.test', '/', P) },
    ],
  },
  {
    name: '__Secure- and __Host- prefixes over https',
    steps: (P) => [
      {
        url: s('a.site.test', '/x/', P),
        set: ['__Secure-a=1; Secure', '__Secure-b=1', '__Host-c=1; Secure; Path=/', '__Host-d=1; Secure', '__Host-e=1; Secure; Path=/; Domain=site.test', '__Host-f=1; Secure; Path=/x'],
      },
      { url: s('a.site.test', '/x/', P) },
    ],
  },
  {
    name: 'http may not overwrite or shadow a Secure cookie',
    steps: (P) => [
      { url: s('a.site.test', '/', P), set: ['sec=https; Secure', 'dsec=https; Secure; Domain=site.test', 'psec=https; Secure; Path=/p'] },
      { url: h('a.site.test', '/', P), set: ['sec=http', 'dsec=http', 'psec=http; Path=/p/q', 'fresh=http'] },
      { url: s('a.site.test', '/p/q', P) },
      { url: h('a.site.test', '/p/q', P) },
    ],
  },
  {
    name: 'https may replace a Secure cookie with a plain one',
    steps: (P) => [
      { url: s('a.site.test', '/', P), set: ['swap=1; Secure'] },
      { url: s('a.site.test', '/', P), set: ['swap=2'] },
      { url: h('a.site.test', '/', P) },
    ],
  },
  {
    name: 'garbage Set-Cookie lines',
    steps: (P) => [
      {
        url: h('a.site.test', '/', P),
        set: [';;;', '=', '   ', 'noequals', '=novalue', 'ok=1', 'sp ace = v a l ', 'q="quoted"', 'k=v; Expires=garbage; Max-Age=abc', `big=${'x'.repeat(4100)}`, 'semi=;', 'dup=1; dup=2', 'a\x01b=c', 'tab=\tx'],
      },
      { url: h('a.site.test', '/', P) },
    ],
  },
  {
    name: 'localhost counts as secure over http',
    steps: (P) => [
      { url: h('localhost', '/', P), set: ['s=1; Secure', 'n=1; SameSite=None; Secure', '__Secure-a=1; Secure', '__Host-b=1; Secure; Path=/', 'plain=1'] },
      { url: h('localhost', '/', P), set: ['s=2'] },
      { url: h('localhost', '/', P) },
    ],
  },
  {
    name: '127.0.0.1 counts as secure over http; Domain only as the IP itself',
    steps: (P) => [
      { url: h('127.0.0.1', '/', P), set: ['s=1; Secure', 'ip=1; Domain=127.0.0.1', 'bad=1; Domain=0.0.1', 'plain=1'] },
      { url: h('127.0.0.1', '/', P) },
    ],
  },
];

// ---------------------------------------------------------------- running one case both ways

type StoredView = { name: string; value: string; domain: string; path: string; secure: boolean; httpOnly: boolean };
const byKey = (a: StoredView, b: StoredView) => `${a.name}|${a.domain}|${a.path}`.localeCompare(`${b.name}|${b.domain}|${b.path}`);

function jarRun(steps: Step[]): { headers: (string | null)[]; stored: StoredView[] } {
  const jar = new BrowserCookieJar();
  const headers: (string | null)[] = [];
  for (const step of steps) {
    const url = toProbeUrl(step.url);
    headers.push(jar.cookieHeaderFor(url).header);
    if (step.set?.length) jar.setCookies(url, step.set);
  }
  const stored = jar
    .toJSON()
    .map((c) => ({ name: c.name, value: c.value, domain: c.hostOnly ? c.domain : `.${c.domain}`, path: c.path, secure: c.secure, httpOnly: c.httpOnly }))
    .sort(byKey);
  return { headers, stored };
}

let browser: Browser;
let ports: Ports;
let certDir: string;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
let nextId = 0;

async function chromiumRun(steps: Step[]): Promise<{ headers: (string | null)[]; stored: StoredView[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    const headers: (string | null)[] = [];
    for (const step of steps) {
      const id = String(nextId++);
      plan.set(id, step.set ?? []);
      const url = `${step.url}${step.url.includes('?') ? '&' : '?'}id=${id}`;
      const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 10_000 });
      expect(response?.status(), url).toBe(200);
      expect(received.has(id), `no request reached the server for ${url}`).toBe(true);
      headers.push(received.get(id) ?? null);
    }
    const stored = (await context.cookies())
      .map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, secure: c.secure, httpOnly: c.httpOnly }))
      .sort(byKey);
    return { headers, stored };
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  certDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-chromium-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=site.test',
    '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handle(socket);
  };
  const plain = net.createServer(track);
  const secure = tls.createServer({ key: readFileSync(path.join(certDir, 'key.pem')), cert: readFileSync(path.join(certDir, 'cert.pem')) }, track);
  servers.push(plain, secure);
  ports = { http: await listen(plain), https: await listen(secure) };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP *.test 127.0.0.1',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

/**
 * Chromium fails in-flight navigations with ERR_NETWORK_CHANGED when interfaces come and go on the host (a Docker
 * lab starting next to us does that). A half-done case cannot be resumed, so the whole case runs again once.
 */
async function chromiumRunSteady(steps: Step[]): Promise<{ headers: (string | null)[]; stored: StoredView[] }> {
  try {
    return await chromiumRun(steps);
  } catch (error) {
    if (!String(error).includes('ERR_NETWORK_CHANGED')) throw error;
    return chromiumRun(steps);
  }
}

describe('BrowserCookieJar sends and stores what Chromium does', () => {
  it.for(cases)('$name', async (c) => {
    const steps = c.steps(ports);
    const chrome = await chromiumRunSteady(steps);
    const ours = jarRun(steps);
    const rows = steps.map((step, i) => ({ url: step.url, chromium: chrome.headers[i], jar: ours.headers[i] }));
    expect(rows.map((r) => ({ url: r.url, cookie: r.jar }))).toEqual(rows.map((r) => ({ url: r.url, cookie: r.chromium })));
    expect(ours.stored).toEqual(chrome.stored);
  });
});
