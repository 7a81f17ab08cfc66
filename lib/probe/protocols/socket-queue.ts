// The receiving half of a held socket, apart from any wire: frames queue as they arrive and `receive` takes them
// within its bounds. Isomorphic, so the Node socket and a relay-backed one keep frames the same way.
import { SOCKET_LIMITS } from '../spec';
import type { SocketClose, SocketFrame, SocketReceipt, SocketReceiveOptions } from '../types';

type Waiter = { wake: () => void };

export type QueueLimits = { [K in 'maxFrameChars' | 'maxQueuedFrames' | 'maxQueuedChars']: number };

export class SocketFrameQueue {
  private readonly frames: SocketFrame[] = [];
  private chars = 0;
  private waiter: Waiter | null = null;
  private closedWith: SocketClose | null = null;
  /** Frames dropped because the queue was full: the oldest go first, so the newest state is kept. */
  dropped = 0;

  constructor(private readonly limits: QueueLimits = SOCKET_LIMITS) {}

  get closed(): SocketClose | null {
    return this.closedWith;
  }

  push(text: string, binary: boolean): void {
    if (this.closedWith) return;
    const cut = text.length > this.limits.maxFrameChars;
    const frame = { text: cut ? text.slice(0, this.limits.maxFrameChars) : text, truncated: cut, binary };
    this.frames.push(frame);
    this.chars += frame.text.length;
    while (this.frames.length > this.limits.maxQueuedFrames || this.chars > this.limits.maxQueuedChars) {
      this.chars -= this.frames.shift()!.text.length;
      this.dropped++;
    }
    this.waiter?.wake();
  }

  close(close: SocketClose): void {
    this.closedWith ??= close;
    this.waiter?.wake();
  }

  /** Takes frames within `options`' bounds; waits for more until one matches, a bound is hit, or the socket closes. */
  async receive(options: SocketReceiveOptions, signal?: AbortSignal): Promise<SocketReceipt> {
    const out: SocketFrame[] = [];
    let chars = 0;
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      while (this.frames.length > 0) {
        if (out.length >= options.maxFrames) return this.receipt(out, 'max-frames');
        const frame = this.frames.shift()!;
        this.chars -= frame.text.length;
        const room = options.maxChars - chars;
        if (frame.text.length > room) {
          out.push({ ...frame, text: frame.text.slice(0, room), truncated: true });
          return this.receipt(out, 'max-chars');
        }
        out.push(frame);
        chars += frame.text.length;
        if (options.until === undefined || frame.text.includes(options.until)) return this.receipt(out, 'matched');
      }
      if (this.closedWith) return this.receipt(out, 'closed');
      if (signal?.aborted) return this.receipt(out, 'aborted');
      const left = deadline - Date.now();
      if (left <= 0) return this.receipt(out, 'timeout');
      await this.wait(left, signal);
    }
  }

  private receipt(frames: SocketFrame[], ended: SocketReceipt['ended']): SocketReceipt {
    return { frames, ended, closed: this.closedWith, dropped: this.dropped };
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiter = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiter = { wake: done };
    });
  }
}
