// How Shiny messages ride a socket. R Shiny and Shiny for Python: one message per WebSocket frame at `websocket/`.
// Shiny Server and Posit Connect: SockJS at `__sockjs__/`, framed `o` / `h` / `a[...]` / `c[...]` over any of its
// transports (sockjs-xhr.ts carries the xhr ones), and inside it Shiny Server's multiplexing, where the page's session
// is channel 0 (`0|o|…`, `0|m|…`).
// Pure encoders and decoders; the lane does the I/O.

export type ShinyCodec = {
  /** The socket a browser opens for a page at `pageUrl`. */
  socketUrl(pageUrl: string): string;
  /** Frames to send once the socket is open, before any Shiny message (SockJS: open the page's channel). */
  opening(pageUrl: string): string[];
  /** One frame carrying these Shiny messages. */
  frame(messages: readonly string[]): string;
  /** The Shiny messages in a frame, and whether the frame closes the session. */
  read(frame: string): { messages: string[]; closed: { code: number; reason: string } | null };
  /** How `text` appears in a frame, for a socket's `until`. */
  needle(text: string): string;
};

export const websocketCodec: ShinyCodec = {
  socketUrl(pageUrl) {
    const url = new URL(pageUrl);
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return new URL(`${path}websocket/`, url.origin).href;
  },
  opening: () => [],
  frame: (messages) => messages.join(''),
  read: (frame) => ({ messages: [frame], closed: null }),
  needle: (text) => text,
};

const CHANNEL = '0';

function randomToken(length: number, alphabet: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** A SockJS session's own ids, chosen by the client: a server id (load balancers may route on it) and a session id. */
export type SockjsIds = { server: string; session: string };

export function newSockjsIds(): SockjsIds {
  return { server: randomToken(3, '0123456789'), session: randomToken(8, 'abcdefghijklmnopqrstuvwxyz0123456789') };
}

/**
 * A SockJS session's folder under the page's folder, where each transport has its endpoint: `__sockjs__/` with Shiny
 * Server's path parameters (the worker the page was served by, `w=`, when its URL names one), then the server id and
 * the session id.
 */
export function sockjsSessionUrl(pageUrl: string, ids: SockjsIds = newSockjsIds()): string {
  const url = new URL(pageUrl);
  const folder = url.pathname.replace(/[^/]*$/, '');
  const worker = url.searchParams.get('w');
  const params = worker && /^\w+$/.test(worker) ? `w=${worker}/` : '';
  return new URL(`${folder}__sockjs__/${params}${ids.server}/${ids.session}/`, url.origin).href;
}

/** SockJS's WebSocket URL for a page at `pageUrl`. */
export function sockjsUrl(pageUrl: string, ids?: SockjsIds): string {
  return `${sockjsSessionUrl(pageUrl, ids)}websocket`;
}

/** The multiplexed payloads of one SockJS frame; null for a frame that is not SockJS. */
export function readSockjsFrame(frame: string): { payloads: string[]; close: { code: number; reason: string } | null } | null {
  const kind = frame[0];
  if (kind === 'o' || kind === 'h') return { payloads: [], close: null };
  try {
    if (kind === 'a') {
      const list: unknown = JSON.parse(frame.slice(1));
      return Array.isArray(list) ? { payloads: list.filter((x): x is string => typeof x === 'string'), close: null } : null;
    }
    if (kind === 'm') {
      const one: unknown = JSON.parse(frame.slice(1));
      return typeof one === 'string' ? { payloads: [one], close: null } : null;
    }
    if (kind === 'c') {
      const [code, reason]: unknown[] = JSON.parse(frame.slice(1)) as unknown[];
      return { payloads: [], close: { code: typeof code === 'number' ? code : 1006, reason: typeof reason === 'string' ? reason : '' } };
    }
  } catch {
    return null;
  }
  return null;
}

export const sockjsCodec: ShinyCodec = {
  socketUrl: (pageUrl) => sockjsUrl(pageUrl),
  // Shiny Server resolves the channel's URL against the page's folder: the page's last path segment.
  opening: (pageUrl) => [JSON.stringify([`${CHANNEL}|o|${/[^/]*$/.exec(new URL(pageUrl).pathname)![0]}`])],
  frame: (messages) => JSON.stringify(messages.map((m) => `${CHANNEL}|m|${m}`)),
  read(frame) {
    const read = readSockjsFrame(frame);
    if (!read) return { messages: [], closed: null };
    const messages: string[] = [];
    let closed = read.close;
    for (const payload of read.payloads) {
      const m = /^(\d+)\|([moc])\|([\s\S]*)$/.exec(payload);
      if (!m || m[1] !== CHANNEL) continue;
      if (m[2] === 'm') messages.push(m[3]!);
      if (m[2] === 'c') closed ??= { code: 1000, reason: m[3]! };
    }
    return { messages, closed };
  },
  needle: (text) => JSON.stringify(text).slice(1, -1),
};
