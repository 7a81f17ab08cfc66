// The relay allowlist of a dashboard running the demo lab alone: a label edit that adds a router host is allowed
// from the very next relay call on, though the allowlist is otherwise served from its cache.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getLab } from '@/lib/lab';
import { editLabServiceLabels, resetLabService } from '@/lib/lab/edits';
import { labHost } from '@/lib/lab/scenarios';
import { checkTarget } from './allowlist';
import { getRelayAllowlist } from './server';

beforeAll(() => {
  vi.stubEnv('STICKYSCOPE_DOCKER', 'off');
  vi.stubEnv('TRAEFIK_API_URL', undefined);
  vi.stubEnv('STICKYSCOPE_LAB', '1');
  vi.stubEnv('STICKYSCOPE_ALLOWED_TARGETS', '');
});

afterAll(async () => {
  await resetLabService('sticky-ok');
  await (await getLab()).stop();
  vi.unstubAllEnvs();
});

describe('relay allowlist', () => {
  it('allows a host added by a lab label edit on the first check after the edit', async () => {
    const lab = await getLab();
    const added = { host: 'www.sticky-ok.lab.test', port: lab.port };
    expect(checkTarget(await getRelayAllowlist(), { host: labHost('sticky-ok'), port: lab.port })).toEqual({ ok: true });
    expect(checkTarget(await getRelayAllowlist(), added).ok).toBe(false);

    await editLabServiceLabels('sticky-ok', {
      set: { 'traefik.http.routers.sticky-ok.rule': `Host(\`${labHost('sticky-ok')}\`) || Host(\`${added.host}\`)` },
      remove: [],
    });

    expect(checkTarget(await getRelayAllowlist(), added)).toEqual({ ok: true });
  });
});
