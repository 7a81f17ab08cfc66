import { describe, expect, it } from 'vitest';
import { SocketFrameQueue } from './socket-queue';

const bounds = { maxFrames: 100, maxChars: 1000, timeoutMs: 0 };

describe('a held socket’s frame queue', () => {
  it('returns up to the frame that matches and keeps the rest for the next call', async () => {
    const q = new SocketFrameQueue();
    for (const f of ['{"config":1}', '{"busy":"busy"}', '{"values":{}}', '{"busy":"idle"}']) q.push(f, false);
    const got = await q.receive({ ...bounds, until: '"values"' });
    expect(got).toMatchObject({ ended: 'matched', closed: null, dropped: 0 });
    expect(got.frames.map((f) => f.text)).toEqual(['{"config":1}', '{"busy":"busy"}', '{"values":{}}']);
    expect((await q.receive(bounds)).frames.map((f) => f.text)).toEqual(['{"busy":"idle"}']);
  });

  it('waits for a frame that arrives later, and gives up at the timeout', async () => {
    const q = new SocketFrameQueue();
    const waiting = q.receive({ ...bounds, timeoutMs: 5000, until: 'b' });
    q.push('a', false);
    q.push('b', false);
    expect((await waiting).ended).toBe('matched');
    expect(await q.receive({ ...bounds, timeoutMs: 20 })).toMatchObject({ frames: [], ended: 'timeout' });
  });

  it('bounds frames, characters and the queue; says when the socket closed', async () => {
    const q = new SocketFrameQueue({ maxFrameChars: 5, maxQueuedFrames: 3, maxQueuedChars: 100 });
    q.push('123456789', false);
    for (const f of ['a', 'b', 'c']) q.push(f, false);
    // The queue holds three frames: the cut first one was dropped as the oldest.
    const first = await q.receive({ ...bounds, maxFrames: 2, until: 'zzz' });
    expect(first).toMatchObject({ ended: 'max-frames', dropped: 1 });
    q.push('0123', false);
    const cut = await q.receive({ ...bounds, maxChars: 3, until: 'zzz' });
    expect(cut.ended).toBe('max-chars');
    expect(cut.frames).toEqual([{ text: 'c', truncated: false, binary: false }, { text: '01', truncated: true, binary: false }]);
    q.close({ code: 1001, reason: 'going away' });
    q.push('late', false);
    expect(await q.receive({ ...bounds, timeoutMs: 5000 })).toMatchObject({ frames: [], ended: 'closed', closed: { code: 1001, reason: 'going away' } });
  });

  it('a stop ends the wait', async () => {
    const q = new SocketFrameQueue();
    const stop = new AbortController();
    const waiting = q.receive({ ...bounds, timeoutMs: 60_000 }, stop.signal);
    stop.abort();
    expect((await waiting).ended).toBe('aborted');
  });
});
