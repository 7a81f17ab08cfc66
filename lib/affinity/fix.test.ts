import { describe, expect, it } from 'vitest';
import { labelFix, renderFixCommand, renderFixYaml, shellQuote } from './fix';

describe('labelFix', () => {
  it('reuses the stored spelling of a key Traefik reads case-insensitively, and drops no-op changes', () => {
    const labels = { 'traefik.http.services.web.loadbalancer.sticky.cookie.HttpOnly': 'false', 'traefik.enable': 'true' };
    const fix = labelFix({ labels }, {
      set: { 'traefik.http.services.web.loadbalancer.sticky.cookie.httponly': 'true', 'traefik.enable': 'true' },
      remove: ['traefik.port', 'traefik.enable'],
    });
    expect(fix).toEqual({
      labelsToAdd: { 'traefik.http.services.web.loadbalancer.sticky.cookie.HttpOnly': 'true' },
      labelsToRemove: ['traefik.enable'],
    });
  });
});

describe('renderFixCommand', () => {
  const fix = {
    labelsToAdd: { 'traefik.http.services.web.loadbalancer.sticky.cookie': 'true', 'traefik.http.routers.web.rule': 'Host(`a.example`)' },
    labelsToRemove: ['traefik.swarm.lbswarm'],
  };

  it('renders --label-add/--label-rm against the stack-qualified service, quoting what the shell would expand', () => {
    expect(renderFixCommand(fix, 'shop_web')).toBe(
      "docker service update --label-add traefik.http.services.web.loadbalancer.sticky.cookie=true --label-add 'traefik.http.routers.web.rule=Host(`a.example`)' --label-rm traefik.swarm.lbswarm shop_web",
    );
  });

  it('returns null when there is nothing to change', () => {
    expect(renderFixCommand({ labelsToAdd: {}, labelsToRemove: [], note: 'x' }, 'shop_web')).toBeNull();
  });

  it('escapes single quotes', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('renderFixYaml', () => {
  it('renders deploy.labels under the stack-file service name with quoted values and removals as comments', () => {
    const fix = { labelsToAdd: { 'traefik.http.services.web.loadbalancer.sticky.cookie': 'true' }, labelsToRemove: ['traefik.backend.loadbalancer.sticky'] };
    expect(renderFixYaml(fix, { name: 'shop_web', stack: 'shop' })).toBe(
      [
        'services:',
        '  web:',
        '    deploy:',
        '      labels:',
        '        traefik.http.services.web.loadbalancer.sticky.cookie: "true"',
        '        # remove: traefik.backend.loadbalancer.sticky',
        '',
      ].join('\n'),
    );
  });

  it('keeps the full name when the service is not part of a stack', () => {
    expect(renderFixYaml({ labelsToAdd: { a: 'b' }, labelsToRemove: [] }, { name: 'web', stack: null })).toContain('  web:\n');
  });
});
