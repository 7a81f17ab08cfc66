// The one-shot upgrade (open, send one frame, read one back, close) as a use of a held socket, so a transport that
// can hold sockets needs nothing else for engine.io's upgrade check. Isomorphic.
import type { ProbeTransport, TransportRequest, TransportResult } from '../types';

export type SocketUpgradeOptions = {
  /** Longest wait for the answer frame once the socket is open. */
  timeoutMs: number;
  /** Most characters kept of the answer frame. */
  maxChars: number;
};

export async function upgradeThroughSocket(
  openSocket: NonNullable<ProbeTransport['openSocket']>,
  request: TransportRequest,
  options: SocketUpgradeOptions,
  signal?: AbortSignal,
): Promise<TransportResult> {
  const opened = await openSocket({ ...request, body: request.body ?? '' }, signal);
  if (!opened.ok) return opened;
  const { socket, ...response } = opened;
  if (!socket) return response;
  try {
    const got = await socket.receive({ maxFrames: 1, maxChars: options.maxChars, timeoutMs: options.timeoutMs }, signal);
    if (got.ended === 'aborted') return { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };
    const frame = got.frames[0];
    if (!frame && got.ended === 'timeout') return { ok: false, error: { code: 'timeout', message: `no answer within ${options.timeoutMs} ms` } };
    return { ...response, bodyPrefix: frame?.text ?? '', bodyTruncated: frame?.truncated ?? false };
  } finally {
    await socket.close();
  }
}

/** The transport's one-shot upgrade: its own, or one made from `openSocket`; undefined when it has neither. */
export function upgradeOf(transport: ProbeTransport, options: SocketUpgradeOptions): ProbeTransport['upgrade'] {
  if (transport.upgrade) return transport.upgrade.bind(transport);
  const open = transport.openSocket?.bind(transport);
  return open && ((request, signal) => upgradeThroughSocket(open, request, options, signal));
}
