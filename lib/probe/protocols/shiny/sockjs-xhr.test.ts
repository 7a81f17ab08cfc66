import { describe, expect, it } from 'vitest';
import { sockjsCodec, sockjsSessionUrl } from './channel';
import { classifySend, isFiller, joinSockjsFrames } from './sockjs-xhr';
import { nextTransport, shinyTransportPlan } from './transport-plan';
import { LineSplitter } from '../stream-node';

describe('SockJS xhr framing', () => {
  it('puts every transport of a session under one folder, beside the page, with Shiny Server’s worker', () => {
    const ids = { server: '042', session: 'k3j5h2m1' };
    expect(sockjsSessionUrl('http://h.test/apps/sales/?w=ab12', ids)).toBe('http://h.test/apps/sales/__sockjs__/w=ab12/042/k3j5h2m1/');
    expect(sockjsSessionUrl('http://h.test/app', ids)).toBe('http://h.test/__sockjs__/042/k3j5h2m1/');
  });

  it('joins the channel opening and init into one xhr_send batch, in order', () => {
    const page = 'http://h.test/app/';
    const batch = joinSockjsFrames([...sockjsCodec.opening(page), sockjsCodec.frame(['{"method":"init","data":{}}'])]);
    expect(JSON.parse(batch)).toEqual(['0|o|', '0|m|{"method":"init","data":{}}']);
    expect(joinSockjsFrames([])).toBe('[]');
  });

  it('tells the prelude and heartbeats from frames that say something', () => {
    expect(isFiller(`${'h'.repeat(2048)}`)).toBe(true);
    expect(isFiller('h')).toBe(true);
    expect(isFiller('')).toBe(true);
    expect(isFiller('o')).toBe(false);
    expect(isFiller('a["0|m|{}"]')).toBe(false);
    expect(isFiller('c[3000,"Go away!"]')).toBe(false);
  });

  it('reads xhr_send answers: 204 holds the session, 404 is another process, the rest are failures', () => {
    expect(classifySend(204)).toEqual({ outcome: 'ok', answer: 'HTTP 204' });
    expect(classifySend(200)).toEqual({ outcome: 'ok', answer: 'HTTP 200' });
    expect(classifySend(404)).toEqual({ outcome: 'break', answer: 'HTTP 404' });
    expect(classifySend(500)).toEqual({ outcome: 'error', answer: 'HTTP 500' });
    expect(classifySend(502)).toEqual({ outcome: 'error', answer: 'HTTP 502' });
  });

  it('reads the frames of an xhr-streaming body with the same codec as the WebSocket', () => {
    expect(sockjsCodec.read('a["0|m|{\\"config\\":{}}","1|m|other"]')).toEqual({ messages: ['{"config":{}}'], closed: null });
    expect(sockjsCodec.read('c[2010,"Another connection still open"]').closed).toEqual({ code: 2010, reason: 'Another connection still open' });
  });
});

describe('LineSplitter', () => {
  it('splits lines across chunk boundaries and keeps an unterminated last line for the end', () => {
    const s = new LineSplitter(100);
    expect(s.push('hhh\no\na["x')).toEqual(['hhh', 'o']);
    expect(s.push('"]\nc[10')).toEqual(['a["x"]']);
    expect(s.end()).toBe('c[10');
    expect(s.end()).toBeNull();
  });

  it('cuts a line past the bound one character over (so the queue flags it) and skips the rest of it', () => {
    const s = new LineSplitter(4);
    expect(s.push('abcdefgh')).toEqual(['abcde']);
    expect(s.push('ijkl')).toEqual([]);
    expect(s.push('mn\nok\n')).toEqual(['ok']);
    expect(s.end()).toBeNull();
  });
});

describe('transport choice', () => {
  it('auto on a SockJS page: WebSocket first, then xhr-streaming, then xhr-polling', () => {
    const { plan } = shinyTransportPlan(true, 'auto');
    expect(plan).toEqual(['sockjs-websocket', 'sockjs-xhr-streaming', 'sockjs-xhr-polling']);
    expect(nextTransport(plan, 'sockjs-websocket', false)).toBe('sockjs-xhr-streaming');
    expect(nextTransport(plan, 'sockjs-xhr-streaming', false)).toBe('sockjs-xhr-polling');
    expect(nextTransport(plan, 'sockjs-xhr-polling', false)).toBeNull();
  });

  it('a stopped run does not fall back', () => {
    expect(nextTransport(shinyTransportPlan(true, 'auto').plan, 'sockjs-websocket', true)).toBeNull();
  });

  it('a forced transport is the only one tried', () => {
    for (const [choice, transport] of [['websocket', 'sockjs-websocket'], ['xhr-streaming', 'sockjs-xhr-streaming'], ['xhr-polling', 'sockjs-xhr-polling']] as const) {
      const { plan } = shinyTransportPlan(true, choice);
      expect(plan).toEqual([transport]);
      expect(nextTransport(plan, transport, false)).toBeNull();
    }
  });

  it('plain R Shiny has only its WebSocket: forcing an xhr transport is refused with the reason', () => {
    expect(shinyTransportPlan(false, 'auto')).toEqual({ plan: ['websocket'], problem: null });
    expect(shinyTransportPlan(false, 'websocket')).toEqual({ plan: ['websocket'], problem: null });
    expect(shinyTransportPlan(false, 'xhr-polling').problem).toBe('the page speaks Shiny over its plain WebSocket (websocket/), not SockJS, so it has no xhr-polling transport to force');
  });
});
