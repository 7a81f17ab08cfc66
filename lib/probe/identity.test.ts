import { describe, expect, it } from 'vitest';
import { compileIdentity, isLikelyBalancerCookie } from './identity';

const res = (headers: Record<string, string>, bodyPrefix = '') => ({ headers, bodyPrefix });

describe('identity', () => {
  const auto = compileIdentity('auto');

  it('auto: headers first, in order', () => {
    expect(auto({ response: res({ 'x-served-by': 'b', 'x-replica': 'a' }), balancerCookie: null })).toEqual({ replica: 'a', source: 'header:x-replica' });
    expect(auto({ response: res({ 'x-backend-server': ' c ' }, 'Hostname: z'), balancerCookie: null })).toEqual({ replica: 'c', source: 'header:x-backend-server' });
  });

  it('auto: whoami text, then JSON fields, even in a truncated body', () => {
    expect(auto({ response: res({}, 'Hostname: app-2\nIP: 10.0.0.5\n'), balancerCookie: null })).toEqual({ replica: 'app-2', source: 'body:hostname' });
    expect(auto({ response: res({}, '{"instance":"i-9","hostname":"web-1","pad":"xxxx'), balancerCookie: null })).toEqual({ replica: 'web-1', source: 'json:hostname' });
    expect(auto({ response: res({}, ' {"replica": 3}'), balancerCookie: null })).toEqual({ replica: '3', source: 'json:replica' });
    expect(auto({ response: res({}, '<html>hostname</html>'), balancerCookie: null })).toEqual({ replica: null, source: null });
  });

  it('auto: falls back to the balancer cookie, set beats sent, and the decoder names it', () => {
    const b = { name: 'SRV', set: 's2', sent: 's1' };
    expect(auto({ response: res({}), balancerCookie: b })).toEqual({ replica: 's2', source: 'cookie:SRV' });
    expect(auto({ response: res({}), balancerCookie: { ...b, set: null } })).toEqual({ replica: 's1', source: 'cookie-sent:SRV' });
    const decode = (_n: string, v: string) => (v === 's2' ? 'http://10.0.0.2:80' : null);
    expect(auto({ response: res({}), balancerCookie: b, decode })).toEqual({ replica: 'http://10.0.0.2:80', source: 'cookie:SRV' });
  });

  it('explicit sources', () => {
    expect(compileIdentity({ header: 'x-pod' })({ response: res({ 'x-pod': 'p1' }), balancerCookie: null }).replica).toBe('p1');
    expect(compileIdentity({ bodyRegex: 'served by (\\w+)' })({ response: res({}, 'ok, served by node7.'), balancerCookie: null })).toEqual({ replica: 'node7', source: 'body:regex' });
    expect(compileIdentity({ jsonField: 'meta.host' })({ response: res({}, '{"meta":{"host":"h1"}}'), balancerCookie: null }).replica).toBe('h1');
    expect(compileIdentity({ jsonField: 'meta.host' })({ response: res({}, 'not json'), balancerCookie: null }).replica).toBeNull();
    expect(compileIdentity({ cookie: 'lb' })({ response: res({}), balancerCookie: { name: 'lb', set: 'x', sent: null } }).replica).toBe('x');
  });

  it('recognises common balancer cookie names and Traefik generated ones', () => {
    expect(['SRV', 'serverid', 'lb', 'AWSALB', '_1a2b3'].every(isLikelyBalancerCookie)).toBe(true);
    expect(['sid', 'connect.sid', '_ga', '_1a2b3c'].some(isLikelyBalancerCookie)).toBe(false);
  });
});
