'use client';

import { useId, useState } from 'react';
import type { TopologyService } from '@/lib/topology/types';
import { LabEditError } from './lab-edit-error';
import { useLabEdit } from './use-lab-edit';

const input =
  'block w-full rounded border border-slate-300 bg-white px-2 py-1.5 font-mono text-xs text-slate-900 focus:border-info focus:outline-none focus:ring-2 focus:ring-info/30';
const smallButton = 'rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset disabled:opacity-50';

const isTraefikLabel = (key: string) => key.toLowerCase().startsWith('traefik.');

/** The labels of a demo lab service, editable: each edit goes to the lab balancer, which follows it at once. */
export function LabLabelEditor({ service }: { service: TopologyService }) {
  const base = useId();
  const edit = useLabEdit(service.name);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const entries = Object.entries(service.labels).sort(([a], [b]) => a.localeCompare(b));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    edit.mutate({ kind: 'change', change: { set: { [key.trim()]: value } } }, { onSuccess: () => setKey('') });
  }

  return (
    <div className="space-y-4">
      <p role="note" aria-label="Lab edits" className="rounded border border-info/30 bg-info/5 px-3 py-2 text-sm text-slate-700">
        These edits change the <strong>embedded demo lab only</strong>, never a real cluster. The lab balancer follows
        them from the next request on; they live in this server process, so a restart puts every scenario back.
      </p>
      <div className="relative overflow-x-auto">
        <table aria-label="Lab labels" className="w-full text-left font-mono text-xs">
          <tbody className="divide-y divide-slate-100">
            {entries.map(([k, v]) => (
              <tr key={k}>
                <td className="break-all py-1 pr-3 text-info">{k}</td>
                <td className="break-all py-1 pr-3">{v}</td>
                <td className="whitespace-nowrap py-1 text-right">
                  {isTraefikLabel(k) ? (
                    <>
                      <button
                        type="button"
                        className={`${smallButton} mr-1 text-slate-700 ring-slate-300 hover:bg-slate-100`}
                        aria-label={`Edit ${k}`}
                        onClick={() => {
                          setKey(k);
                          setValue(v);
                        }}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        disabled={edit.isPending}
                        className={`${smallButton} text-down ring-down/30 hover:bg-down/5`}
                        aria-label={`Remove ${k}`}
                        onClick={() => edit.mutate({ kind: 'change', change: { remove: [k] } })}
                      >
                        Remove
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form aria-label="Set a label" onSubmit={submit} className="grid gap-2 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <div>
          <label htmlFor={`${base}-key`} className="mb-1 block text-xs font-medium text-slate-600">
            Label key
          </label>
          <input
            id={`${base}-key`}
            className={input}
            value={key}
            required
            placeholder={`traefik.http.services.${service.name}.loadbalancer.sticky.cookie`}
            onChange={(e) => setKey(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${base}-value`} className="mb-1 block text-xs font-medium text-slate-600">
            Label value
          </label>
          <input id={`${base}-value`} className={input} value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
        <button
          type="submit"
          disabled={edit.isPending}
          className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700 disabled:opacity-60"
        >
          {edit.isPending ? 'Applying…' : 'Set label'}
        </button>
      </form>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={edit.isPending || !service.lab?.edited}
          onClick={() => edit.mutate({ kind: 'reset' })}
          className={`${smallButton} px-3 py-1 text-sm text-slate-700 ring-slate-300 hover:bg-slate-100`}
        >
          Reset scenario
        </button>
        <span className="text-xs text-slate-500" aria-live="polite">
          {service.lab?.edited ? 'Labels edited since the lab started.' : `The ${service.lab?.scenario ?? service.name} scenario’s own labels.`}
        </span>
      </div>
      <LabEditError error={edit.error} />
    </div>
  );
}
