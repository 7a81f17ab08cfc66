import { describe, expect, it } from 'vitest';
import { aRouter, aService } from '@/lib/affinity/test-model';
import { parseProbeSearchParams } from '../../probes/search-params';
import { serviceProbeLinks } from './probe-links';

const formOf = (href: string) => parseProbeSearchParams(Object.fromEntries(new URL(href, 'http://dashboard.test').searchParams));

describe('serviceProbeLinks', () => {
  it('a plain service gets one link: its first routed URL, its sticky cookie and its id', () => {
    const links = serviceProbeLinks(aService());
    expect(links.map((l) => l.name)).toEqual(['Probe this service']);
    const { form, serviceId } = formOf(links[0]!.href);
    expect(form).toMatchObject({ target: 'https://shop.example.com/', balancerCookie: 'shop_affinity', protocol: 'auto', resolve: '' });
    expect(serviceId).toBe('svc-web');
  });

  it('a router for a socket.io path adds an engine.io probe at that path, on the same host', () => {
    const service = aService({
      routers: [aRouter(), aRouter({ name: 'ws@swarm', hosts: ['shop.example.com'], pathPrefixes: ['/app/socket.io'], tls: false })],
    });
    const eio = serviceProbeLinks(service).find((l) => l.name === 'Probe socket.io');
    expect(formOf(eio!.href).form).toMatchObject({ target: 'http://shop.example.com/', protocol: 'engineio', eioPath: '/app/socket.io/' });
  });

  it('a demo lab service goes through the lab balancer, and its replicas serve socket.io at the default path', () => {
    const lab = { scenario: 'split-routers', description: '', edited: false };
    const service = aService({ id: 'lab-split-routers', lab, routers: [aRouter({ hosts: ['split-routers.lab.test'], tls: false })] });
    const links = serviceProbeLinks(service, { address: '127.0.0.1', port: 4100 });
    const [plain, eio] = links.map((l) => formOf(l.href).form);
    expect(plain).toMatchObject({ target: 'http://split-routers.lab.test:4100/', resolve: 'split-routers.lab.test:4100:127.0.0.1', protocol: 'auto' });
    expect(eio).toMatchObject({ target: 'http://split-routers.lab.test:4100/', resolve: 'split-routers.lab.test:4100:127.0.0.1', protocol: 'engineio', eioPath: '/socket.io/' });
  });

  it('a demo lab service of emulated Shiny replicas gets the plain link only, which lets the page say it is Shiny', () => {
    const lab = { scenario: 'shiny-dt', description: '', edited: false, emulation: 'emulated Shiny' };
    const service = aService({ id: 'lab-shiny-dt', lab, routers: [aRouter({ hosts: ['shiny-dt.lab.test'], tls: false })] });
    const links = serviceProbeLinks(service, { address: '127.0.0.1', port: 4100 });
    expect(links.map((l) => l.name)).toEqual(['Probe this service']);
    expect(formOf(links[0]!.href).form).toMatchObject({ target: 'http://shiny-dt.lab.test:4100/', protocol: 'auto' });
  });

  it('no router host: the plain link says so and there is no engine.io link', () => {
    const links = serviceProbeLinks(aService({ routers: [aRouter({ hosts: [], pathPrefixes: ['/socket.io'] })] }));
    expect(links).toHaveLength(1);
    expect(links[0]!.title).toMatch(/No router host/);
    expect(formOf(links[0]!.href).form.target).toBe('');
  });
});
