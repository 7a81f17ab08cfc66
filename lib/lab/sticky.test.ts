import { describe, expect, it } from 'vitest';
import { defaultCookieName, encodeStickyCookie } from '@/lib/traefik/cookie';
import type { StickyCookie } from '@/lib/traefik/types';
import { pickServer, readCookie, serializeStickyCookie, WeightedRoundRobin, type LabBackend, type LabServer } from './sticky';

const sticky = (o: Partial<StickyCookie> = {}): StickyCookie => ({
  name: null,
  secure: false,
  httpOnly: true,
  sameSite: 'lax',
  maxAge: null,
  path: null,
  domain: null,
  ...o,
});

const servers = (): LabServer[] => [
  { url: 'http://127.0.0.1:4001', weight: 1, alive: true },
  { url: 'http://127.0.0.1:4002', weight: 1, alive: true },
  { url: 'http://127.0.0.1:4003', weight: 1, alive: true },
];

const backend = (o: Partial<LabBackend> = {}): LabBackend => ({ name: 'web@lab', sticky: sticky(), servers: servers(), ...o });
const name = defaultCookieName('web@lab');

describe('WeightedRoundRobin', () => {
  it('rotates over equal weights and skips dead servers', () => {
    const wrr = new WeightedRoundRobin();
    const list = servers();
    expect([1, 2, 3, 4].map(() => wrr.next(list)?.url.slice(-4))).toEqual(['4001', '4002', '4003', '4001']);
    list[1]!.alive = false;
    const picks = [1, 2, 3, 4].map(() => wrr.next(list)?.url.slice(-4));
    expect(picks).not.toContain('4002');
    expect(new Set(picks)).toEqual(new Set(['4001', '4003']));
    expect(new WeightedRoundRobin().next(list.map((s) => ({ ...s, alive: false })))).toBeNull();
  });

  it('gives shares in proportion to the weights', () => {
    const wrr = new WeightedRoundRobin();
    const list = [
      { url: 'a', weight: 3, alive: true },
      { url: 'b', weight: 1, alive: true },
    ];
    const picks = Array.from({ length: 8 }, () => wrr.next(list)?.url);
    expect(picks.filter((p) => p === 'a')).toHaveLength(6);
  });
});

describe('serializeStickyCookie', () => {
  it('writes the attributes the way Traefik (Go http.Cookie) does', () => {
    expect(serializeStickyCookie('s', 'v', sticky({ secure: true, sameSite: 'none', maxAge: 60, path: '/app' }))).toBe(
      's=v; Path=/app; Max-Age=60; HttpOnly; Secure; SameSite=None',
    );
    expect(serializeStickyCookie('s', 'v', sticky({ httpOnly: false, sameSite: 'bogus', maxAge: -1 }))).toBe('s=v; Path=/; Max-Age=0');
  });

  it('writes no header line from labels Go could not write either: CR/LF never reaches the response head', () => {
    expect(serializeStickyCookie('a\r\nX-Evil: 1', 'v', sticky({}))).toBeNull();
    expect(serializeStickyCookie('a b', 'v', sticky({}))).toBeNull();
    const path = serializeStickyCookie('s', 'v', sticky({ httpOnly: false, path: '/a\r\nX-Evil: 1;b' }));
    expect(path).toMatch(/^s=v; Path=\/aX-Evil: 1b(;|$)/);
    expect(serializeStickyCookie('s', 'v', sticky({ httpOnly: false, sameSite: null, domain: 'evil\r\n.example' }))).toBe('s=v; Path=/');
    expect(serializeStickyCookie('s', 'v', sticky({ httpOnly: false, sameSite: null, domain: '.lab.test' }))).toBe('s=v; Path=/; Domain=lab.test');
  });
});

describe('pickServer', () => {
  it('sets the default-named sha256-16 cookie on a first visit', () => {
    const p = pickServer(backend(), undefined, new WeightedRoundRobin());
    expect(p?.server.url).toBe('http://127.0.0.1:4001');
    expect(p?.setCookie).toBe(`${name}=${encodeStickyCookie('http://127.0.0.1:4001', 'sha256-16')}; Path=/; HttpOnly; SameSite=Lax`);
  });

  it('follows a valid cookie without setting a new one', () => {
    const cookie = `other=1; ${name}=${encodeStickyCookie('http://127.0.0.1:4003', 'sha256-16')}`;
    const wrr = new WeightedRoundRobin();
    for (let i = 0; i < 3; i++) expect(pickServer(backend(), cookie, wrr)).toMatchObject({ server: { url: 'http://127.0.0.1:4003' }, setCookie: null });
  });

  it('picks anew and sets a new cookie for an unknown or dead server', () => {
    const unknown = pickServer(backend(), `${name}=0123456789abcdef`, new WeightedRoundRobin());
    expect(unknown?.setCookie).toContain(`${name}=`);
    const list = servers();
    list[2]!.alive = false;
    const dead = pickServer(backend({ servers: list }), `${name}=${encodeStickyCookie('http://127.0.0.1:4003', 'sha256-16')}`, new WeightedRoundRobin());
    expect(dead?.server.url).not.toBe('http://127.0.0.1:4003');
    expect(dead?.setCookie).toContain(encodeStickyCookie(dead!.server.url, 'sha256-16'));
  });

  it('rewrites an older value format, uses a configured name, and sets nothing without sticky', () => {
    const legacy = pickServer(backend(), `${name}=http://127.0.0.1:4002`, new WeightedRoundRobin());
    expect(legacy?.server.url).toBe('http://127.0.0.1:4002');
    expect(legacy?.setCookie).toContain(encodeStickyCookie('http://127.0.0.1:4002', 'sha256-16'));
    expect(pickServer(backend({ sticky: sticky({ name: 'my cookie' }) }), undefined, new WeightedRoundRobin())?.setCookie).toMatch(/^my_cookie=/);
    expect(pickServer(backend({ sticky: null }), undefined, new WeightedRoundRobin())?.setCookie).toBeNull();
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; b = 2 ;c=3', 'b')).toBe('2');
    expect(readCookie(undefined, 'b')).toBeNull();
  });
});
