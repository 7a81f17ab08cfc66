import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError, MAX_ISSUE_CHARS, MAX_LISTED_ISSUES, MAX_MESSAGE_CHARS } from './errors';
import { IssueTally, atMostKeys, parseInput, zodIssues } from './validation';

describe('validation answers', () => {
  const numbers = z.array(z.number());

  it('lists at most 20 problems and counts them all, formatting only the listed ones', () => {
    const r = numbers.safeParse(Array.from({ length: 10_000 }, () => 'x'));
    if (r.success) throw new Error('expected a failure');
    const list = zodIssues(r.error);
    expect(list.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(list.issueCount).toBe(10_000);
    expect(list.issues[3]).toBe('3: Invalid input: expected number, received string');
  });

  it('throws InputError with the first problems, their count, and how many more there are', () => {
    const error = (() => {
      try {
        parseInput(numbers, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'list');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ issueCount: 7, issues: expect.any(Array) });
    expect((error as InputError).message).toMatch(/^invalid list: 0: .*; 4: .* \(and 2 more\)$/);
  });

  it('cuts a message or a problem that quotes a long input', () => {
    const error = new InputError(`bad "${'x'.repeat(100_000)}"`, Array.from({ length: 500 }, (_, i) => `${i}: ${'y'.repeat(10_000)}`));
    expect(error.message.length).toBe(MAX_MESSAGE_CHARS);
    expect(error.message.endsWith('…')).toBe(true);
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.issues.every((i) => i.length <= MAX_ISSUE_CHARS)).toBe(true);
    expect(error.issueCount).toBe(500);
  });

  it('gathers problems over many parses with their place, listing 20 and counting all', () => {
    const tally = new IssueTally();
    for (let i = 0; i < 50; i++) {
      const r = z.strictObject({ a: z.number() }).safeParse({ a: 'x', b: 1 });
      if (!r.success) tally.add(r.error, ['records', i]);
    }
    const error = tally.toError('report');
    expect(error.issueCount).toBe(100);
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.issues.slice(0, 2)).toEqual(['records.0.a: Invalid input: expected number, received string', 'records.0: Unrecognized key: "b"']);
  });
});

describe('atMostKeys', () => {
  const counts = atMostKeys(100, 'replicas').pipe(z.record(z.string(), z.number()));

  it('passes a record within the bound to the record schema', () => {
    expect(counts.parse({ a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(counts.safeParse({ a: 'x' }).success).toBe(false);
    expect(counts.safeParse('not an object').error?.issues[0]?.message).toMatch(/expected record/);
  });

  it('refuses an object of many bad keys with one problem, before reading any value', () => {
    const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 'bad']));
    const r = counts.safeParse(huge);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]?.message).toBe('at most 100 replicas');
  });
});
