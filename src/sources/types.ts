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
 * Called by a source with each batch, in order. The promise resolves once every mention of the
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
