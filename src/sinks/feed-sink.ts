import type { ClassificationEvent } from '../events/classification.js';
import type { EventSink } from '../ports.js';

/** What the sink needs of the websocket feed (the server's FeedHub), so neither imports the other. */
export interface FeedBroadcaster {
  broadcast(event: ClassificationEvent): void;
  /** Closes every client connection (shutdown). */
  closeAll(): void;
}

/**
 * Classification events → websocket clients. Best effort by nature (a client that is not
 * connected misses the event), so it accepts at once and never fails the batch.
 */
export class FeedSink implements EventSink {
  readonly name = 'websocket-feed';
  private closed = false;

  constructor(private readonly hub: FeedBroadcaster) {}

  async publish(events: readonly ClassificationEvent[]): Promise<void> {
    if (this.closed) return;
    for (const event of events) this.hub.broadcast(event);
  }

  isReady(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
  }
}
