import { describe, expect, it } from 'vitest';
import {
  classifyHandshake,
  classifyPost,
  classifyUpgrade,
  decodePayload,
  encodePayload,
  engineioUrl,
  heartbeatPacket,
  joinPacket,
} from './engineio-packets';

// Bodies as socket.io 4.8 (engine.io 6) writes them.
const OPEN = '0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

describe('engine.io payloads', () => {
  it('EIO4 joins packets with the record separator', () => {
    expect(encodePayload(['40'], 4)).toBe('40');
    expect(encodePayload(['40', '3'], 4)).toBe('40\x1e3');
    expect(decodePayload(`${OPEN}\x1e40{"sid":"x"}`, 4)).toEqual([OPEN, '40{"sid":"x"}']);
  });

  it('EIO3 prefixes each packet with its length', () => {
    expect(encodePayload(['2'], 3)).toBe('1:2');
    expect(encodePayload(['40/probe,', '2'], 3)).toBe('9:40/probe,1:2');
    expect(decodePayload(`${OPEN.length}:${OPEN}2:40`, 3)).toEqual([OPEN, '40']);
  });

  it('refuses a body that is not a payload of that version', () => {
    expect(decodePayload('', 4)).toBeNull();
    expect(decodePayload(OPEN, 3)).toBeNull();
    expect(decodePayload('5:40', 3)).toBeNull();
    expect(decodePayload(':40', 3)).toBeNull();
  });

  it('joins namespaces and keeps the session alive the way each version does', () => {
    expect(joinPacket('/')).toBe('40');
    expect(joinPacket('/chat')).toBe('40/chat,');
    // v4 servers ping and expect pong (3); v3 clients ping (2). The other way round the server closes the session.
    expect(heartbeatPacket(4)).toBe('3');
    expect(heartbeatPacket(3)).toBe('2');
  });
});

describe('engine.io answers', () => {
  it('reads the open packet of either version', () => {
    const v4 = classifyHandshake(200, OPEN, 4);
    expect(v4).toMatchObject({ outcome: 'ok', open: { sid: 'lv_VI97HAXpY6yYWAAAC', pingInterval: 25000 } });
    expect(classifyHandshake(200, `${OPEN.length}:${OPEN}2:40`, 3).open?.sid).toBe('lv_VI97HAXpY6yYWAAAC');
  });

  it('explains a handshake that is not engine.io', () => {
    const html = classifyHandshake(200, '<!doctype html><title>shop</title>', 4);
    expect(html.outcome).toBe('error');
    expect(html.message).toMatch(/did not answer an engine.io v4 open packet.*check the path and the version/);
    // A v4 open packet read as v3 is not a v3 payload.
    expect(classifyHandshake(200, OPEN, 3).outcome).toBe('error');
    const refused = classifyHandshake(400, '{"code":5,"message":"Unsupported protocol version"}', 3);
    expect(refused).toMatchObject({ outcome: 'error', answer: 'HTTP 400 Unsupported protocol version' });
  });

  it('tells a break from an error on a POST', () => {
    expect(classifyPost(200, 'ok')).toMatchObject({ outcome: 'ok' });
    expect(classifyPost(400, '{"code":1,"message":"Session ID unknown"}')).toMatchObject({ outcome: 'break', answer: 'Session ID unknown' });
    // Overlapping requests on one sid: engine.io answers an empty 400 and closes the session. Not an affinity break.
    const overlap = classifyPost(400, '');
    expect(overlap.outcome).toBe('error');
    expect(overlap.message).toMatch(/closed the session: two requests overlapped/);
    expect(classifyPost(400, '{"code":3,"message":"Bad request"}')).toMatchObject({ outcome: 'error', answer: 'HTTP 400 Bad request' });
    expect(classifyPost(502, '<html>bad gateway</html>')).toMatchObject({ outcome: 'error', answer: 'HTTP 502 <html>bad gateway</html>' });
  });

  it('tells a break from an error on an upgrade', () => {
    expect(classifyUpgrade(101, '3probe')).toMatchObject({ outcome: 'ok' });
    // engine.io writes the refusal of an upgrade as plain text on the raw socket.
    expect(classifyUpgrade(400, 'Session ID unknown')).toMatchObject({ outcome: 'break' });
    expect(classifyUpgrade(101, '')).toMatchObject({ outcome: 'error', answer: '(no frame)' });
    expect(classifyUpgrade(400, 'Bad request').outcome).toBe('error');
  });
});

describe('engineioUrl', () => {
  const options = { path: '/socket.io/', version: 4 as const };
  it('builds polling and websocket URLs on the target origin, keeping its query', () => {
    expect(engineioUrl('http://app.test:8080/some/page?token=abc', options, { transport: 'polling' })).toBe(
      'http://app.test:8080/socket.io/?token=abc&EIO=4&transport=polling',
    );
    expect(engineioUrl('https://app.test/', { path: '/app/ws/', version: 3 }, { transport: 'websocket', sid: 'a-b_c' })).toBe(
      'https://app.test/app/ws/?EIO=3&transport=websocket&sid=a-b_c',
    );
  });
});
