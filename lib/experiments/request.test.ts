import { describe, expect, it } from 'vitest';
import { parseExperimentRequest } from './request';

const preview = { step: 'preview', action: 'kill-task', service: 'web-sticky', taskId: 'abc123', replica: 'app-1' };

describe('parseExperimentRequest', () => {
  it('reads a preview and a confirm', () => {
    expect(parseExperimentRequest(preview)).toEqual(preview);
    const confirm = { ...preview, step: 'confirm', token: 't'.repeat(32) };
    expect(parseExperimentRequest(confirm)).toEqual(confirm);
    expect(parseExperimentRequest({ ...preview, replica: undefined }).replica).toBeNull();
  });

  it('refuses a confirm without its token: the preview step cannot be skipped', () => {
    expect(() => parseExperimentRequest({ ...preview, step: 'confirm' })).toThrow(/token/);
  });

  it('refuses unknown actions and keys, and bad task ids', () => {
    expect(() => parseExperimentRequest({ ...preview, action: 'delete-service' })).toThrow(/action/);
    expect(() => parseExperimentRequest({ ...preview, force: true })).toThrow(/force/);
    expect(() => parseExperimentRequest({ ...preview, taskId: '../x' })).toThrow(/Swarm task id/);
  });

  it('refuses a body that is not an experiment request at all', () => {
    expect(() => parseExperimentRequest(null)).toThrow(/invalid experiment request/);
    expect(() => parseExperimentRequest([preview])).toThrow(/invalid experiment request/);
  });
});
