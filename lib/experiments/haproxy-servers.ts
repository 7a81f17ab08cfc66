// HAProxy's `show servers state` read into our own shape, and which of its servers is a given Swarm task. Pure.

export type HaproxyServer = {
  backend: string;
  server: string;
  address: string;
  port: number | null;
  /** The health checks' view (srv_op_state 2). */
  running: boolean;
  admin: 'ready' | 'drain' | 'maint';
};

// srv_admin_state bits (HAProxy's SRV_ADMF_*): forced, inherited, config, resolver and hostname maintenance; drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN_BITS = 0x08 | 0x10;

/** Reads the answer to `show servers state` (format 1: a version line, a `#` header line naming the columns). */
export function parseServersState(text: string): HaproxyServer[] {
  const lines = text.split('\n').map((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  const [be, srv, addr, op, admin, port] = ['be_name', 'srv_name', 'srv_addr', 'srv_op_state', 'srv_admin_state', 'srv_port'].map(at);
  if ([be, srv, addr, op, admin].some((i) => i === undefined || i < 0)) return [];
  const servers: HaproxyServer[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#') || /^\d+$/.test(line)) continue;
    const f = line.split(/\s+/);
    const adminBits = Number(f[admin!]);
    const portText = port !== undefined && port >= 0 ? f[port] : undefined;
    servers.push({
      backend: f[be!] ?? '',
      server: f[srv!] ?? '',
      address: f[addr!] ?? '',
      port: portText && /^\d+$/.test(portText) ? Number(portText) : null,
      running: f[op!] === '2',
      admin: adminBits & MAINT_BITS ? 'maint' : adminBits & DRAIN_BITS ? 'drain' : 'ready',
    });
  }
  return servers;
}

export type TaskIdentity = {
  /** The task's container hostname, e.g. `app-2`. */
  hostname: string | null;
  /** `service.slot`, as `docker service ps` names it. */
  name: string;
  addresses: readonly string[];
};

/** Servers named like the task (hostname or service.slot, any case) or pointing at one of its addresses. */
export function matchServersToTask(servers: readonly HaproxyServer[], task: TaskIdentity): HaproxyServer[] {
  const names = new Set([task.hostname, task.name].filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase()));
  const addresses = new Set(task.addresses);
  return servers.filter((s) => names.has(s.server.toLowerCase()) || addresses.has(s.address));
}

export const serverKey = (s: Pick<HaproxyServer, 'backend' | 'server'>) => `${s.backend}/${s.server}`;
