import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env';

const noSocket = () => false;
const socketExists = () => true;

function cluster(env: Record<string, string | undefined>, fileExists = noSocket) {
  const config = parseConfig(env, fileExists);
  const first = config.clusters[0];
  if (!first) throw new Error('expected one cluster');
  return { config, cluster: first };
}

describe('parseConfig', () => {
  it('has no cluster sources when nothing is set and no default socket exists', () => {
    const { cluster: c, config } = cluster({});
    expect(c.docker).toBeNull();
    expect(c.traefik).toBeNull();
    expect(config.refreshIntervalMs).toBe(5000);
  });

  it('falls back to the default Docker socket when it exists, like the Docker CLI', () => {
    expect(cluster({}, socketExists).cluster.docker?.host).toBe('unix:///var/run/docker.sock');
  });

  it('reads DOCKER_HOST and TLS settings the way the Docker CLI does', () => {
    const { cluster: c } = cluster({ DOCKER_HOST: 'tcp://manager:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs', HOME: '/home/x' });
    expect(c.docker).toMatchObject({ host: 'tcp://manager:2376', tls: { verify: true, certPath: '/certs' } });
    const noCertPath = cluster({ DOCKER_HOST: 'tcp://m:2376', DOCKER_TLS_VERIFY: '1', HOME: '/home/x' }).cluster;
    expect(noCertPath.docker?.tls?.certPath).toBe('/home/x/.docker');
    expect(cluster({ DOCKER_HOST: 'unix:///tmp/d.sock', DOCKER_TLS_VERIFY: '1' }).cluster.docker?.tls).toBeNull();
  });

  it('can switch Docker off even when the default socket exists', () => {
    expect(cluster({ STICKYSCOPE_DOCKER: 'off' }, socketExists).cluster.docker).toBeNull();
  });

  it('normalises the Traefik URL and takes credentials from the URL or the environment', () => {
    const fromUrl = cluster({ TRAEFIK_API_URL: 'http://admin:s%40cret@traefik:8080/api/' }).cluster.traefik;
    expect(fromUrl).toMatchObject({ url: 'http://traefik:8080', auth: { type: 'basic', username: 'admin', password: 's@cret' } });
    const bearer = cluster({ TRAEFIK_API_URL: 'https://traefik.example', TRAEFIK_API_TOKEN: 't0k' }).cluster.traefik;
    expect(bearer?.auth).toEqual({ type: 'bearer', token: 't0k' });
  });

  it('explains every invalid setting at once', () => {
    try {
      parseConfig({ DOCKER_HOST: '/var/run/docker.sock', TRAEFIK_API_URL: 'ftp://x', STICKYSCOPE_REFRESH_MS: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('DOCKER_HOST');
      expect(message).toContain('TRAEFIK_API_URL');
      expect(message).toContain('STICKYSCOPE_REFRESH_MS');
    }
  });

  it('refuses half-configured or conflicting Traefik auth', () => {
    expect(() => parseConfig({ TRAEFIK_API_URL: 'http://t:8080', TRAEFIK_API_USERNAME: 'a' }, noSocket)).toThrow(/go together/);
    expect(() =>
      parseConfig({ TRAEFIK_API_URL: 'http://t:8080', TRAEFIK_API_TOKEN: 'x', TRAEFIK_API_USERNAME: 'a', TRAEFIK_API_PASSWORD: 'b' }, noSocket),
    ).toThrow(/exclusive/);
  });

  it('treats empty variables as unset', () => {
    expect(cluster({ DOCKER_HOST: '', TRAEFIK_API_URL: '' }).cluster).toMatchObject({ docker: null, traefik: null });
  });

  it('reads the relay allowlist: hosts, host:port and IPv6, blanks skipped', () => {
    expect(parseConfig({}, noSocket).allowedTargets).toEqual([]);
    const config = parseConfig({ STICKYSCOPE_ALLOWED_TARGETS: ' App.Example , 127.0.0.1:18101,, [::1]:8080 ' }, noSocket);
    expect(config.allowedTargets).toEqual([
      { host: 'app.example', port: null },
      { host: '127.0.0.1', port: 18101 },
      { host: '::1', port: 8080 },
    ]);
  });

  it('names every bad allowlist entry', () => {
    expect(() => parseConfig({ STICKYSCOPE_ALLOWED_TARGETS: 'http://x.example,ok.example,y.example:99999' }, noSocket)).toThrow(
      /STICKYSCOPE_ALLOWED_TARGETS: "http:\/\/x.example" is not a hostname[\s\S]*STICKYSCOPE_ALLOWED_TARGETS: "y.example:99999": the port/,
    );
  });

  it('stores reports in ./data/stickyscope.db unless STICKYSCOPE_DB_PATH says otherwise', () => {
    expect(parseConfig({}, noSocket).reportsDbPath).toBe('./data/stickyscope.db');
    expect(parseConfig({ STICKYSCOPE_DB_PATH: ' /var/lib/stickyscope/reports.db ' }, noSocket).reportsDbPath).toBe(
      '/var/lib/stickyscope/reports.db',
    );
    expect(parseConfig({ STICKYSCOPE_DB_PATH: '' }, noSocket).reportsDbPath).toBe('./data/stickyscope.db');
  });
});

describe('DATABASE_URL', () => {
  it('keeps reports in SQLite unless a PostgreSQL URL is given', () => {
    expect(parseConfig({}, noSocket).databaseUrl).toBeNull();
    expect(parseConfig({ DATABASE_URL: '' }, noSocket).databaseUrl).toBeNull();
    const url = 'postgres://stickyscope:s%40cret@db.internal:5432/stickyscope?sslmode=require';
    expect(parseConfig({ DATABASE_URL: ` ${url} ` }, noSocket).databaseUrl).toBe(url);
    expect(parseConfig({ DATABASE_URL: 'postgresql://db/reports' }, noSocket).databaseUrl).toBe('postgresql://db/reports');
    expect(parseConfig({ DATABASE_URL: 'postgresql:///reports?host=/run/postgresql' }, noSocket).databaseUrl).toBe(
      'postgresql:///reports?host=/run/postgresql',
    );
  });

  it('refuses other databases and malformed URLs with a message that names the variable but not the password', () => {
    for (const bad of ['mysql://u:hunter22@db/x', 'sqlite:///data/x.db', 'db.internal:5432', 'postgres://', 'postgres:///x']) {
      let message = '';
      try {
        parseConfig({ DATABASE_URL: bad }, noSocket);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as ConfigError).message;
      }
      expect(message).toMatch(/DATABASE_URL: must be a PostgreSQL URL/);
      expect(message).not.toContain('hunter22');
    }
  });
});

describe('demo lab setting', () => {
  it('runs the lab when no cluster is configured, or when asked', () => {
    expect(parseConfig({}, noSocket).lab).toBe(true);
    expect(parseConfig({ TRAEFIK_API_URL: 'http://t:8080' }, noSocket).lab).toBe(false);
    expect(parseConfig({ DOCKER_HOST: 'tcp://d:2375' }, noSocket).lab).toBe(false);
    expect(parseConfig({ DOCKER_HOST: 'tcp://d:2375', STICKYSCOPE_LAB: '1' }, noSocket).lab).toBe(true);
    expect(parseConfig({ STICKYSCOPE_LAB: 'off' }, noSocket).lab).toBe(false);
    expect(() => parseConfig({ STICKYSCOPE_LAB: 'maybe' }, noSocket)).toThrow(/STICKYSCOPE_LAB/);
  });
});

describe('failover experiment settings', () => {
  it('are off by default, with no services and no HAProxy runtime API', () => {
    expect(parseConfig({}, noSocket).experiments).toEqual({ enabled: false, services: [], haproxyRuntimeApi: null });
  });

  it('read the service names and globs experiments may act on', () => {
    const config = parseConfig({ STICKYSCOPE_EXPERIMENTS: '1', STICKYSCOPE_EXPERIMENT_SERVICES: ' web-sticky, shop_*,,web-sticky ' }, noSocket);
    expect(config.experiments).toMatchObject({ enabled: true, services: ['web-sticky', 'shop_*'] });
  });

  it('refuse to turn experiments on without naming the services', () => {
    expect(() => parseConfig({ STICKYSCOPE_EXPERIMENTS: '1' }, noSocket)).toThrow(/STICKYSCOPE_EXPERIMENT_SERVICES: name the services/);
    expect(() => parseConfig({ STICKYSCOPE_EXPERIMENTS: '1', STICKYSCOPE_EXPERIMENT_SERVICES: ' , ' }, noSocket)).toThrow(
      /STICKYSCOPE_EXPERIMENT_SERVICES/,
    );
    expect(parseConfig({ STICKYSCOPE_EXPERIMENTS: '0' }, noSocket).experiments.enabled).toBe(false);
    expect(() => parseConfig({ STICKYSCOPE_EXPERIMENTS: 'please' }, noSocket)).toThrow(/STICKYSCOPE_EXPERIMENTS/);
  });

  it('name every bad service pattern', () => {
    expect(() => parseConfig({ STICKYSCOPE_EXPERIMENT_SERVICES: 'ok,web sticky,a/b' }, noSocket)).toThrow(
      /STICKYSCOPE_EXPERIMENT_SERVICES: "web sticky" is not[\s\S]*"a\/b" is not/,
    );
  });

  it('read the HAProxy runtime API as a socket path or host:port', () => {
    const api = (value: string) => parseConfig({ HAPROXY_RUNTIME_API: value }, noSocket).experiments.haproxyRuntimeApi;
    expect(api('/run/haproxy/admin.sock')).toEqual({ kind: 'unix', path: '/run/haproxy/admin.sock' });
    expect(api('127.0.0.1:9999')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9999 });
    expect(api('[::1]:9999')).toEqual({ kind: 'tcp', host: '::1', port: 9999 });
    expect(() => api('haproxy')).toThrow(/HAPROXY_RUNTIME_API: "haproxy" should be/);
    expect(() => api('h:70000')).toThrow(/HAPROXY_RUNTIME_API/);
  });
});

