// WebSockets from Node (the CLI, and the relay on behalf of a browser) with the run's cookies, headers and address
// overrides: held sockets (`openSocketNode`) and the one-shot upgrade check built on them.
//
// Node only, like transport-node.ts: not fenced with `server-only` because the CLI runs outside Next.js.
import type { ProbeSpec } from '../spec';
import { createNodeTransport, type NodeTransport, type NodeTransportOptions } from '../transport-node';
import type { ProbeTransport, TransportRequest, TransportResult } from '../types';
import { openSocketNode, type SocketOptions } from './socket-node';
import { openStreamNode } from './stream-node';
import { upgradeThroughSocket } from './socket-upgrade';

export type UpgradeOptions = SocketOptions;

/** Opens one WebSocket, sends `body` as a text frame, waits for the first frame back (or the refusal) and closes. */
export function upgradeOnce(request: TransportRequest, options: UpgradeOptions = {}, signal?: AbortSignal): Promise<TransportResult> {
  const open = (req: TransportRequest, s?: AbortSignal) => openSocketNode(req, options, s);
  return upgradeThroughSocket(open, request, { timeoutMs: options.timeoutMs ?? 10_000, maxChars: options.maxBodyBytes ?? 64 * 1024 }, signal);
}

/**
 * A transport that sends through `base` and opens WebSockets from Node (held ones and the one-shot upgrade), and
 * held streaming responses for SockJS's xhr transports.
 */
export function withUpgrade<T extends ProbeTransport>(base: T, options: UpgradeOptions): T & Required<Pick<ProbeTransport, 'upgrade' | 'openSocket' | 'openStream'>> {
  return Object.assign(base, {
    upgrade: (request: TransportRequest, signal?: AbortSignal) => upgradeOnce(request, options, signal),
    openSocket: (request: TransportRequest, signal?: AbortSignal) => openSocketNode(request, options, signal),
    openStream: (request: TransportRequest, signal?: AbortSignal) => openStreamNode(request, options, signal),
  });
}

/** Protocols whose lanes never open a WebSocket; every other one (`auto` may become one) gets Node's sockets. */
const WITHOUT_SOCKETS: ReadonlySet<ProbeSpec['protocol']> = new Set(['http', 'session-route']);

/** The Node transport a run of `spec` needs: its overrides, timeouts and connections, and sockets when it may hold one. */
export function nodeTransportFor(spec: ProbeSpec, options: Pick<NodeTransportOptions, 'allowAddress' | 'maxBodyBytes'> = {}): NodeTransport & Partial<Pick<ProbeTransport, 'upgrade' | 'openSocket' | 'openStream'>> {
  const connection = { resolve: spec.resolve, timeoutMs: spec.timeoutMs, insecureTls: spec.insecureTls, allowAddress: options.allowAddress };
  const http = createNodeTransport({ ...connection, connections: spec.concurrency, maxBodyBytes: options.maxBodyBytes });
  return WITHOUT_SOCKETS.has(spec.protocol) ? http : withUpgrade(http, connection);
}
