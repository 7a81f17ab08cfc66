// Shared by the integration tests that drive the real `stickyscope` command and read the lab's engine directly.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

import { inject } from 'vitest';
import { closedLoopbackPort } from '@/lib/test/loopback';
import { isolatedEnv } from './dashboard-health';

const bin = fileURLToPath(new URL('../../bin/stickyscope.mjs', import.meta.url));

/** The lab's DOCKER_HOST; refuses anything but a unix socket, so these tests never reach a remote engine. */
export function labDockerHost(): string {
  const host = inject('dockerHost');
  if (!/^unix:\/\/\//.test(host)) throw new Error(`refusing to test against ${host}: the lab engine is a unix socket`);
  return host;
}

export type CliRun = { code: number | null; stdout: string; stderr: string; ms: number };

/**
 * `node bin/stickyscope.mjs ...args` with only `DOCKER_HOST` (and `settings`) configured: Traefik and stickyscope
 * settings from the calling shell are dropped, so the command reads labels only. A null `dockerHost` leaves Docker
 * unset (a probe needs none). Killed after `timeoutMs`.
 */
export function runStickyscope(args: string[], dockerHost: string | null, timeoutMs = 30_000, settings: Record<string, string> = {}): Promise<CliRun> {
  const env = isolatedEnv({ ...settings, ...(dockerHost === null ? {} : { DOCKER_HOST: dockerHost }) });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** GET on the lab engine's own API, for the engine's view of what the command reports. */
export function engineGet<T>(dockerHost: string, apiPath: string, timeoutMs = 5000): Promise<T> {
  const socketPath = dockerHost.replace(/^unix:\/\//, '');
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: apiPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400) return reject(new Error(`GET ${apiPath}: ${res.statusCode} ${body.trim()}`));
        try {
          resolve(JSON.parse(body) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${apiPath} timed out`)));
    req.on('error', reject);
  });
}

/** A loopback port nothing listens on right now. */
export const freePort = closedLoopbackPort;