describe('comma-separated settings', () => {
  it('take at most 1000 entries, refused with one problem whatever the entries are', () => {
    const targets = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.test`).join(',');
    expect(parseConfig({ STICKYSCOPE_ALLOWED_TARGETS: targets(1000) }, noSocket).allowedTargets).toHaveLength(1000);
    try {
      parseConfig({ STICKYSCOPE_ALLOWED_TARGETS: Array.from({ length: 5000 }, () => 'not a host!').join(',') }, noSocket);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual(['STICKYSCOPE_ALLOWED_TARGETS: at most 1000 comma-separated entries']);
    }
  });
});

describe('where the dashboard is reached', () => {
  const web = (env: Record<string, string>) => parseConfig(env, noSocket).web;

  it('listens on PORT (3000) alone, answering only its own names, and believes no proxy', () => {
    expect(web({})).toEqual({ port: 3000, publicUrl: null, allowedHosts: [], sharePort: null, shareUrl: null, trustedProxies: [] });
    expect(web({ PORT: '8080' }).port).toBe(8080);
  });

  it('reads the public URLs, extra hosts, the share port and trusted proxies', () => {
    const config = web({
      STICKYSCOPE_PUBLIC_URL: 'HTTPS://StickyScope.Example.com/',
      STICKYSCOPE_ALLOWED_HOSTS: 'dash.internal, ops.internal:8080',
      STICKYSCOPE_SHARE_PORT: '3100',
      STICKYSCOPE_SHARE_URL: 'https://reports.example.com',
      STICKYSCOPE_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
    });
    expect(config).toMatchObject({
      publicUrl: 'https://stickyscope.example.com',
      allowedHosts: [{ host: 'dash.internal', port: null }, { host: 'ops.internal', port: 8080 }],
      sharePort: 3100,
      shareUrl: 'https://reports.example.com',
    });
    expect(config.trustedProxies).toHaveLength(2);
  });

  it('names the variable of every bad value', () => {
    const message = (env: Record<string, string>) => {
      try {
        parseConfig(env, noSocket);
      } catch (error) {
        return (error as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(message({ STICKYSCOPE_PUBLIC_URL: 'javascript:alert(1)' })).toMatch(/STICKYSCOPE_PUBLIC_URL: must be a base URL such as https:\/\/stickyscope\.example\.com/);
    expect(message({ STICKYSCOPE_PUBLIC_URL: 'https://dash.example/app' })).toMatch(/STICKYSCOPE_PUBLIC_URL: .*no path/);
    expect(message({ STICKYSCOPE_ALLOWED_HOSTS: 'ok, not a host' })).toMatch(/STICKYSCOPE_ALLOWED_HOSTS: "not a host" is not a host or host:port/);
    expect(message({ STICKYSCOPE_SHARE_PORT: '70000' })).toMatch(/STICKYSCOPE_SHARE_PORT: must be a port number/);
    expect(message({ PORT: 'http' })).toMatch(/PORT: must be a port number/);
    expect(message({ STICKYSCOPE_TRUSTED_PROXIES: '10.0.0.0/33' })).toMatch(/STICKYSCOPE_TRUSTED_PROXIES: "10.0.0.0\/33": the prefix length/);
    expect(message({ STICKYSCOPE_SHARE_URL: 'https://reports.example' })).toMatch(/set STICKYSCOPE_SHARE_PORT too/);
    expect(message({ STICKYSCOPE_SHARE_PORT: '3000' })).toMatch(/STICKYSCOPE_SHARE_PORT must differ from PORT/);
  });
});
