// Relay request bodies as the Probe page sends them, written by the product's own relay transport
// (lib/relay/client.ts) rather than by hand, so the attacks follow its wire format (a run id, new fields) and only
// the values under attack are the suite's. One `RelayBodies` is one probe run: its calls share the run's connections.
import { RelayTransport } from '@/lib/relay/client';
import { toProbeUrl } from '@/lib/probe/url';

export type Override = { host: string; port: number; address: string };

export type RelayCall = {
  url: string;
  method?: string;
  /** Flat name/value pairs, as the engine builds them. */
  headers?: string[];
  cookie?: string | null;
  body?: string | null;
};

export type RunOptions = { resolve?: Override[]; timeoutMs?: number };

/** What the relay route answers when the transport posts; the transport only needs a well-formed result. */
const UNUSED_RESULT = JSON.stringify({ ok: false, error: { code: 'other', message: 'not sent' }, upstreamMs: 0 });

export class RelayBodies {
  private readonly transport: RelayTransport;
  private captured: unknown = null;

  constructor(options: RunOptions = {}) {
    this.transport = new RelayTransport({
      resolve: options.resolve ?? [],
      timeoutMs: options.timeoutMs ?? 5000,
      insecureTls: false,
      concurrency: 1,
      readsBody: false,
      exposeHeaders: ['x-attack-echo'],
      fetch: async (_input, init) => {
        this.captured = JSON.parse(String(init?.body));
        return new Response(UNUSED_RESULT, { headers: { 'content-type': 'application/json' } });
      },
    });
  }

  /** The body of `POST /api/relay` for `call`. */
  async relay(call: RelayCall): Promise<Record<string, unknown>> {
    await this.transport.send(this.request(call));
    return this.take();
  }

  /** The body of `POST /api/relay/upgrade` for `call`. */
  async upgrade(call: RelayCall): Promise<Record<string, unknown>> {
    await this.transport.upgrade(this.request(call));
    return this.take();
  }

  /** The body of `POST /api/relay/socket` for `call`. */
  async socket(call: RelayCall): Promise<Record<string, unknown>> {
    await this.transport.openSocket(this.request(call));
    return this.take();
  }

  private request(call: RelayCall) {
    return { url: toProbeUrl(call.url), method: call.method ?? 'GET', headers: call.headers ?? [], cookieHeader: call.cookie ?? null, body: call.body ?? null };
  }

  private take(): Record<string, unknown> {
    const body = this.captured as Record<string, unknown> | null;
    this.captured = null;
    if (!body) throw new Error('the relay transport posted nothing');
    return body;
  }
}

/** A `POST /api/relay` body for one call of a run of its own. */
export function relayBody(call: RelayCall, options: RunOptions = {}): Promise<Record<string, unknown>> {
  return new RelayBodies(options).relay(call);
}

/** A `POST /api/relay/upgrade` body for one call of a run of its own. */
export function upgradeBody(call: RelayCall, options: RunOptions = {}): Promise<Record<string, unknown>> {
  return new RelayBodies(options).upgrade(call);
}

/** A `POST /api/relay/socket` body for one call of a run of its own. */
export function socketOpenBody(call: RelayCall, options: RunOptions = {}): Promise<Record<string, unknown>> {
  return new RelayBodies(options).socket(call);
}
