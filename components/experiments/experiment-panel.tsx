'use client';

import { useState } from 'react';
import { Panel } from '@/components/ui/panel';
import { actionInfo, failoverActions, type ExperimentAction, type ExperimentPreview, type ExperimentTarget } from '@/lib/experiments/types';
import { ExperimentLogList } from './experiment-log';
import { ExperimentPreviewBox, secondaryButton } from './experiment-preview';
import type { RunExperiments } from './use-run-experiments';

type Step =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'preview'; target: ExperimentTarget; preview: ExperimentPreview }
  | { kind: 'error'; message: string }
  | { kind: 'done'; ok: boolean; message: string };


const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Failover experiments on the replica the run is pinned to: choose, see exactly what will happen, confirm. Offered
 * only when experiments are on; says why not when the pinned replica is no task of an allowed service.
 */
export function ExperimentPanel({ run }: { run: RunExperiments }) {
  const [action, setAction] = useState<ExperimentAction>('kill-task');
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const { status, pinned } = run;
  if (!status && run.statusError) {
    return (
      <p role="alert" aria-label="Failover experiments" className="rounded-lg border border-dashed border-down/40 bg-white px-4 py-2 text-sm text-down">
        Failover experiments: could not read their status from the server ({run.statusError}).
      </p>
    );
  }
  if (!status?.enabled || !pinned) return null;

  if (!pinned.task) {
    return (
      <p aria-label="Failover experiments" className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-2 text-sm text-slate-600">
        Failover experiments: replica <code className="font-mono">{pinned.replica}</code> is not a task of a service they may act on (
        {status.allowedServices.map((s) => s.name).join(', ') || status.services.join(', ')}).
      </p>
    );
  }
  const task = pinned.task;
  const available = new Map(status.actions.map((a) => [a.id, a]));
  const chosen = available.get(action);

  async function ask(target: ExperimentTarget) {
    setStep({ kind: 'busy', what: 'Checking the target…' });
    try {
      setStep({ kind: 'preview', target, preview: await run.preview(target) });
    } catch (error) {
      setStep({ kind: 'error', message: errorText(error) });
    }
  }

  async function confirm(target: ExperimentTarget, preview: ExperimentPreview) {
    setStep({ kind: 'busy', what: `${actionInfo[target.action].label}…` });
    try {
      const result = await run.confirm(target, preview);
      setStep({ kind: 'done', ok: result.ok, message: result.message });
    } catch (error) {
      setStep({ kind: 'error', message: errorText(error) });
    }
  }

  const target: ExperimentTarget = { action, service: task.serviceName, taskId: task.taskId, replica: pinned.replica };
  const busy = step.kind === 'busy';
  return (
    <Panel id="experiments" title="Failover experiment">
      <div className="space-y-3 text-sm">
        <p className="text-slate-700">
          Pinned to <code className="font-mono">{pinned.replica}</code>, task <span className="font-medium">{task.taskName}</span> of service{' '}
          <span className="font-medium">{task.serviceName}</span>. Act on it while the run goes on, and the run shows what your users would see.
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="experiment-action" className="text-slate-600">
            Action
          </label>
          <select
            id="experiment-action"
            value={action}
            disabled={busy || step.kind === 'preview'}
            onChange={(e) => {
              setAction(e.target.value as ExperimentAction);
              setStep({ kind: 'idle' });
            }}
            className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
          >
            {failoverActions.map((id) => (
              <option key={id} value={id} disabled={!available.get(id)?.available}>
                {actionInfo[id].label}
                {available.get(id)?.available ? '' : ' (unavailable)'}
              </option>
            ))}
          </select>
          <button type="button" className={secondaryButton} disabled={busy || !run.running || !chosen?.available || step.kind === 'preview'} onClick={() => void ask(target)}>
            Preview
          </button>
          {!run.running ? <span className="text-xs text-slate-500">Start a run to act: an experiment is measured by the run it interrupts.</span> : null}
        </div>
        <p className="text-xs text-slate-500">{chosen?.available ? actionInfo[action].effect : chosen?.reason}</p>

        {step.kind === 'busy' ? <p className="text-slate-600">{step.what}</p> : null}
        {step.kind === 'error' ? (
          <p role="alert" className="rounded border border-down/40 bg-down/5 px-3 py-2 text-down">
            {step.message}
          </p>
        ) : null}
        {step.kind === 'done' ? (
          <p role="status" className={step.ok ? 'text-healthy' : 'text-down'}>
            {step.ok ? 'Done: ' : 'Failed: '}
            {step.message}
          </p>
        ) : null}
        {step.kind === 'preview' ? (
          <ExperimentPreviewBox
            preview={step.preview}
            onConfirm={() => void confirm(step.target, step.preview)}
            onCancel={() => setStep({ kind: 'idle' })}
          />
        ) : null}

        {run.events.length ? (
          <ul aria-label="Experiments in this run" className="space-y-1 border-t border-slate-100 pt-2">
            {run.events.map((e) => {
              const undo = actionInfo[e.action].undo;
              return (
                <li key={e.id} className="flex flex-wrap items-center gap-2 text-xs">
                  <span className={e.ok ? 'text-slate-700' : 'text-down'}>
                    after request {e.afterIndex}: {actionInfo[e.action].label} on {e.taskName} — {e.message}
                  </span>
                  {undo && e.ok ? (
                    <button
                      type="button"
                      className={secondaryButton}
                      disabled={busy || step.kind === 'preview'}
                      onClick={() => void ask({ action: undo, service: e.service, taskId: e.taskId, replica: e.replica })}
                    >
                      {actionInfo[undo].label}
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
        <ExperimentLogList entries={status.log} error={status.logError} />
      </div>
    </Panel>
  );
}
