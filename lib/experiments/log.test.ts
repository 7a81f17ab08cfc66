import { describe, expect, it } from 'vitest';
import { stampLogEntry, type NewLogEntry } from './log';

const entry: NewLogEntry = {
  who: 'cli root@lab',
  step: 'run',
  action: 'kill-task',
  service: 'web-sticky',
  taskId: 'abc',
  replica: 'app-1',
  result: 'ok',
  message: 'killed',
};

describe('stampLogEntry', () => {
  it('gives an entry its id and time, writes it as one JSON line and keeps it unchangeable', () => {
    const lines: string[] = [];
    const stamped = stampLogEntry(entry, { now: () => Date.UTC(2026, 0, 1), write: (l) => lines.push(l) });
    expect(stamped).toMatchObject({ ...entry, at: '2026-01-01T00:00:00.000Z', id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.replace(/^stickyscope experiment /, ''))).toEqual(stamped);
    expect(() => Object.assign(stamped, { result: 'failed' })).toThrow();
    expect(stampLogEntry(entry, { write: () => {} }).id).not.toBe(stamped.id);
  });
});
