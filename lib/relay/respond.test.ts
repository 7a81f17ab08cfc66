import { describe, expect, it } from 'vitest';
import { MAX_RELAY_REQUEST_BYTES, relayResponse } from './respond';

async function errorOf(response: Response) {
  return { status: response.status, error: ((await response.json()) as { error: { code: string; message: string } }).error };
}

describe('relayResponse', () => {
  const signal = new AbortController().signal;

  it('refuses anything but a JSON body, so no other site can post to it without a preflight', async () => {
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const { status, error } = await errorOf(await relayResponse('{}', contentType, signal));
      expect(status).toBe(400);
      expect(error.message).toMatch(/Content-Type: application\/json/);
    }
  });

  it('accepts a JSON content type with parameters and then validates the body', async () => {
    const { status, error } = await errorOf(await relayResponse('{"url":1}', 'application/json; charset=utf-8', signal));
    expect(status).toBe(400);
    expect(error.message).toMatch(/invalid relay request/);
  });

  it('explains a body that is not JSON and one that is too large', async () => {
    expect((await errorOf(await relayResponse('{', 'application/json', signal))).error.message).toMatch(/expects a JSON body/);
    const huge = `"${'x'.repeat(MAX_RELAY_REQUEST_BYTES)}"`;
    const tooLarge = await errorOf(await relayResponse(huge, 'application/json', signal));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.error.message).toBe('a relay request has at most 256 KiB');
  });
});
