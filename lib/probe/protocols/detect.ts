// `auto`: the first page's answer decides what the run speaks. A Shiny page runs the Shiny protocol, a socket.io
// page engine.io, anything else stays plain HTTP; the reason is said in words. Pure.
import type { ProbeProtocol, ProbeProtocolChoice, ProtocolDetection, TransportResponse } from '../types';
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
