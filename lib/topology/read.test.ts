import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConfig } from '@/lib/config-types';
import { readTopology } from './read';

// Real sockets, failing in the ways outside systems fail; the model must still come back whole.
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/broken/')) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    } else if (req.url?.startsWith('/html/')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function cluster(traefikPath: string | null): ClusterConfig {
  return {
    id: 'test',
    name: 'test',
    docker: { host: 'unix:///nonexistent/stickyscope-test.sock', tls: null, timeoutMs: 2000 },
    traefik: traefikPath === null ? null : { url: `${base}${traefikPath}`, auth: null, timeoutMs: 2000, maxBodyBytes: 1024 * 1024 },
  };
}

describe('readTopology when sources fail', () => {
  it('reports each failing source with its own message and still returns a model', async () => {
    const topology = await readTopology(cluster('/broken'), () => new Date('2026-01-01T00:00:00Z'));
    expect(topology.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(topology.sources.docker.status).toBe('error');
    expect(topology.sources.docker.message).toMatch(/no Docker socket at \/nonexistent\/stickyscope-test\.sock/);
    expect(topology.sources.traefik.status).toBe('error');
    expect(topology.sources.traefik.message).toMatch(/500/);
    expect(topology.services).toEqual([]);
  });

  it('says a non-JSON answer is not the Traefik API', async () => {
    const topology = await readTopology(cluster('/html'));
    expect(topology.sources.traefik.status).toBe('error');
    expect(topology.sources.traefik.message).toMatch(/JSON/i);
  });

  it('marks Traefik off, not failed, when no API is configured', async () => {
    const topology = await readTopology(cluster(null));
    expect(topology.sources.traefik).toMatchObject({ status: 'off' });
    expect(topology.sources.traefik.message).toMatch(/TRAEFIK_API_URL/);
  });
});
