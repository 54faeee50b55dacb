/**
 * One client's server-sent event stream (`text/event-stream`). A client that reads slower than the console sends
 * does not make the runtime buffer without bound: once `maxBufferedBytes` wait unread, further events are dropped
 * (and counted) until the client catches up. Snapshots replace each other, so a dropped one costs nothing but
 * freshness.
 */
import { Readable } from 'node:stream';

export interface SseStreamOptions {
  /** @default 262144 (256 KiB) */
  readonly maxBufferedBytes?: number;
}

export class SseStream extends Readable {
  /** Events not sent because the client was behind. */
  dropped = 0;
  private readonly maxBufferedBytes: number;

  constructor(options: SseStreamOptions = {}) {
    super({ highWaterMark: 16 * 1024 });
    this.maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
  }

  override _read(): void {
    // Events are pushed as they happen; nothing to pull.
  }

  /** Queues `data` as event `event`; false when it was dropped (the client is behind, or gone). */
  send(event: string, data: unknown): boolean {
    return this.sendJson(event, JSON.stringify(data));
  }

  /** `send` for data already serialized (one serialization for every client of a broadcast). */
  sendJson(event: string, json: string): boolean {
    if (this.destroyed || this.readableEnded) return false;
    const frame = `event: ${event}\ndata: ${json}\n\n`;
    if (this.readableLength + frame.length > this.maxBufferedBytes) {
      this.dropped++;
      return false;
    }
    this.push(frame);
    return true;
  }

  /** A comment line: keeps proxies and the browser from timing the connection out. */
  ping(): void {
    if (!this.destroyed && this.readableLength === 0) this.push(': ping\n\n');
  }
}
