// One dashboard under attack per test file: started before the file's tests, started again before a test when an
// earlier attack killed it (so one crash fails one test, not the rest of the file), stopped after the file.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startAttackTarget, type AttackTarget } from './dashboard';

export function useAttackTarget(): () => AttackTarget {
  let target: AttackTarget | undefined;
  beforeAll(async () => {
    target = await startAttackTarget();
  });
  beforeEach(async () => {
    await target?.restartIfDown();
  });
  afterAll(async () => {
    await target?.stop();
  });
  return () => {
    if (!target) throw new Error('the dashboard under attack did not start');
    return target;
  };
}
