import type { ClassificationEvent } from '../../events/classification.js';

/** One published event as the feed keeps it: its sequence, the episode's peak so far, and the serialized message. */
export interface FeedEntry {
  seq: number;
  event: ClassificationEvent;
  peakSeverity: number;
  /** The `event` message, serialized once for every client. */
  data: string;
}

/**
 * The last `capacity` feed entries in a fixed ring, for clients that resume. O(1) per push;
 * memory is bounded by `capacity` messages.
 */
export class FeedHistory {
  private readonly ring: (FeedEntry | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<FeedEntry | undefined>(Math.max(0, capacity));
  }

  get size(): number {
    return this.length;
  }

  push(entry: FeedEntry): void {
    if (this.capacity === 0) return;
    if (this.length < this.capacity) {
      this.ring[(this.start + this.length) % this.capacity] = entry;
      this.length++;
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Sequence of the oldest entry kept; undefined when empty. */
  oldestSeq(): number | undefined {
    return this.length === 0 ? undefined : this.ring[this.start]!.seq;
  }

  /** Entries with seq > afterSeq, oldest first. */
  *after(afterSeq: number): Generator<FeedEntry> {
    for (let i = 0; i < this.length; i++) {
      const entry = this.ring[(this.start + i) % this.capacity]!;
      if (entry.seq > afterSeq) yield entry;
    }
  }
}
