import { describe, expect, it } from 'vitest';
import { parseExperimentRequest } from './request';

const json = 'application/json';
const preview = { step: 'preview', action: 'kill-task', service: 'web-sticky', taskId: 'abc123', replica: 'app-1' };

describe('parseExperimentRequest', () => {
  it('reads a preview and a confirm', () => {
    expect(parseExperimentRequest(JSON.stringify(preview), json)).toEqual(preview);
    const confirm = { ...preview, step: 'confirm', token: 't'.repeat(32) };
    expect(parseExperimentRequest(JSON.stringify(confirm), 'application/json; charset=utf-8')).toEqual(confirm);
    expect(parseExperimentRequest(JSON.stringify({ ...preview, replica: undefined }), json).replica).toBeNull();
  });

  it('refuses a confirm without its token: the preview step cannot be skipped', () => {
    expect(() => parseExperimentRequest(JSON.stringify({ ...preview, step: 'confirm' }), json)).toThrow(/token/);
  });

  it('refuses unknown actions and keys, and bad task ids', () => {
    expect(() => parseExperimentRequest(JSON.stringify({ ...preview, action: 'delete-service' }), json)).toThrow(/action/);
    expect(() => parseExperimentRequest(JSON.stringify({ ...preview, force: true }), json)).toThrow(/force/);
    expect(() => parseExperimentRequest(JSON.stringify({ ...preview, taskId: '../x' }), json)).toThrow(/Swarm task id/);
  });

  it('accepts JSON bodies only', () => {
    expect(() => parseExperimentRequest(JSON.stringify(preview), 'application/x-www-form-urlencoded')).toThrow(/Content-Type: application\/json/);
    expect(() => parseExperimentRequest(JSON.stringify(preview), null)).toThrow(/Content-Type/);
    expect(() => parseExperimentRequest('{', json)).toThrow(/JSON body/);
  });
});
