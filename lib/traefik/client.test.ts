import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraefikConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';
import { MAX_PAGES, readTraefikApi } from './client';
import { swarmStickyServices } from './testdata/swarm-services';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A well-behaved Traefik; `override` replaces single paths. */
function traefik(override: Record<string, Handler> = {}): Handler {
  return (req, res, url) => {
    const special = override[url.pathname];
    if (special) return special(req, res, url);
    if (url.pathname === '/api/version') return json(res, { Version: '3.3.5', Codename: 'saint-nectaire' });
    if (url.pathname === '/api/overview') return json(res, { providers: ['Swarm'] });
    if (url.pathname === '/api/entrypoints') return json(res, [{ name: 'web', address: ':80' }]);
    if (url.pathname === '/api/http/routers') {
      return json(res, [{ name: 'web@swarm', provider: 'swarm', rule: 'Host(`app.example`)', service: 'web', entryPoints: ['web'] }]);
    }
    if (url.pathname === '/api/http/services') return json(res, swarmStickyServices);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found\n');
  };
}

function conn(url: string, extra: Partial<TraefikConnection> = {}): TraefikConnection {
  return { url, auth: null, timeoutMs: 2000, maxBodyBytes: 1_000_000, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('readTraefikApi against a local HTTP server', () => {
  it('reads version, providers, entry points, routers and services', async () => {
    const url = await serve(traefik());
    const snapshot = await readTraefikApi(conn(`${url}/`));
    expect(snapshot.origin).toBe('api');
    expect(snapshot.version).toBe('3.3.5');
    expect(snapshot.providers).toEqual(['Swarm']);
    expect(snapshot.entryPoints).toEqual([{ name: 'web', address: ':80' }]);
    expect(snapshot.routers[0]).toMatchObject({ name: 'web@swarm', service: 'web@swarm', hosts: ['app.example'] });
    expect(snapshot.services.find((s) => s.name === 'web@swarm')?.sticky?.name).toBe('web_sticky');
  });

  it('sends basic and bearer credentials', async () => {
    const seen: string[] = [];
    const url = await serve((req, res, u) => {
      seen.push(req.headers.authorization ?? '');
      traefik()(req, res, u);
    });
    await readTraefikApi(conn(url, { auth: { type: 'basic', username: 'ops', password: 's3cret' } }));
    expect(new Set(seen)).toEqual(new Set([`Basic ${Buffer.from('ops:s3cret').toString('base64')}`]));
    seen.length = 0;
    await readTraefikApi(conn(url, { auth: { type: 'bearer', token: 'tok' } }));
    expect(new Set(seen)).toEqual(new Set(['Bearer tok']));
  });

  it('follows X-Next-Page across pages with page and per_page', async () => {
    const requested: string[] = [];
    const url = await serve(
      traefik({
        '/api/http/routers': (_req, res, u) => {
          requested.push(u.search);
          const page = Number(u.searchParams.get('page'));
          const next: Record<string, string> = page < 3 ? { 'X-Next-Page': String(page + 1) } : {};
          json(res, [{ name: `r${page}@swarm`, rule: `Host(\`p${page}.example\`)`, service: 's' }], next);
        },
      }),
    );
    const snapshot = await readTraefikApi(conn(url));
    expect(requested).toEqual(['?page=1&per_page=100', '?page=2&per_page=100', '?page=3&per_page=100']);
    expect(snapshot.routers.map((r) => r.name)).toEqual(['r1@swarm', 'r2@swarm', 'r3@swarm']);
  });

  it('stops at the page cap when X-Next-Page never ends', async () => {
    let calls = 0;
    const url = await serve(
      traefik({
        '/api/http/routers': (_req, res, u) => {
          calls++;
          json(res, [], { 'X-Next-Page': String(Number(u.searchParams.get('page')) + 1) });
        },
      }),
    );
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/more than 50 pages/);
    expect(calls).toBe(MAX_PAGES);
  });

  it('maps 401 and 403 to auth', async () => {
    for (const status of [401, 403]) {
      const url = await serve((_req, res) => {
        res.writeHead(status);
        res.end('no');
      });
      const error = await failure(readTraefikApi(conn(url)));
      expect(error.code).toBe('auth');
      expect(error.message).toContain(`HTTP ${status}`);
    }
  });

  it('maps 404 to not-found with a hint about the API', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404);
      res.end('404 page not found');
    });
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/Is this the Traefik API, and is the API enabled/);
  });

  it('maps 500 to bad-response', async () => {
    const url = await serve(traefik({ '/api/http/services': (_req, res) => (res.writeHead(500), res.end('boom')) }));
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/HTTP 500/);
  });

  it('maps a server that never answers to timeout', async () => {
    const url = await serve(() => {
      // Never respond: the client's timeout must end the request.
    });
    const error = await failure(readTraefikApi(conn(url, { timeoutMs: 150 })));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 150 ms/);
  });

  it('maps a body that stalls mid-way to timeout', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Version":');
    });
    const error = await failure(readTraefikApi(conn(url, { timeoutMs: 150 })));
    expect(error.code).toBe('timeout');
  });

  it('maps non-JSON to bad-response', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>Dashboard</html>');
    });
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/did not return JSON \(text\/html/);
  });

  it('stops reading a streamed body past maxBodyBytes', async () => {
    let written = 0;
    const url = await serve(
      traefik({
        '/api/http/services': (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const chunk = Buffer.alloc(16 * 1024, 0x20);
          const pump = () => {
            while (!res.destroyed && written < 50_000_000) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('error', () => undefined);
          pump();
        },
      }),
    );
    const error = await failure(readTraefikApi(conn(url, { maxBodyBytes: 64 * 1024 })));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/65536-byte limit/);
    expect(written).toBeLessThan(50_000_000);
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2000' });
      res.end(`"${'x'.repeat(1998)}"`);
    });
    const error = await failure(readTraefikApi(conn(url, { maxBodyBytes: 1000 })));
    expect(error.code).toBe('too-large');
  });

  it('maps unusable shapes to bad-response', async () => {
    const url = await serve(traefik({ '/api/http/routers': (_req, res) => json(res, { 'web@swarm': { rule: 'Host(`x`)' } }) }));
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/expected a list of router, got an object/);

    const url2 = await serve(traefik({ '/api/version': (_req, res) => json(res, ['3.0']) }));
    expect((await failure(readTraefikApi(conn(url2)))).message).toMatch(/expected a version object, got a list/);
  });

  it('skips unnamed entries and keeps odd values instead of failing', async () => {
    const url = await serve(
      traefik({
        '/api/http/routers': (_req, res) =>
          json(res, [{ rule: 'Host(`nameless`)' }, { name: 'ok@swarm', rule: 42, entryPoints: 'web', tls: {}, extra: true }]),
      }),
    );
    const snapshot = await readTraefikApi(conn(url));
    expect(snapshot.routers).toHaveLength(1);
    expect(snapshot.routers[0]).toMatchObject({ name: 'ok@swarm', rule: '', entryPoints: [], tls: true });
    expect(snapshot.warnings).toEqual(['Skipped router entry #1: it has no name.']);
  });

  it('tolerates a missing /api/overview', async () => {
    const url = await serve(traefik({ '/api/overview': (_req, res) => (res.writeHead(404), res.end()) }));
    const snapshot = await readTraefikApi(conn(url));
    expect(snapshot.providers).toBeUndefined();
    expect(snapshot.routers).toHaveLength(1);
  });

  it('maps a refused connection to unreachable', async () => {
    const url = await serve(() => undefined);
    const closed = servers.pop() as Server;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(readTraefikApi(conn(url)));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
