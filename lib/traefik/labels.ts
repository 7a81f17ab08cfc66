// Reads the `traefik.*` labels of one Swarm service the way Traefik's Docker/Swarm provider does. Pure; never throws.
import { qualifyName } from './map';
import { parseRuleTargets } from './rule';
import type { LabelConfig, StickyCookie, TraefikRouter, TraefikService } from './types';

export { deriveTraefikFromSwarm, serverUrlForTask, serverUrlForVip, chooseNetwork } from './derive';

/** Traefik's default `defaultRule` for the Docker and Swarm providers. */
export const DEFAULT_RULE_TEMPLATE = 'Host(`{{ normalize .Name }}`)';

export type LabelOptions = {
  /** Provider suffix for names; the API would show `swarm` (v3) or `docker` (v2). */
  provider?: string;
  /** The provider's `defaultRule`; null or empty means routers without a rule are dropped. */
  defaultRule?: string | null;
};

type Problem = LabelConfig['problems'][number];

/** Like Traefik's `provider.Normalize`: runs of anything but letters and digits become one `-`. */
export function normalizeName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join('-');
}

/** The name Traefik gives the service it creates when labels define none (also the default router's name). */
export function defaultServiceName(serviceName: string, labels: Record<string, string>): string {
  const project = labels['com.docker.compose.project'];
  const compose = labels['com.docker.compose.service'];
  return normalizeName(project && compose ? `${compose}_${project}` : serviceName);
}

/** Go's `strconv.ParseBool`, which Traefik's label decoder uses. */
function parseGoBool(value: string): boolean | null {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return null;
}

function parseGoInt(value: string): number | null {
  return /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

const V1_SEGMENT_FIELDS = /^traefik\.[^.]+\.(frontend|backend|port|protocol|weight)(\.|$)/;

function isV1Label(key: string): boolean {
  if (/^traefik\.(frontend|backend)(\.|$)/.test(key)) return true;
  if (/^traefik\.(port|protocol|weight|tags|domain)$/.test(key)) return true;
  return V1_SEGMENT_FIELDS.test(key) && !/^traefik\.(http|tcp|udp|tls|docker|swarm)\./.test(key);
}

type RouterDraft = { name: string; rule?: string; entryPoints?: string[]; service?: string; tls?: boolean; priority?: number };

type CookieDraft = Partial<Omit<StickyCookie, 'name'>> & { name?: string };

type ServiceDraft = {
  name: string;
  sticky?: boolean;
  cookie?: boolean;
  cookieFields: CookieDraft;
  port?: number;
  scheme?: string;
  healthCheck: boolean;
  strategy?: string;
};

const ROUTER_FIELDS = /^(rule|rulesyntax|entrypoints|service|priority|middlewares|tls|tls\..+|observability\..+)$/;

const LOADBALANCER_FIELDS =
  /^(sticky|sticky\.cookie|sticky\.cookie\.[a-z]+|sticky\.header(\..+)?|server\.(port|scheme|weight|preservepath|url)|healthcheck(\..+)?|passivehealthcheck\..+|passhostheader|responseforwarding\..+|serverstransport|strategy|nginxupstreamhashby)$/;

/** Groups names case-insensitively, as Traefik does, keeping the spelling of the first key in sorted order. */
function draftFor<T extends { name: string }>(map: Map<string, T>, name: string, create: (name: string) => T): T {
  const id = name.toLowerCase();
  const existing = map.get(id);
  if (existing) return existing;
  const draft = create(name);
  map.set(id, draft);
  return draft;
}

function renderDefaultRule(template: string, name: string, labels: Record<string, string>): string | null {
  const rendered = template.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_match, expression: string) => {
    if (/^normalize\s+\.Name$/.test(expression) || expression === '.Name') return name;
    const index = /^index\s+\.Labels\s+"([^"]+)"$/.exec(expression);
    if (index) return labels[index[1] as string] ?? '';
    return '\u0000';
  });
  return rendered.includes('\u0000') ? null : rendered;
}

