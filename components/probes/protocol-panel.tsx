// What the run spoke and why, and for a Shiny run what its session showed: the same panel on the live Probe page,
// the report page and a share link (which passes the redacted report's summary). No hooks, so server pages use it too.
import type { ReactNode } from 'react';
import { toShinyView, TRANSPORT_TEXT, type ShinyView } from '@/lib/probe/protocols/shiny/view';
import type { Diagnosis, ProtocolSummary } from '@/lib/probe/types';
import { Badge } from '@/components/ui/badge';
import { Panel } from '@/components/ui/panel';
import { DiagnosisMessage } from './verdict-banner';

/** Diagnosis codes that say, in Shiny's words, what users of the app see. */
const SHINY_STORY = new Set<Diagnosis['code']>(['shiny-route-lost', 'shiny-route-kept', 'shiny-no-route', 'shiny-worker-changed']);

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-all font-mono text-xs text-slate-900">{children}</dd>
    </div>
  );
}

function ShinyFacts({ view, label }: { view: ShinyView; label: (replica: string) => string }) {
  const a = view.answers;
  return (
    <dl aria-label="Shiny facts" className="grid grid-cols-[max-content_1fr] items-baseline gap-x-6 gap-y-1 text-sm">
      <Fact label="transport">{TRANSPORT_TEXT[view.transport]}</Fact>
      {view.fallback ? <Fact label="fell back because">{view.fallback}</Fact> : null}
      <Fact label="Shiny version">{view.version ?? 'not declared by the page'}</Fact>
      <Fact label="session">
        {view.session ? `${view.session.id}, opened at request ${view.session.openedAt}` : 'none answered config'}
      </Fact>
      <Fact label="worker id">{view.workers.length ? view.workers.join(', ') : 'none (the server sets no worker id)'}</Fact>
      <Fact label="held by">{view.heldBy ? `${label(view.heldBy.replica)} (named by ${view.heldBy.how})` : 'no response named the process'}</Fact>
      <Fact label="session route">
        {view.route ? `${view.route.label} ${view.route.output} (${view.route.kind})` : 'none: the app handed out no DT table, download or upload route'}
      </Fact>
      {view.routesOffered.length > 1 ? <Fact label="routes offered">{view.routesOffered.map((r) => `${r.label} ${r.output}`).join(', ')}</Fact> : null}
      {a ? (
        <Fact label="route answers">
          <span className="text-healthy">{a.reached} × 200 (reached the session)</span>
          {' · '}
          <span className={a.lost ? 'text-down' : undefined}>{a.lost} × 404 / unknown session</span>
          {a.failed ? ` · ${a.failed} failed` : ''}
        </Fact>
      ) : null}
      {view.firstLost ? (
        <Fact label="first lost">
          request {view.firstLost.index}
          {view.firstLost.replica ? `, answered by ${label(view.firstLost.replica)}` : ''}
        </Fact>
      ) : null}
    </dl>
  );
}

function Proof({ proved, unproved }: { proved: string[]; unproved: string[] }) {
  return (
    <div aria-label="What this run could and could not prove" className="grid gap-3 text-sm md:grid-cols-2">
      <div>
        <h3 className="text-xs font-medium text-slate-600">This run proved</h3>
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-slate-700">
          {proved.length ? proved.map((p) => <li key={p}><DiagnosisMessage text={p} /></li>) : <li>nothing about the session</li>}
        </ul>
      </div>
      <div>
        <h3 className="text-xs font-medium text-slate-600">It could not prove</h3>
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-slate-700">
          {unproved.length ? unproved.map((p) => <li key={p}><DiagnosisMessage text={p} /></li>) : <li>nothing left open</li>}
        </ul>
      </div>
    </div>
  );
}

export function ProtocolPanel({
  protocol,
  diagnosis,
  label,
}: {
  protocol: ProtocolSummary;
  diagnosis: Diagnosis[];
  label: (replica: string) => string;
}) {
  const shiny = toShinyView(protocol);
  const { detection } = protocol;
  if (!shiny && detection.requested !== 'auto') return null;
  const story = diagnosis.filter((d) => SHINY_STORY.has(d.code));
  return (
    <Panel id="protocol" title={shiny ? 'Shiny session' : 'Protocol'}>
      <div className="space-y-4">
        <p aria-label="Protocol detection" className="flex flex-wrap items-baseline gap-2 text-sm text-slate-700">
          <Badge tone="info">{detection.requested === 'auto' ? `auto → ${detection.protocol}` : detection.protocol}</Badge>
          <span>
            {detection.requested === 'auto' ? 'Detected: ' : ''}
            {detection.reason}
            {detection.atIndex !== null ? ` (request ${detection.atIndex})` : ''}
          </span>
        </p>
        {shiny ? (
          <>
            {story.length ? (
              <ul aria-label="What users of the app see" className="space-y-1 text-sm">
                {story.map((d) => (
                  <li key={d.code} className={d.severity === 'error' ? 'font-medium text-down' : d.severity === 'warning' ? 'text-amber-800' : 'text-slate-700'}>
                    <DiagnosisMessage text={d.message} />
                  </li>
                ))}
              </ul>
            ) : null}
            <ShinyFacts view={shiny} label={label} />
            <Proof proved={shiny.proved} unproved={shiny.unproved} />
          </>
        ) : null}
      </div>
    </Panel>
  );
}
