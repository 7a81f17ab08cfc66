import { describe, expect, it } from 'vitest';
import { MAX_RELAY_REQUEST_BYTES, relayResponse } from './respond';

const bytes = (text: string) => Buffer.from(text, 'utf8');

async function errorOf(response: Response) {
  return { status: response.status, error: ((await response.json()) as { error: { code: string; message: string } }).error };
}

describe('relayResponse', () => {
  const signal = new AbortController().signal;

  it('refuses anything but a JSON body, so no other site can post to it without a preflight', async () => {
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const { status, error } = await errorOf(await relayResponse(bytes('{}'), contentType, signal));
      expect(status).toBe(400);
      expect(error.message).toMatch(/Content-Type: application\/json/);
    }
  });

  it('accepts a JSON content type with parameters and then validates the body', async () => {
    const { status, error } = await errorOf(await relayResponse(bytes('{"url":1}'), 'application/json; charset=utf-8', signal));
    expect(status).toBe(400);
    expect(error.message).toMatch(/invalid relay request/);
  });

  it('explains a body that is not JSON and one that is too large', async () => {
    expect((await errorOf(await relayResponse(bytes('{'), 'application/json', signal))).error.message).toMatch(/not valid JSON: a relay request/);
    const huge = bytes(`"${'x'.repeat(MAX_RELAY_REQUEST_BYTES)}"`);
    const tooLarge = await errorOf(await relayResponse(huge, 'application/json', signal));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.error.message).toBe('a relay request has at most 256 KiB');
  });

  it('measures the body in bytes, not characters: two-byte characters over the limit are still too large', async () => {
    const wide = bytes(`"${'é'.repeat(MAX_RELAY_REQUEST_BYTES / 2 + 1)}"`);
    expect(wide.byteLength).toBeGreaterThan(MAX_RELAY_REQUEST_BYTES);
    expect((await errorOf(await relayResponse(wide, 'application/json', signal))).status).toBe(413);
  });

  it('refuses bytes that are not UTF-8 instead of reading them as replacement characters', async () => {
    const invalid = Buffer.concat([bytes('{"url":"http://a/'), Buffer.from([0xff, 0xfe]), bytes('"}')]);
    const { status, error } = await errorOf(await relayResponse(invalid, 'application/json', signal));
    expect(status).toBe(400);
    expect(error.message).toMatch(/not valid UTF-8/);
  });
});
