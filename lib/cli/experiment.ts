// `stickyscope probe ... --experiment ACTION --experiment-at N`: after request N, act on the replica the client is
// pinned to, keep probing, and measure the failover. Refuses before any request unless experiments are enabled.
import os from 'node:os';

import { getConfig } from '@/lib/env';
import { errorMessage, InputError } from '@/lib/errors';
import { assertAvailable, experimentDockerConnection } from '@/lib/experiments/availability';
import { serviceMatchesPatterns } from '@/lib/experiments/config';
import { createExperimentDocker } from '@/lib/experiments/docker-writer';
import { createHaproxyRuntime } from '@/lib/experiments/haproxy-runtime';
import { stampLogEntry, type NewLogEntry } from '@/lib/experiments/log';
import { planExperiment, type PlanContext } from '@/lib/experiments/plan';
import { runPlannedExperiment } from '@/lib/experiments/run';
import { pinnedReplica } from '@/lib/experiments/pinned';
import { actionInfo, failoverActions, type ExperimentEvent, type ExperimentResult, type FailoverAction } from '@/lib/experiments/types';
import { measureFailover, type FailoverMeasurement } from '@/lib/probe/failover';
import type { ProbeRecord } from '@/lib/probe/types';
import { buildReplicaIndex, servicesForHost } from '@/lib/topology/replica-map';
import { readConfiguredTopology } from './cluster';

export type ExperimentOption = { action: FailoverAction; atRequest: number; service: string | null };

/** `--experiment`, `--experiment-at` and `--experiment-service` together, or none of them. */
export function parseExperimentOption(
  raw: { experiment?: string; at?: string; service?: string },
  requests: number,
): ExperimentOption | null {
  if (raw.experiment === undefined) {
    if (raw.at !== undefined || raw.service !== undefined) throw new InputError('--experiment-at and --experiment-service go with --experiment');
    return null;
  }
  if (!(failoverActions as readonly string[]).includes(raw.experiment)) {
    throw new InputError(`--experiment must be ${failoverActions.join(', ')}, not "${raw.experiment}"`);
  }
  if (raw.at === undefined) throw new InputError('--experiment needs --experiment-at N: the request after which it acts');
  if (!/^\d{1,9}$/.test(raw.at.trim())) throw new InputError(`--experiment-at must be a whole number, not "${raw.at}"`);
  const at = Number(raw.at.trim());
  if (at < 1 || at >= requests) throw new InputError(`--experiment-at must be between 1 and ${requests - 1} (--requests ${requests}), so requests follow it`);
  return { action: raw.experiment as FailoverAction, atRequest: at, service: raw.service ?? null };
}

export type CliExperimentOutcome = {
  action: FailoverAction;
  at: number;
  /** Null when the experiment never got as far as naming a task. */
  result: ExperimentResult | null;
  ok: boolean;
  message: string;
  /** The last request completed when the action was sent, and the run's clock then. */
  afterIndex: number | null;
  atMs: number | null;
  measurement: FailoverMeasurement | null;
  /** What scale-down or drain was undone with after the run. */
  restored: { ok: boolean; message: string } | null;
  /** The replica the client was pinned to when the action was sent. */
  replica: string | null;
};

/**
 * Checks the settings at once (no Docker call when off, or when this action cannot run here) and returns the hooks the probe loop calls: `onRecord` for
 * every record, `finish` with the run's records once it ended.
 */
