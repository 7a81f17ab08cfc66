// `auto`: the first page's answer decides what the run speaks. A Shiny page runs the Shiny protocol, a socket.io
// page engine.io, anything else stays plain HTTP; the reason is said in words. Pure.
import type { ProbeProtocol, ProbeProtocolChoice, ProbeRecord, ProtocolDetection, ProtocolPhase, TransportResponse } from '../types';
import { readShinyPage } from './shiny/page';

const SOCKET_IO_SCRIPT = /<script[^>]*src=["']([^"']*\/socket\.io(?:\.min)?\.js)(?:\?[^"']*)?["']/i;

/** The detection of a run whose spec named its protocol. */
export function namedProtocol(protocol: ProbeProtocol): ProtocolDetection {
  return { requested: protocol, protocol, reason: `the probe was asked to speak ${protocol}`, atIndex: null };
}

/** What `response` (request `index`, the run's first) says the run should speak; null: the request failed. */
export function detectProtocol(response: Pick<TransportResponse, 'status' | 'headers' | 'bodyPrefix'> | null, index: number): ProtocolDetection {
  const decided = (protocol: ProbeProtocol, reason: string): ProtocolDetection => ({ requested: 'auto' satisfies ProbeProtocolChoice, protocol, reason, atIndex: index });
  if (response === null) return decided('http', `request ${index} failed, so no page could say what the app speaks; plain HTTP`);
  const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (response.status < 200 || response.status >= 300) {
    return decided('http', `request ${index} answered HTTP ${response.status}, not a page; plain HTTP`);
  }
  const html = response.bodyPrefix;
  const shiny = readShinyPage(html);
  if (shiny) {
    return decided('shiny', `${shiny.evidence}${shiny.sockjs ? ", and Shiny Server's SockJS client (__sockjs__) carries its session" : ''}`);
  }
  const socketIo = SOCKET_IO_SCRIPT.exec(html);
  if (socketIo) return decided('engineio', `the page loads ${socketIo[1]}, the socket.io client`);
  const what = type === '' ? 'an answer without a content type' : type === 'text/html' ? 'an HTML page' : `an answer of type ${type}`;
  return decided('http', `${what} that is neither a Shiny nor a socket.io page; plain HTTP`);
}

const ENGINEIO_PHASES: readonly ProtocolPhase[] = ['handshake', 'join', 'post', 'upgrade'];

/**
 * How a stored `auto` run's protocol was chosen, read back from its records when the run's own account was not saved
 * (a run that never ended): the protocol its records speak, from the first one that speaks any.
 */
export function recordedDetection(requested: ProbeProtocolChoice, records: readonly ProbeRecord[]): ProtocolDetection {
  if (requested !== 'auto') return namedProtocol(requested);
  for (const r of records) {
    const facts = r.protocol;
    if (!facts) continue;
    const protocol: ProbeProtocol | null = facts.shiny ? 'shiny' : ENGINEIO_PHASES.includes(facts.phase) ? 'engineio' : null;
    if (!protocol) continue;
    const version = facts.shiny?.page?.version;
    const why = protocol === 'shiny' && version ? `, and its page lists shiny-javascript ${version}` : '';
    return { requested, protocol, reason: `request ${r.index} spoke ${protocol}${why} (read back from the stored records)`, atIndex: r.index };
  }
  return { requested, protocol: 'http', reason: 'no stored record speaks another protocol (read back from the stored records); plain HTTP', atIndex: null };
}