/** The parse plus whether Traefik would reject the whole label set (it logs the error and skips the service). */
export function readServiceLabels(
  serviceName: string,
  labels: Record<string, string>,
  options: LabelOptions = {},
): { config: LabelConfig; rejected: boolean } {
  const provider = options.provider ?? 'labels';
  const problems: Problem[] = [];
  let rejected = false;
  const reject = (key: string, value: string, reason: string) => {
    problems.push({ key, value, reason: `${reason} Traefik rejects this service's labels and skips it.` });
    rejected = true;
  };
  const config: LabelConfig = {
    enabled: null,
    routers: [],
    services: [],
    network: null,
    lbswarm: false,
    serverPorts: {},
    v1Labels: [],
    stickyWithoutCookie: [],
    problems,
    serverSchemes: {},
  };

  const routers = new Map<string, RouterDraft>();
  const services = new Map<string, ServiceDraft>();
  let httpLabels = false;
  let tcpOrUdp = false;
  type ProviderLabels = { network?: string; lbswarm?: boolean };
  const specific: Record<'docker' | 'swarm', ProviderLabels | null> = { docker: null, swarm: null };

  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    const lower = key.toLowerCase();
    if (!lower.startsWith('traefik.')) continue;

    if (lower === 'traefik.enable') {
      const enabled = parseGoBool(value);
      if (enabled === null) reject(key, value, 'Not a boolean.');
      else config.enabled = enabled;
      continue;
    }

    const providerMatch = /^traefik\.(docker|swarm)\.(.+)$/.exec(lower);
    if (providerMatch) {
      const which = providerMatch[1] as 'docker' | 'swarm';
      const field = providerMatch[2];
      const target = (specific[which] ??= {});
      if (field === 'network') target.network = value;
      else if (field === 'lbswarm') {
        const lbswarm = parseGoBool(value);
        if (lbswarm === null) reject(key, value, 'Not a boolean.');
        else target.lbswarm = lbswarm;
      }
      continue;
    }

    const httpMatch = /^traefik\.http\.(routers|services|middlewares|serverstransports)\.([^.]+)\.(.+)$/.exec(lower);
    if (httpMatch) {
      httpLabels = true;
      const kind = httpMatch[1];
      const name = key.split('.')[3] as string;
      const field = httpMatch[3] as string;
      if (kind === 'routers') readRouterLabel(draftFor(routers, name, (n) => ({ name: n })), field, key, value);
      if (kind === 'services') {
        const draft = draftFor(services, name, (n) => ({ name: n, cookieFields: {}, healthCheck: false }));
        readServiceLabel(draft, field, key, value);
      }
      continue;
    }
    if (/^traefik\.(tcp|udp)\.(routers|services)\./.test(lower)) {
      tcpOrUdp = true;
      continue;
    }
    if (isV1Label(lower)) config.v1Labels.push({ key, value });
  }

  function readRouterLabel(draft: RouterDraft, field: string, key: string, value: string) {
    if (!ROUTER_FIELDS.test(field)) {
      reject(key, value, `"${field}" is not a router setting.`);
      return;
    }
    if (field === 'rule') draft.rule = value;
    else if (field === 'entrypoints') draft.entryPoints = value.split(',').map((v) => v.trim()).filter(Boolean);
    else if (field === 'service') draft.service = value;
    else if (field === 'priority') {
      const priority = parseGoInt(value);
      if (priority === null) reject(key, value, 'Priority is not an integer.');
      else draft.priority = priority;
    } else if (field === 'tls') {
      const tls = parseGoBool(value);
      if (tls === null) reject(key, value, 'Not a boolean.');
      else draft.tls = tls;
    } else if (field.startsWith('tls.')) draft.tls = true;
  }

  function readServiceLabel(draft: ServiceDraft, field: string, key: string, value: string) {
    if (!field.startsWith('loadbalancer.')) {
      reject(key, value, 'Labels can only define loadBalancer services.');
      return;
    }
    const setting = field.slice('loadbalancer.'.length);
    if (!LOADBALANCER_FIELDS.test(setting)) {
      reject(key, value, `"${setting}" is not a load balancer setting.`);
      return;
    }
    const bool = (apply: (v: boolean) => void) => {
      const parsed = parseGoBool(value);
      if (parsed === null) reject(key, value, 'Not a boolean.');
      else apply(parsed);
    };
    const int = (apply: (v: number) => void) => {
      const parsed = parseGoInt(value);
      if (parsed === null) reject(key, value, 'Not an integer.');
      else apply(parsed);
    };
    switch (setting) {
      case 'sticky':
        return bool((v) => (draft.sticky = v));
      case 'sticky.cookie':
        return bool((v) => (draft.cookie = v));
      case 'sticky.cookie.name':
        draft.cookieFields.name = value;
        return;
      case 'sticky.cookie.secure':
        return bool((v) => (draft.cookieFields.secure = v));
      case 'sticky.cookie.httponly':
        return bool((v) => (draft.cookieFields.httpOnly = v));
      case 'sticky.cookie.samesite':
        if (value && !['none', 'lax', 'strict'].includes(value.toLowerCase())) {
          problems.push({ key, value, reason: 'Not none, lax or strict: Traefik sends the cookie without SameSite.' });
        }
        draft.cookieFields.sameSite = value;
        return;
      case 'sticky.cookie.maxage':
        return int((v) => (draft.cookieFields.maxAge = v));
      case 'sticky.cookie.path':
        draft.cookieFields.path = value;
        return;
      case 'sticky.cookie.domain':
        draft.cookieFields.domain = value;
        return;
      case 'server.port': {
        const port = parseGoInt(value);
        // Traefik stores the port as text and fails later, when it builds the server URL.
        if (port === null || port < 1 || port > 65535) {
          problems.push({ key, value, reason: 'Not a port number (1–65535): Traefik cannot build a server URL.' });
        } else draft.port = port;
        return;
      }
      case 'server.scheme':
        draft.scheme = value;
        return;
      case 'strategy':
        draft.strategy = value.toLowerCase();
        return;
      default:
        if (setting.startsWith('healthcheck')) draft.healthCheck = true;
        else if (setting.startsWith('sticky.cookie.')) draft.cookie ??= true;
    }
  }

  if (specific.docker && specific.swarm) {
    problems.push({
      key: 'traefik.docker.* / traefik.swarm.*',
      value: '',
      reason: "Both prefixes are set: Traefik v3's Swarm provider skips the service (v2 reads only traefik.docker.*).",
    });
  }
  const chosen = specific.swarm ?? specific.docker;
  config.network = chosen?.network ?? null;
  config.lbswarm = chosen?.lbswarm ?? false;

  // Traefik skips HTTP entirely for a service labelled only for TCP/UDP.
  if (tcpOrUdp && !httpLabels) return { config, rejected };

  const fallbackName = defaultServiceName(serviceName, labels);
  if (services.size === 0) services.set(fallbackName.toLowerCase(), { name: fallbackName, cookieFields: {}, healthCheck: false });
  if (routers.size === 0) {
    if (services.size > 1) {
      problems.push({
        key: 'traefik.http.routers',
        value: '',
        reason: `No router labels and ${services.size} services: Traefik creates no router.`,
      });
    } else routers.set(fallbackName.toLowerCase(), { name: fallbackName });
  }

  for (const draft of services.values()) {
    const hasCookieFields = Object.keys(draft.cookieFields).length > 0;
    const cookieOn = draft.cookie === true || (draft.cookie === undefined && hasCookieFields);
    if (draft.sticky === true && !cookieOn) config.stickyWithoutCookie.push(draft.name);
    if (draft.port !== undefined) config.serverPorts[draft.name] = draft.port;
    if (draft.scheme !== undefined) config.serverSchemes![draft.name] = draft.scheme;
    const fields = draft.cookieFields;
    config.services.push({
      name: qualifyName(draft.name, provider),
      provider,
      kind: 'loadbalancer',
      servers: [],
      sticky: cookieOn
        ? {
            name: fields.name ? fields.name : null,
            secure: fields.secure ?? false,
            httpOnly: fields.httpOnly ?? false,
            sameSite: fields.sameSite ? fields.sameSite : null,
            maxAge: fields.maxAge ?? null,
            path: fields.path ? fields.path : null,
            domain: fields.domain ? fields.domain : null,
          }
        : null,
      hasHealthCheck: draft.healthCheck,
      children: [],
      usedBy: [],
      status: null,
      strategy: draft.strategy ?? null,
    });
  }

  const defaultRule = options.defaultRule === undefined ? DEFAULT_RULE_TEMPLATE : options.defaultRule;
  for (const draft of routers.values()) {
    const key = `traefik.http.routers.${draft.name}`;
    let rule = draft.rule ?? '';
    if (!rule) {
      const rendered = defaultRule ? renderDefaultRule(defaultRule, fallbackName, labels) : '';
      if (rendered === null) {
        problems.push({ key: `${key}.rule`, value: '', reason: `Cannot evaluate the default rule ${defaultRule}.` });
      } else if (!rendered) {
        problems.push({ key: `${key}.rule`, value: '', reason: 'No rule and no default rule: Traefik drops this router.' });
        continue;
      } else rule = rendered;
    }
    let service = draft.service;
    if (!service) {
      if (config.services.length !== 1) {
        problems.push({
          key: `${key}.service`,
          value: '',
          reason: `No service label and ${config.services.length} services: Traefik drops this router.`,
        });
        continue;
      }
      service = config.services[0]!.name;
    }
    const { hosts, pathPrefixes } = parseRuleTargets(rule);
    const router: TraefikRouter = {
      name: qualifyName(draft.name, provider),
      provider,
      rule,
      hosts,
      pathPrefixes,
      entryPoints: draft.entryPoints ?? [],
      tls: draft.tls ?? false,
      service: qualifyName(service, provider),
      priority: draft.priority ?? null,
      status: null,
    };
    config.routers.push(router);
    const target = config.services.find((s: TraefikService) => s.name.toLowerCase() === router.service.toLowerCase());
    target?.usedBy.push(router.name);
  }

  return { config, rejected };
}

/** What one Swarm service's labels configure, mirroring Traefik's defaults; problems are reported, not thrown. */
export function parseServiceLabels(
  serviceName: string,
  labels: Record<string, string>,
  options: LabelOptions = {},
): LabelConfig {
  return readServiceLabels(serviceName, labels, options).config;
}
