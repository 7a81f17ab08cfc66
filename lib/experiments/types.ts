// Failover experiments as the API, the UI and the CLI share them. No runtime imports beyond data; JSON-safe values.
import type { FailoverMeasurement } from '@/lib/probe/failover';

export const experimentActions = ['kill-task', 'scale-down', 'restart', 'drain', 'ready', 'scale-up'] as const;
export type ExperimentAction = (typeof experimentActions)[number];

/** The actions that take the pinned replica away; the other two put back what scale-down and drain took. */
export const failoverActions = ['kill-task', 'scale-down', 'restart', 'drain'] as const satisfies readonly ExperimentAction[];
export type FailoverAction = (typeof failoverActions)[number];

export type ActionInfo = {
  label: string;
  /** What happens, in one sentence a person confirms. */
  effect: string;
  /** Docker API, or HAProxy's Runtime API (`HAPROXY_RUNTIME_API`). */
  via: 'docker' | 'haproxy';
  /** The action that puts things back, when there is one. */
  undo: ExperimentAction | null;
};

export const actionInfo = {
  'kill-task': {
    label: "Stop the task's container",
    effect: "Kills the pinned task's container (SIGKILL), as a crash would; Swarm then starts a replacement task.",
    via: 'docker',
    undo: null,
  },
  'scale-down': {
    label: 'Scale the service down by one',
    effect: 'Lowers the desired replica count by one; Swarm picks which task to remove, so the pinned one may survive.',
    via: 'docker',
    undo: 'scale-up',
  },
  restart: {
    label: 'Force a rolling restart',
    effect: "Replaces every task of the service, one at a time by its update settings (docker service update --force).",
    via: 'docker',
    undo: null,
  },
  drain: {
    label: 'Drain the server in HAProxy',
    effect: "Sets the pinned task's HAProxy server to drain: it takes no new clients, while clients pinned by its cookie may still reach it.",
    via: 'haproxy',
    undo: 'ready',
  },
  ready: {
    label: 'Set the HAProxy server back to ready',
    effect: 'Ends a drain: the HAProxy server of the task takes new clients again.',
    via: 'haproxy',
    undo: null,
  },
  'scale-up': {
    label: 'Scale the service up by one',
    effect: 'Raises the desired replica count by one, putting back a replica taken by scale-down.',
    via: 'docker',
    undo: null,
  },
} as const satisfies Record<ExperimentAction, ActionInfo>;

/** What a request names: the action, the Swarm service, and the task the probe's replica maps to. */
export type ExperimentTarget = {
  action: ExperimentAction;
  /** Service name or id. */
  service: string;
  taskId: string;
  /** The probe's replica identity that mapped to the task, for the log. */
  replica: string | null;
};

/** What will happen, shown before anything is sent. */
export type ExperimentPlanView = {
  action: ExperimentAction;
  service: { id: string; name: string };
  task: { id: string; name: string; node: string | null; containerId: string | null };
  summary: string;
  /** The exact calls, in order, e.g. `POST /containers/3f2a…/kill`. */
  calls: string[];
  warnings: string[];
};

export type ExperimentPreview = ExperimentPlanView & {
  /** Send it back with `step: "confirm"` to run exactly this; single use. */
  token: string;
  /** ISO time after which the token is refused. */
  expiresAt: string;
};

export type ExperimentResult = ExperimentPlanView & {
  ok: boolean;
  message: string;
  /** ISO times: when the first call left, and when the last one was answered. */
  requestedAt: string;
  appliedAt: string;
  /** The log entry's id; null when the log could not be written (the entry is then only in the server's output). */
  logId: string | null;
};

export type ExperimentLogEntry = {
  id: string;
  /** ISO time. */
  at: string;
  /** `dashboard <address> (<browser>)` or `cli <user>@<host>`. */
  who: string;
  /** `request`: refused before it named a target (experiments off, a malformed body). */
  step: 'request' | 'preview' | 'confirm' | 'run';
  action: ExperimentAction | null;
  service: string | null;
  taskId: string | null;
  replica: string | null;
  result: 'ok' | 'refused' | 'failed';
  message: string;
};

export type ExperimentActionAvailability = { id: ExperimentAction; label: string; effect: string; available: boolean; reason: string | null };

/** `GET /api/experiments`. */
export type ExperimentsStatus = {
  enabled: boolean;
  /** Why experiments are off, naming the setting; null when on. */
  message: string | null;
  /** `STICKYSCOPE_EXPERIMENT_SERVICES` as configured. */
  services: string[];
  /** Services of the current topology the patterns match. */
  allowedServices: { id: string; name: string }[];
  actions: ExperimentActionAvailability[];
  log: ExperimentLogEntry[];
  /** Why the log could not be read (its database is unreachable, say); null when it was. */
  logError: string | null;
};

/** An action as it happened during a run, placed on the run's own timeline. */
export type ExperimentEvent = {
  id: string;
  action: ExperimentAction;
  service: string;
  taskId: string;
  taskName: string;
  replica: string | null;
  /** The last request that had completed when the action was sent. */
  afterIndex: number;
  /** Ms since the run started when the action was sent. */
  atMs: number;
  ok: boolean;
  message: string;
};

/** An event with what it did to this client, once the run has ended. */
export type MeasuredExperiment = ExperimentEvent & { measurement: FailoverMeasurement | null };