export function prepareCliExperiment(option: ExperimentOption, target: string, elapsedMs: () => number) {
  const config = getConfig();
  assertAvailable(option.action, config);
  const connection = experimentDockerConnection(config);
  const address = config.experiments.haproxyRuntimeApi;
  const docker = createExperimentDocker(config.experiments, connection);
  const haproxy = address ? createHaproxyRuntime(address, connection?.timeoutMs) : null;
  // The CLI's log is its stderr: each entry one JSON line.
  const log = { append: async (entry: NewLogEntry) => stampLogEntry(entry, { write: (line) => process.stderr.write(`${line}\n`) }) };
  const who = `cli ${os.userInfo().username}@${os.hostname()}`;
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');

  const records: ProbeRecord[] = [];
  let fired: Promise<void> | null = null;
  let afterIndex: number | null = null;
  let atMs: number | null = null;
  let result: ExperimentResult | null = null;
  let refusal: string | null = null;
  let context: PlanContext | null = null;
  let replica: string | null = null;

  async function fire() {
    replica = pinnedReplica(records);
    if (replica === null) throw new InputError(`no replica was pinned by request ${option.atRequest}: no successful response named one`);
    const topology = await readConfiguredTopology();
    const allowed = topology.services.filter(
      (s) => serviceMatchesPatterns(s.name, config.experiments.services) && (option.service === null || s.name === option.service),
    );
    const match = buildReplicaIndex({ services: allowed }, { preferServiceIds: servicesForHost(topology, host) })(replica);
    if (!match) {
      throw new InputError(`replica "${replica}" is no task of the services experiments may act on (${allowed.map((s) => s.name).join(', ') || 'none in the cluster'})`);
    }
    if (!match.task) {
      throw new InputError(`replica "${replica}" could be any of ${match.ambiguous.map((t) => t.taskName).join(', ')}: name one with --experiment-service`);
    }
    context = { config: config.experiments, docker, haproxy, topology };
    const request = { action: option.action, service: match.task.serviceName, taskId: match.task.taskId, replica };
    const plan = await planExperiment(request, context);
    afterIndex = records.length;
    atMs = elapsedMs();
    result = await runPlannedExperiment(plan, request, log, who, 'run');
  }

  async function restore(): Promise<CliExperimentOutcome['restored']> {
    const undo = actionInfo[option.action].undo;
    if (!undo || !result?.ok || !context) return null;
    const request = { action: undo, service: result.service.name, taskId: result.task.id, replica };
    try {
      const done = await runPlannedExperiment(await planExperiment(request, context), request, log, who, 'run');
      return { ok: done.ok, message: `${actionInfo[undo].label}: ${done.message}` };
    } catch (error) {
      return { ok: false, message: `${actionInfo[undo].label} failed: ${errorMessage(error)}; undo it by hand` };
    }
  }

  return {
    onRecord(record: ProbeRecord) {
      records.push(record);
      if (record.index !== option.atRequest || fired) return;
      fired = fire().catch((error: unknown) => {
        refusal = errorMessage(error);
        void log.append({ who, step: 'run', action: option.action, service: null, taskId: null, replica, result: 'refused', message: refusal });
      });
    },
    async finish(): Promise<CliExperimentOutcome> {
      await fired;
      const measurement = result && afterIndex !== null && atMs !== null ? measureFailover({ records, afterIndex, atMs }) : null;
      const restored = await restore();
      const r = result as ExperimentResult | null;
      return {
        action: option.action,
        at: option.atRequest,
        result: r,
        ok: r?.ok ?? false,
        message: r?.message ?? refusal ?? `the run ended before request ${option.atRequest}`,
        afterIndex,
        atMs,
        measurement,
        restored,
        replica,
      };
    },
  };
}

/** The experiment as a published report carries it; null when it never named a task (nothing happened to show). */
export function toExperimentEvent(outcome: CliExperimentOutcome): ExperimentEvent | null {
  const { result, afterIndex, atMs } = outcome;
  if (!result || afterIndex === null || atMs === null) return null;
  return {
    id: result.logId ?? `${result.requestedAt} ${outcome.action}`,
    action: outcome.action,
    service: result.service.name,
    taskId: result.task.id,
    taskName: result.task.name,
    replica: outcome.replica,
    afterIndex,
    atMs: Math.max(0, atMs),
    ok: result.ok,
    message: result.message,
  };
}
