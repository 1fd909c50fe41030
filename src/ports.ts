/**
 * The ports: what the service asks of the adapters around it (sources of records, sinks of events
 * and dead letters), defined here so that the core and the adapters both depend on this module and
 * never on each other.
 */
import type { ClassificationEvent } from './events/classification.js';
import type { RejectReason } from './events/mention.js';

/** One raw input record, as any source delivers it, before parsing. */
export interface RawRecord {
  /** The record's bytes (Kafka) or text (a line of a file, the simulator's JSON). */
  readonly value: Uint8Array | string | null;
  /** Where it came from, for dead letters and logs: topic/partition/offset, file:line, "simulator". */
  readonly origin: RecordOrigin;
  /** The record's key (Kafka), kept for its dead letter; not part of the origin, which logs print. */
  readonly key?: Uint8Array | null;
}

export interface RecordOrigin {
  readonly source: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
  readonly line?: number;
  /** The Kafka record's timestamp (epoch ms as text). */
  readonly timestamp?: string;
}

/**
 * Called by a source with each batch, in order; a batch is one stream's records (a Kafka
 * partition's, a file's lines) in the order of that stream. The promise resolves once every mention of the
 * batch is in the engine and every classification event it caused is acknowledged by the sinks;
 * only then may the source commit the batch (at-least-once). A rejection means "retry later".
 */
export type BatchHandler = (batch: readonly RawRecord[]) => Promise<void>;

/** A stream of mentions: the embedded simulator, a file replay, or a Kafka consumer group. */
export interface MentionSource {
  readonly name: string;
  start(handler: BatchHandler): Promise<void>;
  /** Stops delivering; resolves when no batch is in flight any more. Idempotent. */
  stop(): Promise<void>;
  /** Connected and delivering (or able to). */
  isReady(): boolean;
  /**
   * The source's present in event time, for the tick that ends storms on quiet keys: the wall
   * clock for live sources, the accelerated clock for the simulator.
   */
  now(): number;
  /**
   * The latest time a mention can truly carry (the wall clock, or the simulator's): one dated
   * more than `input.maxFutureMs` after it is rejected, caught up or not. NaN when the source has
   * no such clock (a file of history, which is judged by its own records instead).
   */
  latestPossibleMs(): number;
}

/** Somewhere classification events go: the Kafka alert topic, the websocket feed, a file. */
export interface EventSink {
  readonly name: string;
  /** Resolves when the sink has durably accepted the events (Kafka: acknowledged by the broker). */
  publish(events: readonly ClassificationEvent[]): Promise<void>;
  isReady(): boolean;
  /** Connects in the background (the Kafka producer), if the sink needs to; called once by the service's start. */
  start?(): void;
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

/**
 * What the Kafka source calls at the points of a partition's life (kept free of kafkajs types):
 * assignment, the start of a rebalance, before and after each batch, and at shutdown.
 */
export interface PartitionStateHooks {
  /** The whole new assignment (kafkajs rebalances eagerly): restore the gained partitions, drop the lost. */
  assigned(partitions: readonly number[]): void;
  /** A rebalance began: write what is dirty while the partitions are still ours. */
  revoking(): void;
  /** Resolves once the partition's keys are restored (at once for a partition already here). */
  ready(partition: number): Promise<void>;
  /**
   * A batch of `partition` is handled through `lastOffset`. Checkpoints when due; returns the
   * offsets (partition → next offset to read) that are safe to commit now, or undefined.
   */
  afterBatch(partition: number, lastOffset: string): Promise<Map<number, string> | undefined>;
  /** No batch for a while (called on a timer): checkpoints when due; returns offsets safe to commit, or undefined. */
  idle(): Promise<Map<number, string> | undefined>;
  /** Shutdown: writes every dirty key; returns the offsets safe to commit. */
  flush(): Promise<Map<number, string>>;
}

/** What the service calls per mention (kept free of Kafka). */
export interface KeyedState {
  /** Is this record already included in a restored snapshot of its key? (Then it is not ingested again.) */
  included(key: string, origin: RecordOrigin): boolean;
  /** A mention of `key` changed the engine's state. */
  touched(key: string, origin: RecordOrigin): void;
  isRestoring(): boolean;
}

/**
 * Told when keys move between instances, so that each instance's board, feed and gauges show the
 * open episodes it holds: the episode goes on under the same id on the new owner.
 */
export interface EpisodeHandover {
  /** Keys whose partition moved away: their open episodes are no longer shown here (they have not ended). */
  retract(keys: ReadonlySet<string>): void;
  /** Open episodes restored with their keys (their latest event): shown as they were, not announced again. */
  inherit(events: readonly ClassificationEvent[]): void;
}
