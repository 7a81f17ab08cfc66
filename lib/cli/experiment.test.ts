import { describe, expect, it } from 'vitest';
import { parseExperimentOption, toExperimentEvent, type CliExperimentOutcome } from './experiment';
import { parseProbeArgs } from './probe';

describe('--experiment options', () => {
  it('read the action, the request it follows and the optional service', () => {
    expect(parseExperimentOption({ experiment: 'kill-task', at: '30' }, 100)).toEqual({ action: 'kill-task', atRequest: 30, service: null });
    expect(parseExperimentOption({ experiment: 'drain', at: '5', service: 'web' }, 10)).toEqual({ action: 'drain', atRequest: 5, service: 'web' });
    expect(parseExperimentOption({}, 100)).toBeNull();
  });

  it('refuse actions that do not take the pinned replica away, and a missing or late --experiment-at', () => {
    expect(() => parseExperimentOption({ experiment: 'scale-up', at: '3' }, 10)).toThrow(/kill-task, scale-down, restart, drain/);
    expect(() => parseExperimentOption({ experiment: 'restart' }, 10)).toThrow(/needs --experiment-at/);
    expect(() => parseExperimentOption({ experiment: 'restart', at: '10' }, 10)).toThrow(/between 1 and 9/);
    expect(() => parseExperimentOption({ experiment: 'restart', at: '0' }, 10)).toThrow(/between 1 and 9/);
    expect(() => parseExperimentOption({ experiment: 'restart', at: 'soon' }, 10)).toThrow(/whole number/);
    expect(() => parseExperimentOption({ at: '3' }, 10)).toThrow(/go with --experiment/);
  });

  it('come through the probe command line', () => {
    const parsed = parseProbeArgs(['http://127.0.0.1:8080/', '--requests', '60', '--experiment', 'kill-task', '--experiment-at', '30']);
    expect(parsed).toMatchObject({ experiment: { action: 'kill-task', atRequest: 30 } });
    expect(parseProbeArgs(['http://127.0.0.1:8080/'])).toMatchObject({ experiment: null });
    expect(() => parseProbeArgs(['http://x/', '--experiment', 'restart', '--experiment', 'drain', '--experiment-at', '2'])).toThrow(/more than once/);
  });
});

describe('formatExperiment', () => {
  it('prints the target, the exact call, the outcome and the measurement', async () => {
    const { formatExperiment } = await import('./format-experiment');
    const text = formatExperiment(killOutcome());
    expect(text).toContain('Failover experiment: kill-task after request 30');
    expect(text).toContain('target   web-sticky, task web-sticky.1 (task1abcdefg), sent after request 31');
    expect(text).toContain('call     POST /containers/3f2a/kill');
    expect(text).toContain('done     killed container 3f2a9c1b0d4e of web-sticky.1');
  });
});

function killOutcome(over: Partial<CliExperimentOutcome> = {}): CliExperimentOutcome {
  return {
    action: 'kill-task',
    at: 30,
    ok: true,
    message: 'killed container 3f2a9c1b0d4e of web-sticky.1',
    afterIndex: 31,
    atMs: 1520.4,
    restored: null,
    replica: 'app-1',
    result: {
      action: 'kill-task',
      service: { id: 'svc', name: 'web-sticky' },
      task: { id: 'task1abcdefghijk', name: 'web-sticky.1', node: 'n1', containerId: '3f2a' },
      summary: '',
      calls: ['POST /containers/3f2a/kill'],
      warnings: [],
      ok: true,
      message: 'killed',
      requestedAt: '',
      appliedAt: '',
      logId: 'l1',
    },
    measurement: null,
    ...over,
  };
}

describe('toExperimentEvent', () => {
  it('gives a published report the action on the run’s clock, and nothing for one that never named a task', () => {
    expect(toExperimentEvent(killOutcome())).toEqual({
      id: 'l1',
      action: 'kill-task',
      service: 'web-sticky',
      taskId: 'task1abcdefghijk',
      taskName: 'web-sticky.1',
      replica: 'app-1',
      afterIndex: 31,
      atMs: 1520.4,
      ok: true,
      message: 'killed',
    });
    expect(toExperimentEvent(killOutcome({ result: null, afterIndex: null, atMs: null, ok: false }))).toBeNull();
  });
});
