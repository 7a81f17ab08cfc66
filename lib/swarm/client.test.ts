import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SourceError } from '@/lib/errors';

import { createDockerApi, isAllowedRequest, negotiateApiVersion, parseDockerHost } from './client';

describe('isAllowedRequest', () => {
  it('allows the read endpoints with their known query parameters', () => {
    expect(isAllowedRequest('/version')).toBe(true);
    expect(isAllowedRequest('/tasks', { filters: '{}' })).toBe(true);
    expect(isAllowedRequest('/services', { status: 'true' })).toBe(true);
  });

  it('refuses join tokens, container payloads and unknown parameters', () => {
    for (const p of ['/swarm', '/swarm/unlockkey', '/containers/abc/archive', '/containers/abc/export', '/secrets', '/configs', '/version/../swarm']) {
      expect(isAllowedRequest(p), p).toBe(false);
    }
    expect(isAllowedRequest('/tasks', { all: '1' })).toBe(false);
  });
});

describe('parseDockerHost', () => {
  it('reads unix, tcp and tcp+TLS addresses like the Docker CLI', () => {
    expect(parseDockerHost('unix:///var/run/docker.sock', false)).toMatchObject({ kind: 'socket', socketPath: '/var/run/docker.sock' });
    expect(parseDockerHost('tcp://10.1.2.3', false)).toMatchObject({ kind: 'tcp', protocol: 'http:', hostname: '10.1.2.3', port: 2375 });
    expect(parseDockerHost('tcp://manager:2376', true)).toMatchObject({ kind: 'tcp', protocol: 'https:', hostname: 'manager', port: 2376 });
    expect(parseDockerHost('tcp://[::1]:2375', false)).toMatchObject({ hostname: '::1', port: 2375 });
  });

  it('rejects what it cannot speak with a config error', () => {
    expect(() => parseDockerHost('ssh://me@host', false)).toThrow(/ssh is not supported/);
    expect(() => parseDockerHost('/var/run/docker.sock', false)).toThrow(SourceError);
  });
});

describe('negotiateApiVersion', () => {
  it('speaks min(server, ours) and refuses engines that are too old', () => {
    expect(negotiateApiVersion('1.41', '1.12')).toBe('1.41');
    expect(negotiateApiVersion('1.51', '1.24')).toBe('1.47');
    // Numeric, not string, comparison: 1.9 is older than 1.25.
    expect(() => negotiateApiVersion('1.9', null)).toThrow(/too old/);
    expect(() => negotiateApiVersion('1.24', '1.12')).toThrow(SourceError);
  });
});

// A real HTTP server on a unix socket, for failures a healthy Docker engine cannot be made to produce.
describe('createDockerApi against a local HTTP server', () => {
  let dir: string;
  let socketPath: string;
  let server: http.Server;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stickyscope-client-'));
    socketPath = path.join(dir, 'engine.sock');
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const url = req.url ?? '';
      if (url === '/version') return res.end(JSON.stringify({ ApiVersion: '1.52', MinAPIVersion: '1.24' }));
      if (url.endsWith('/info')) return res.end('<html>proxy login</html>');
      if (url.endsWith('/nodes')) {
        res.statusCode = 503;
        return res.end(JSON.stringify({ message: 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.' }));
      }
      if (url.endsWith('/networks')) {
        res.statusCode = 403;
        return res.end('Forbidden');
      }
      if (url.endsWith('/services?status=true')) return res.end(`[${'"x",'.repeat(40_000)}"x"]`);
      // /tasks: never answers in time.
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const api = () => createDockerApi({ host: `unix://${socketPath}`, tls: null, timeoutMs: 300 }, { maxBodyBytes: 100_000 });
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return 'resolved';
    } catch (error) {
      return error instanceof SourceError ? `${error.code}: ${error.message}` : `plain: ${String(error)}`;
    }
  };

  it('negotiates the version once and prefixes every call with it', async () => {
    const docker = api();
    expect(await docker.apiVersion()).toBe('1.47');
    await failure(docker.get('/info'));
    expect(seen).toContain('/v1.47/info');
  });

  it('maps each failure to its own code with a readable message', async () => {
    const docker = api();
    expect(await failure(docker.get('/info'))).toMatch(/^bad-response: .*not JSON/);
    expect(await failure(docker.get('/nodes'))).toMatch(/^not-swarm-manager: .*not a swarm manager/);
    expect(await failure(docker.get('/networks'))).toMatch(/^permission: .*refused GET \/networks \(403: Forbidden\)/);
    expect(await failure(docker.get('/services', { status: 'true' }))).toMatch(/^too-large: .*more than 100000 bytes/);
    expect(await failure(docker.get('/tasks'))).toMatch(/^timeout: .*did not answer GET \/tasks within 300 ms/);
  });

  it('reports a socket nobody listens on as connection refused', async () => {
    // A process killed with SIGKILL leaves its socket file behind, as a crashed engine does.
    const stale = path.join(dir, 'stale.sock');
    const listener = `require('node:net').createServer().listen(${JSON.stringify(stale)}, () => process.stdout.write('ready'))`;
    const child = spawn(process.execPath, ['-e', listener], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve, reject) => {
      child.stdout.once('data', resolve);
      child.once('exit', () => reject(new Error('listener exited before listening')));
    });
    expect(existsSync(stale)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const docker = createDockerApi({ host: `unix://${stale}`, tls: null, timeoutMs: 2000 });
    expect(await failure(docker.get('/info'))).toBe(`unreachable: connection refused by ${stale}: is the Docker engine running and listening there?`);
  });

  it('never sends a request outside the allowlist', async () => {
    const before = seen.length;
    expect(await failure(api().get('/swarm'))).toMatch(/^plain: .*not on the read-only allowlist/);
    expect(seen.length).toBe(before);
  });
});
