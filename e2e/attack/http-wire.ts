// HTTP/1.1 messages as bytes, for the attack suite: a strict request parser (what the capture servers judge the
// bytes they received with) and a response reader (what the raw sender hands back). Strict on purpose: bytes a
// lenient server could read as a second request or an extra header line are reported, never forgiven.
import { HTTP_TOKEN, isHeaderValue } from '@/lib/net/http-bytes';

export type WireHeader = { name: string; value: string };

/** One request as it arrived; header names lower-cased, values decoded one byte per character (latin1). */
export type WireRequest = { method: string; target: string; headers: WireHeader[]; body: Buffer };

export type RequestParse = {
  requests: WireRequest[];
  /** Bytes of a request still arriving. */
  rest: Buffer;
  /** Why the bytes stopped being HTTP; null while they are. */
  malformed: string | null;
};

const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');
const MAX_HEAD_BYTES = 64 * 1024;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) HTTP\/1\.1$/;

/** Every complete request in `bytes`, in order, and what is left over. */
export function parseRequests(bytes: Buffer): RequestParse {
  const requests: WireRequest[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf(CRLF2, at);
    if (end === -1) {
      const rest = bytes.subarray(at);
      return { requests, rest, malformed: rest.length > MAX_HEAD_BYTES ? 'a request head longer than 64 KiB' : null };
    }
    const head = bytes.toString('latin1', at, end);
    const parsed = parseHead(head);
    if (typeof parsed === 'string') return { requests, rest: bytes.subarray(at), malformed: parsed };
    const lengths = parsed.headers.filter((h) => h.name === 'content-length');
    if (lengths.length > 1 || (lengths[0] && !/^\d{1,9}$/.test(lengths[0].value))) {
      return { requests, rest: bytes.subarray(at), malformed: 'a missing, repeated or invalid content-length' };
    }
    const length = lengths[0] ? Number(lengths[0].value) : 0;
    const bodyStart = end + CRLF2.length;
    if (bytes.length < bodyStart + length) return { requests, rest: bytes.subarray(at), malformed: null };
    requests.push({ ...parsed, body: Buffer.from(bytes.subarray(bodyStart, bodyStart + length)) });
    at = bodyStart + length;
  }
}

function parseHead(head: string): Omit<WireRequest, 'body'> | string {
  // A lone CR or LF is where one parser sees a line break and another does not.
  if (/\r(?!\n)|(?<!\r)\n/.test(head)) return `a bare CR or LF in the request head: ${JSON.stringify(head.slice(0, 200))}`;
  const [line = '', ...fields] = head.split('\r\n');
  const m = REQUEST_LINE.exec(line);
  if (!m) return `not an HTTP/1.1 request line: ${JSON.stringify(line.slice(0, 200))}`;
  const headers: WireHeader[] = [];
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = colon === -1 ? '' : field.slice(0, colon);
    const value = field.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!HTTP_TOKEN.test(name)) return `not a header line: ${JSON.stringify(field.slice(0, 200))}`;
    if (!isHeaderValue(value)) return `a control character in header ${name}`;
    if (name.toLowerCase() === 'transfer-encoding') return 'a transfer-encoding header (the transports never send one)';
    headers.push({ name: name.toLowerCase(), value });
  }
  return { method: m[1]!, target: m[2]!, headers };
}

/** A response as the raw sender read it. `headers` joins repeated names with ", ". */
export type WireResponse = {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes read off the socket, head included. */
  bytes: number;
  /** The answer was longer than the reader's cap and was cut there. */
  truncated: boolean;
};

/** Reads a complete response out of everything a `Connection: close` exchange delivered. */
export function parseResponse(bytes: Buffer, truncated: boolean): WireResponse {
  const end = bytes.indexOf(CRLF2);
  if (end === -1) throw new Error(`the answer has no complete head: ${JSON.stringify(bytes.toString('latin1', 0, 200))}`);
  const [line = '', ...fields] = bytes.toString('latin1', 0, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(line);
  if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(line.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  let body = bytes.subarray(end + CRLF2.length);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(m[1]), headers, body: Buffer.from(body), bytes: bytes.length, truncated };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at, 'latin1');
    if (eol === -1) break;
    const size = Number.parseInt(bytes.toString('latin1', at, eol), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
