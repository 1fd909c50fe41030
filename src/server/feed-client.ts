import type { WebSocket } from 'ws';
import { Filter } from './protocol/filter.js';

/** WebSocket readyState OPEN (the `ws` constant, without importing the runtime module). */
const OPEN = 1;
/**
 * Bytes handed to the socket before further messages wait in the client's own queue. Small, so a
 * slow client's close frame (4409) is not stuck behind megabytes the server can no longer take back.
 */
const SEND_WINDOW_BYTES = 64 * 1024;

export interface FeedClientLimits {
  /** Messages waiting in the client's queue at most; one more and the client is cut (4409). */
  maxQueuedMessages: number;
  /** Bytes queued plus bytes buffered by the socket at most; more and the client is cut (4409). */
  maxBufferedBytes: number;
}

/**
 * One connected websocket client: its subscription and a bounded send queue. `enqueue` never
 * blocks and never awaits: a message goes to the socket while the socket's own buffer is below a
 * small window, otherwise into the queue, drained as the socket writes. A queue over its bounds
 * makes `enqueue` return false; the hub then cuts the client.
 */
export class FeedClient {
  /** Messages handed to the socket. */
  sent = 0;
  /** `pending` until the subscription starts (subscribe, or the grace passing), then `live`. */
  state: 'pending' | 'live' | 'closed' = 'pending';
  filter: Filter = Filter.all;
  /** Wall time of the last sign of life (message or pong), for the idle time-out. */
  lastSeenMs: number;
  graceTimer: NodeJS.Timeout | undefined;
  private queue: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  private readonly onWritten = (): void => this.flush();

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    private readonly limits: FeedClientLimits,
    nowMs: number,
  ) {
    this.lastSeenMs = nowMs;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queues one serialized message; false when the client is over its bounds (the message is not kept). */
  enqueue(data: string): boolean {
    if (this.state === 'closed' || this.socket.readyState !== OPEN) return true;
    if (this.queued === 0 && this.socket.bufferedAmount < SEND_WINDOW_BYTES) {
      this.write(data);
      return true;
    }
    if (this.queued >= this.limits.maxQueuedMessages || this.queuedBytes + data.length + this.socket.bufferedAmount > this.limits.maxBufferedBytes) return false;
    this.queue.push(data);
    this.queuedBytes += data.length;
    return true;
  }

  /** Hands queued messages to the socket while its buffer is below the window. */
  flush(): void {
    while (this.queued > 0 && this.state !== 'closed' && this.socket.readyState === OPEN && this.socket.bufferedAmount < SEND_WINDOW_BYTES) {
      const data = this.queue[this.head]!;
      this.queue[this.head++] = '';
      this.queuedBytes -= data.length;
      this.write(data);
    }
    if (this.head > 0 && (this.queued === 0 || this.head >= 1024)) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Empties the queue (the client is being cut); returns how many messages it held. */
  discard(): number {
    const n = this.queued;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    return n;
  }

  private write(data: string): void {
    // The callback runs once the socket has taken the bytes: the moment to hand over more.
    this.socket.send(data, this.onWritten);
    this.sent++;
  }
}
