// Loopback servers for tests: listen on a free 127.0.0.1 port, or find a port nothing listens on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on a free 127.0.0.1 port and returns its `http://127.0.0.1:PORT` base. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A 127.0.0.1 port that was free a moment ago and has nothing listening on it now. */
export async function closedLoopbackPort(): Promise<number> {
  const server = http.createServer();
  const port = Number(new URL(await listenOnLoopback(server)).port);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
