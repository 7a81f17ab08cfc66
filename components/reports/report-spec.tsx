import type { ProbeSpec } from '@/lib/probe/spec';

function identityText(identity: ProbeSpec['identity']): string {
  if (identity === 'auto') return 'auto';
  if ('header' in identity) return `header ${identity.header}`;
  if ('bodyRegex' in identity) return `body /${identity.bodyRegex}/`;
  if ('jsonField' in identity) return `JSON ${identity.jsonField}`;
  return `cookie ${identity.cookie}`;
}

/** The protocol and its options, as rows. */
function protocolRows(spec: ProbeSpec): [string, string][] {
  const rows: [string, string][] = [['protocol', spec.protocol]];
  if (spec.protocol === 'engineio') {
    const o = spec.engineio;
    rows.push(['engine.io', `path ${o?.path ?? '/socket.io/'}, EIO ${o?.version ?? 4}, namespace ${o?.namespace ?? '/'}, upgrade ${o?.upgrade === false ? 'no' : 'yes'}`]);
  }
  const route = spec.sessionRoute;
  if (spec.protocol === 'session-route' && route) {
    rows.push(['session URL from', route.extractRegex !== undefined ? `body /${route.extractRegex}/` : `JSON ${route.extractJson ?? ''}`]);
    rows.push(['break on', [`HTTP ${route.breakStatuses.join(', ')}`, ...(route.bodyMarker ? [`body containing "${route.bodyMarker}"`] : [])].join(' or ')]);
  }
  rows.push(['app session cookie', spec.appSessionCookie]);
  return rows;
}

/** The probe's settings, so a reader can repeat the run. */
export function ReportSpec({ spec }: { spec: ProbeSpec }) {
  const rows: [string, string][] = [
    ['requests', String(spec.requests)],
    ['interval', `${spec.intervalMs} ms`],
    ['concurrency', String(spec.concurrency)],
    ['timeout', `${spec.timeoutMs} ms`],
    ['cookies', spec.cookies],
    ['identity', identityText(spec.identity)],
    ['balancer cookie', spec.balancerCookie ?? 'guessed'],
    ['expect', spec.expect],
    ['stop at first break', spec.stopAtFirstBreak ? 'yes' : 'no'],
    ...protocolRows(spec),
    ...spec.resolve.map((r): [string, string] => ['resolve', `${r.host}:${r.port}:${r.address}`]),
    ...Object.entries(spec.headers).map(([name, value]): [string, string] => ['header', `${name}: ${value}`]),
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
      {rows.map(([k, v], i) => (
        <div key={`${k}-${i}`} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="break-all font-mono text-xs text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
