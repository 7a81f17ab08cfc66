'use client';

import { useId, useState, type ReactNode } from 'react';
import { parseProbeForm, type ProbeFormErrors, type ProbeFormField, type ProbeFormValues, type ProbeMode } from '@/lib/probe/form';
import type { ProbeSpec } from '@/lib/probe/spec';

const input =
  'block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 shadow-inner shadow-slate-100 placeholder:text-slate-400 focus:border-info focus:outline-none focus:ring-2 focus:ring-info/30 aria-[invalid=true]:border-down aria-[invalid=true]:ring-down/20 disabled:bg-slate-50 disabled:text-slate-500';

function Field({
  id,
  label,
  hint,
  errors,
  children,
  className = '',
}: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      {errors?.length ? (
        <ul id={`${id}-error`} className="mt-1 space-y-0.5 text-xs text-down">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function Checkbox({ label, checked, disabled, onChange }: { label: string; checked: boolean; disabled: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="flex items-end pb-1.5">
      <label className="inline-flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          disabled={disabled}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          className="h-4 w-4 rounded border-slate-300 accent-slate-800"
        />
        {label}
      </label>
    </div>
  );
}

export type ServiceOption = { id: string; name: string };

const PROTOCOL_HINT = {
  auto: 'the page decides: Shiny, socket.io, else the request above, repeated',
  http: 'the request above, repeated',
  shiny: "a Shiny session, then one of its session routes (DT table, download, upload) again and again",
  engineio: 'handshake, join, one POST per request on the sid, then an upgrade',
  'session-route': 'load the page, then request its session URL',
} satisfies Record<ProbeFormValues['protocol'], string>;

export function ProbeForm({
  initial,
  running,
  services,
  serviceId,
  onServiceChange,
  onStart,
  onStop,
}: {
  initial: ProbeFormValues;
  running: boolean;
  services: ServiceOption[];
  serviceId: string | null;
  onServiceChange: (id: string | null) => void;
  onStart: (spec: ProbeSpec, mode: ProbeMode) => void;
  onStop: () => void;
}) {
  const base = useId();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ProbeFormErrors>({});
  const [tried, setTried] = useState(false);
  const id = (f: ProbeFormField) => `${base}-${f}`;

  function set<K extends ProbeFormField>(field: K, value: ProbeFormValues[K]) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (tried) {
      const r = parseProbeForm(next);
      setErrors(r.ok ? {} : r.errors);
    }
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    const r = parseProbeForm(values);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    onStart(r.spec, r.mode);
  }

  const a11y = (f: ProbeFormField, hint = false) => ({
    id: id(f),
    'aria-invalid': errors[f]?.length ? true : undefined,
    'aria-describedby': errors[f]?.length ? `${id(f)}-error` : hint ? `${id(f)}-hint` : undefined,
    disabled: running,
  });
  const identityPlaceholder = {
    auto: '',
    header: 'X-Served-By',
    bodyRegex: 'Hostname: (\\S+)',
    jsonField: 'meta.hostname',
    cookie: 'srv_id',
  }[values.identityKind];
  const errorCount = Object.values(errors).reduce((n, list) => n + (list?.length ?? 0), 0);

  return (
    <form aria-label="Probe spec" onSubmit={submit} noValidate className="space-y-4">
      <div className="grid gap-4 md:grid-cols-[1fr_auto]">
        <Field id={id('target')} label="Target URL" errors={errors.target} hint="The balancer's URL, as a user's browser would request it">
          <input
            {...a11y('target', true)}
            type="url"
            inputMode="url"
            spellCheck={false}
            autoComplete="off"
            placeholder="https://shop.example.com/"
            value={values.target}
            onChange={(e) => set('target', e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
        <fieldset disabled={running} className="min-w-0">
          <legend className="mb-1 block text-xs font-medium text-slate-600">Mode</legend>
          <div className="inline-flex rounded border border-slate-300 bg-slate-50 p-0.5 text-sm">
            {(['relay', 'direct'] as const).map((m) => (
              <label
                key={m}
                className={`cursor-pointer rounded px-3 py-1 ${values.mode === m ? 'bg-white font-medium text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600'}`}
              >
                <input type="radio" name={`${base}-mode`} value={m} checked={values.mode === m} onChange={() => set('mode', m)} className="sr-only" />
                {m === 'relay' ? 'Relay' : 'Direct'}
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-slate-400">{values.mode === 'relay' ? 'via the dashboard server: sees every cookie' : "this browser's own fetch (CORS)"}</p>
        </fieldset>
      </div>

      <div className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-6">
        <Field id={id('requests')} label="Requests" errors={errors.requests}>
          <input {...a11y('requests')} inputMode="numeric" value={values.requests} onChange={(e) => set('requests', e.target.value)} className={`${input} font-mono`} />
        </Field>
        <Field id={id('intervalMs')} label="Interval (ms)" errors={errors.intervalMs}>
          <input {...a11y('intervalMs')} inputMode="numeric" value={values.intervalMs} onChange={(e) => set('intervalMs', e.target.value)} className={`${input} font-mono`} />
        </Field>
        <Field id={id('concurrency')} label="Concurrency" errors={errors.concurrency}>
          <input {...a11y('concurrency')} inputMode="numeric" value={values.concurrency} onChange={(e) => set('concurrency', e.target.value)} className={`${input} font-mono`} />
        </Field>
        <Field id={id('timeoutMs')} label="Timeout (ms)" errors={errors.timeoutMs}>
          <input {...a11y('timeoutMs')} inputMode="numeric" value={values.timeoutMs} onChange={(e) => set('timeoutMs', e.target.value)} className={`${input} font-mono`} />
        </Field>
        <Field id={id('cookies')} label="Cookies" errors={errors.cookies}>
          <select {...a11y('cookies')} value={values.cookies} onChange={(e) => set('cookies', e.target.value as ProbeFormValues['cookies'])} className={input}>
            <option value="browser">browser rules</option>
            <option value="none">none (raw spread)</option>
          </select>
        </Field>
        <Field id={`${base}-service`} label="Service (task names)">
          <select
            id={`${base}-service`}
            disabled={running}
            value={serviceId ?? ''}
            onChange={(e) => onServiceChange(e.target.value || null)}
            className={input}
          >
            <option value="">by router host</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      </div>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id={id('identityKind')} label="Replica identity" hint="auto: X-Replica-like headers, whoami body, JSON, balancer cookie">
          <select
            {...a11y('identityKind', true)}
            value={values.identityKind}
            onChange={(e) => set('identityKind', e.target.value as ProbeFormValues['identityKind'])}
            className={input}
          >
            <option value="auto">auto</option>
            <option value="header">response header</option>
            <option value="bodyRegex">body regex</option>
            <option value="jsonField">JSON field</option>
            <option value="cookie">balancer cookie</option>
          </select>
        </Field>
        <Field id={id('identityValue')} label="Identity source" errors={errors.identityValue}>
          <input
            {...a11y('identityValue')}
            disabled={running || values.identityKind === 'auto'}
            spellCheck={false}
            placeholder={values.identityKind === 'auto' ? 'not needed for auto' : identityPlaceholder}
            value={values.identityValue}
            onChange={(e) => set('identityValue', e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
        <Field id={id('balancerCookie')} label="Balancer cookie" errors={errors.balancerCookie} hint="blank: guessed from well-known names">
          <input
            {...a11y('balancerCookie', true)}
            spellCheck={false}
            placeholder="e.g. SRV"
            value={values.balancerCookie}
            onChange={(e) => set('balancerCookie', e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
        <Checkbox label="Stop at first break" checked={values.stopAtFirstBreak} disabled={running} onChange={(v) => set('stopAtFirstBreak', v)} />
      </div>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id={id('protocol')} label="Protocol" errors={errors.protocol} hint={PROTOCOL_HINT[values.protocol]}>
          <select {...a11y('protocol', true)} value={values.protocol} onChange={(e) => set('protocol', e.target.value as ProbeFormValues['protocol'])} className={input}>
            <option value="auto">auto (the page decides)</option>
            <option value="http">HTTP (same request each time)</option>
            <option value="shiny">Shiny (session and its routes)</option>
            <option value="engineio">engine.io / socket.io</option>
            <option value="session-route">session route (URL read from the page)</option>
          </select>
        </Field>
        {values.protocol === 'engineio' ? (
          <>
            <Field id={id('eioPath')} label="engine.io path" errors={errors.eioPath}>
              <input {...a11y('eioPath')} spellCheck={false} value={values.eioPath} onChange={(e) => set('eioPath', e.target.value)} className={`${input} font-mono`} />
            </Field>
            <div className="grid grid-cols-2 gap-4">
              <Field id={id('eioVersion')} label="EIO version" errors={errors.eioVersion}>
                <select {...a11y('eioVersion')} value={values.eioVersion} onChange={(e) => set('eioVersion', e.target.value as ProbeFormValues['eioVersion'])} className={input}>
                  <option value="4">4 (socket.io ≥ 3)</option>
                  <option value="3">3 (socket.io 2)</option>
                </select>
              </Field>
              <Field id={id('eioNamespace')} label="Namespace" errors={errors.eioNamespace}>
                <input {...a11y('eioNamespace')} spellCheck={false} value={values.eioNamespace} onChange={(e) => set('eioNamespace', e.target.value)} className={`${input} font-mono`} />
              </Field>
            </div>
            <Checkbox label="End each session with a WebSocket upgrade" checked={values.eioUpgrade} disabled={running} onChange={(v) => set('eioUpgrade', v)} />
          </>
        ) : values.protocol === 'shiny' || values.protocol === 'auto' ? (
          <>
            <Field
              id={id('shinyRoute')}
              label="Shiny session route"
              errors={errors.shinyRoute}
              hint={values.protocol === 'auto' ? 'used if the page is a Shiny app' : 'auto: a DT table, else a download, else an upload'}
            >
              <select {...a11y('shinyRoute', true)} value={values.shinyRoute} onChange={(e) => set('shinyRoute', e.target.value as ProbeFormValues['shinyRoute'])} className={input}>
                <option value="auto">auto</option>
                <option value="dataobj">DT table (dataobj)</option>
                <option value="download">download</option>
                <option value="upload">upload</option>
              </select>
            </Field>
            <Field id={id('shinyOutput')} label="Shiny output id" errors={errors.shinyOutput} hint="blank: the first of that kind on the page">
              <input {...a11y('shinyOutput', true)} spellCheck={false} placeholder="e.g. table" value={values.shinyOutput} onChange={(e) => set('shinyOutput', e.target.value)} className={`${input} font-mono`} />
            </Field>
          </>
        ) : values.protocol === 'session-route' ? (
          <>
            <div className="grid grid-cols-[auto_1fr] gap-2">
              <Field id={id('extractKind')} label="Find the URL by">
                <select {...a11y('extractKind')} value={values.extractKind} onChange={(e) => set('extractKind', e.target.value as ProbeFormValues['extractKind'])} className={input}>
                  <option value="regex">regex</option>
                  <option value="json">JSON path</option>
                </select>
              </Field>
              <Field id={id('extractValue')} label="Session URL in the page" errors={errors.extractValue}>
                <input
                  {...a11y('extractValue')}
                  spellCheck={false}
                  placeholder={values.extractKind === 'regex' ? '"url":"(session/[^"]+)"' : 'x.ajax.url'}
                  value={values.extractValue}
                  onChange={(e) => set('extractValue', e.target.value)}
                  className={`${input} font-mono`}
                />
              </Field>
            </div>
            <Field id={id('breakStatuses')} label="Break statuses" errors={errors.breakStatuses} hint="the replica did not know the session">
              <input {...a11y('breakStatuses', true)} inputMode="numeric" value={values.breakStatuses} onChange={(e) => set('breakStatuses', e.target.value)} className={`${input} font-mono`} />
            </Field>
            <Field id={id('bodyMarker')} label="Break marker in the body" errors={errors.bodyMarker}>
              <input {...a11y('bodyMarker')} spellCheck={false} placeholder="e.g. session not found" value={values.bodyMarker} onChange={(e) => set('bodyMarker', e.target.value)} className={`${input} font-mono`} />
            </Field>
          </>
        ) : null}
        <Field id={id('appSessionCookie')} label="App session cookie" errors={errors.appSessionCookie} hint="blank: auto (connect.sid, JSESSIONID, …); off to skip">
          <input
            {...a11y('appSessionCookie', true)}
            spellCheck={false}
            placeholder="auto"
            value={values.appSessionCookie}
            onChange={(e) => set('appSessionCookie', e.target.value)}
            className={`${input} font-mono`}
          />
        </Field>
      </div>

      <details className="group rounded border border-slate-200 bg-slate-50/60 px-3 py-2" open={Boolean(values.resolve || values.headers || errors.resolve || errors.headers)}>
        <summary className="cursor-pointer select-none text-xs font-medium text-slate-600">Address overrides and extra headers</summary>
        <div className="mt-3 grid gap-4 md:grid-cols-2">
          <Field id={id('resolve')} label="Address overrides" errors={errors.resolve} hint="host:port:address per line, like curl --resolve">
            <textarea
              {...a11y('resolve', true)}
              rows={2}
              spellCheck={false}
              placeholder="shop.example.com:443:127.0.0.1"
              value={values.resolve}
              onChange={(e) => set('resolve', e.target.value)}
              className={`${input} font-mono`}
            />
          </Field>
          <Field id={id('headers')} label="Extra headers" errors={errors.headers} hint="Name: value per line">
            <textarea
              {...a11y('headers', true)}
              rows={2}
              spellCheck={false}
              placeholder="Authorization: Bearer …"
              value={values.headers}
              onChange={(e) => set('headers', e.target.value)}
              className={`${input} font-mono`}
            />
          </Field>
        </div>
      </details>

      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={running}
          className="rounded bg-slate-900 px-4 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 disabled:cursor-not-allowed disabled:bg-slate-400"
        >
          Start
        </button>
        <button
          type="button"
          onClick={onStop}
          disabled={!running}
          className="rounded border border-slate-300 bg-white px-4 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400"
        >
          Stop
        </button>
        {errorCount > 0 ? (
          <p role="alert" className="text-sm text-down">
            Fix {errorCount === 1 ? 'the highlighted field' : `${errorCount} problems`} to start.
          </p>
        ) : null}
      </div>
    </form>
  );
}
