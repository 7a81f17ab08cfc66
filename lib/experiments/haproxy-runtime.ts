import 'server-only';
// HAProxy's Runtime API (`stats socket ... level admin`), limited to reading server states and switching one server
// between drain and ready.
import net from 'node:net';

import { SourceError } from '@/lib/errors';

import type { RuntimeApiAddress } from './config';
import { parseServersState, type HaproxyServer } from './haproxy-servers';

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

export type HaproxyRuntime = {
  readonly target: string;
  listServers(): Promise<HaproxyServer[]>;
  setServerState(backend: string, server: string, state: 'drain' | 'ready'): Promise<void>;
};

export function createHaproxyRuntime(address: RuntimeApiAddress, timeoutMs = 5000): HaproxyRuntime {
  const target = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;

  function send(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = address.kind === 'unix' ? net.createConnection(address.path) : net.createConnection(address.port, address.host);
      let out = '';
      const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (chunk: string) => (out += chunk));
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(new SourceError('unreachable', `HAProxy's Runtime API at ${target} (HAPROXY_RUNTIME_API) failed: ${error.message}`));
      });
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
  }

  return {
    target,
    async listServers() {
      const text = await send('show servers state');
      const servers = parseServersState(text);
      if (servers.length === 0 && !text.includes('# be_id')) {
        throw new SourceError('bad-response', `HAProxy at ${target} did not list its servers: ${text.trim().slice(0, 200) || '(no answer)'}`);
      }
      return servers;
    },
    async setServerState(backend, server, state) {
      if (!NAME.test(backend) || !NAME.test(server)) throw new Error(`refusing HAProxy command for "${backend}/${server}": not a server name`);
      const answer = (await send(`set server ${backend}/${server} state ${state}`)).trim();
      // Success is an empty answer; anything else is HAProxy saying why not (unknown server, not admin level, ...).
      if (answer) throw new SourceError('bad-response', `HAProxy at ${target} refused "set server ${backend}/${server} state ${state}": ${answer.slice(0, 200)}`);
    },
  };
}
