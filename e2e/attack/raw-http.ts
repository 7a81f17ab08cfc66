// Requests written byte for byte on a plain socket, where fetch would normalise the attack away: any Host header
// (or none), header values with any byte, invalid UTF-8 bodies, unescaped paths. One request per connection.
import net from 'node:net';
import { parseResponse, type WireResponse } from './http-wire';

/** A header value as text (one byte per character, latin1) or as exact bytes. */
export type RawHeader = readonly [name: string, value: string | Buffer];

export type RawRequest = {
  method: string;
  /** The request target exactly as written on the request line. */
  path: string;
  /** The Host header; null sends none. */
  host: string | null;
  headers?: readonly RawHeader[];
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked`, so its size is unknown until it ends. */
  chunked?: boolean;
};

/** Everything read past this is cut off: the answer-size bound is checked on the part read. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

export function encodeRequest(request: RawRequest): Buffer {
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : (request.body ?? null);
  const headers: RawHeader[] = [];
  if (request.host !== null) headers.push(['Host', request.host]);
  headers.push(...(request.headers ?? []));
  const named = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (body !== null && request.chunked) headers.push(['Transfer-Encoding', 'chunked']);
  else if (body !== null && !named('content-length')) headers.push(['Content-Length', String(body.length)]);
  if (!named('connection')) headers.push(['Connection', 'close']);
  const parts: Buffer[] = [Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\n`, 'latin1')];
  for (const [name, value] of headers) {
    parts.push(Buffer.from(`${name}: `, 'latin1'), typeof value === 'string' ? Buffer.from(value, 'latin1') : value, Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('\r\n', 'latin1'));
  if (body !== null && request.chunked) parts.push(...chunkedParts(body));
  else if (body !== null) parts.push(body);
  return Buffer.concat(parts);
}

function chunkedParts(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += 16 * 1024) {
    const part = body.subarray(at, at + 16 * 1024);
    out.push(Buffer.from(`${part.length.toString(16)}\r\n`, 'latin1'), part, Buffer.from('\r\n', 'latin1'));
  }
  out.push(Buffer.from('0\r\n\r\n', 'latin1'));
  return out;
}

/** Sends `request` to 127.0.0.1:`port` and reads the answer until the server closes (or `MAX_READ_BYTES`). */
export function sendRaw(port: number, request: RawRequest | Buffer, timeoutMs = 30_000): Promise<WireResponse> {
  const bytes = Buffer.isBuffer(request) ? request : encodeRequest(request);
  const what = Buffer.isBuffer(request) ? bytes.toString('latin1', 0, 80) : `${request.method} ${request.path.slice(0, 80)}`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const socket = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer to ${JSON.stringify(what)} within ${timeoutMs} ms (${size} bytes read)`));
    }, timeoutMs);
    // Not end(): a half-closed client makes Node's server abort the request it has not answered yet.
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_READ_BYTES) {
        truncated = true;
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      // A server that answers and resets before reading the whole body still answered.
      if (size === 0) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (size === 0) return reject(new Error(`the server closed the connection without answering ${JSON.stringify(what)}`));
      try {
        resolve(parseResponse(Buffer.concat(chunks), truncated));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** The answer's body as JSON, or null when it is not JSON. */
export function jsonOf(response: WireResponse): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return null;
  }
}
