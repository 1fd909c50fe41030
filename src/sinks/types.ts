import type { ClassificationEvent } from '../events/classification.js';
import type { RejectReason } from '../events/mention.js';
import type { RecordOrigin } from '../sources/types.js';

/** Somewhere classification events go: the Kafka alert topic, the websocket feed, a file. */
export interface EventSink {
  readonly name: string;
  /** Resolves when the sink has durably accepted the events (Kafka: acknowledged by the broker). */
  publish(events: readonly ClassificationEvent[]): Promise<void>;
  isReady(): boolean;
  /** Flushes and releases resources. Idempotent. */
  close(): Promise<void>;
}

/** A rejected input record with everything needed to look at it or replay it later. */
export interface DeadLetter {
  readonly reason: RejectReason;
  readonly detail: string;
  readonly value: Uint8Array | string | null;
  readonly origin: RecordOrigin;
  /** The record's key as it arrived (Kafka), for the dead-letter record. */
  readonly key?: Uint8Array | null;
  readonly rejectedAt: string;
}

export interface DeadLetterSink {
  readonly name: string;
  write(letters: readonly DeadLetter[]): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
}
