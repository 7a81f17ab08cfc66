import { describe, expect, it } from 'vitest';
import { MemoryExperimentLog, type NewLogEntry } from './log';

const entry = (message: string): NewLogEntry => ({
  who: 'cli root@lab',
  step: 'run',
  action: 'kill-task',
  service: 'web-sticky',
  taskId: 'abc',
  replica: 'app-1',
  result: 'ok',
  message,
});

describe('MemoryExperimentLog', () => {
  it('stamps each entry, lists newest first and writes each as a JSON line', async () => {
    const lines: string[] = [];
    const log = new MemoryExperimentLog({ now: () => Date.UTC(2026, 0, 1), write: (l) => lines.push(l) });
    const first = await log.append(entry('one'));
    await log.append(entry('two'));
    expect(first.at).toBe('2026-01-01T00:00:00.000Z');
    expect((await log.list()).map((e) => e.message)).toEqual(['two', 'one']);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!.replace(/^stickyscope experiment /, ''))).toEqual(first);
  });

  it('keeps its entries unchangeable and bounded', async () => {
    const log = new MemoryExperimentLog({ max: 2, write: () => {} });
    for (const m of ['a', 'b', 'c']) await log.append(entry(m));
    expect((await log.list()).map((e) => e.message)).toEqual(['c', 'b']);
    const [latest] = await log.list();
    expect(() => Object.assign(latest!, { result: 'failed' })).toThrow();
  });
});
