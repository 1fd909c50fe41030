import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { KafkaMetrics } from '../kafka/metrics.js';
import { backoffMs, type KafkaSection } from '../config/kafka.js';
import { ensureTopics, serviceTopics, type TopicSpec } from '../kafka/topics.js';
import type { Logger } from '../logging.js';
import { Sleeper } from '../util/sleeper.js';
import { AssignedLag, type PartitionState } from './kafka-lag.js';
import type { BatchHandler, MentionSource, PartitionStateHooks, RawRecord } from '../ports.js';

export interface KafkaSourceOptions {
  kafka: Kafka;
  config: KafkaSection;
  logger: Logger;
  metrics?: KafkaMetrics;
  /** Checked (and created when allowed) before consuming; default: the service's three topics. */
  topics?: readonly TopicSpec[];
  /** A batch the handler rejected ("retry later"): called before each wait. */
  onBatchError?: (error: Error, records: number) => void;
  /** Wall clock, injected for tests. */
  wallNowMs?: () => number;
  /**
   * Keyed state (docs/state.md): restored before a new partition's first batch, checkpointed
   * on revoke and at shutdown; it decides which offsets are safe to commit.
   */
  state?: PartitionStateHooks;
}

/** Errors meaning the group moved on (rebalance): kafkajs must rejoin, the batch is not ours to commit. */
const GROUP_CHANGED = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
function groupChanged(error: unknown): boolean {
  return GROUP_CHANGED.has((error as { type?: string }).type ?? '');
}

/**
 * The mentions topic as a `MentionSource`: a kafkajs consumer in a consumer group, everything
 * kafkajs-specific kept here (and in src/kafka/), so another client could replace it.
 *
 * Ack flow, per batch (one partition, autoCommit off): records → `handler` (resolves once the
 * mentions are in the engine and the events they caused are acknowledged by the sinks) → resolve
 * the last offset → commit. A rejected batch pauses its partition, waits (capped exponential
 * backoff, heartbeating) and is handed over again, never skipped. At-least-once: a crash before
 * the commit redelivers the batch. Redeliveries within one process (a failed commit, a consumer
 * restart after a broker outage, a partition that comes back after a rebalance) are handed over
 * again; the service does not ingest them twice (src/redelivery.ts).
 *
 * Time (`now()`): with `clock: 'wall'` the wall clock, but only while every assigned partition is
 * caught up; while behind (a backlog after a restart or an outage) NaN, so event time follows the
 * mentions and the backlog is not made late by a jump to the wall clock. `clock: 'records'`:
 * always NaN (replays of history).
 */
export class KafkaMentionSource implements MentionSource {
  readonly name = 'kafka';
  private readonly config: KafkaSection;
  private readonly logger: Logger;
  private readonly wallNowMs: () => number;
  private consumer: Consumer | undefined;
  private handler: BatchHandler | undefined;
  private lifecycle: Promise<void> | undefined;
  private stopping = false;
  private joined = false;
  private crashed = false;
  private lastFetchOkMs = 0;
  private batchInFlight = false;
  private lagTimer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private lagCheck: Promise<void> | undefined;
  private readonly startSleeper = new Sleeper();
  private readonly retrySleeper = new Sleeper();
  private readonly partitions = new Map<number, PartitionState>();
  /**
   * Per partition, the highest offset this process handed to the handler and had acknowledged: where
   * reading goes on after a rejoin, for the lag of a partition that had no batch since (its committed
   * offset can be behind, held back by the keyed state).
   */
  private readonly ackedThrough = new Map<number, bigint>();

  private readonly lag: AssignedLag;

  constructor(private readonly options: KafkaSourceOptions) {
    this.config = options.config;
    this.lag = new AssignedLag(options.kafka, options.config, options.metrics);
    this.logger = options.logger.child({ component: 'kafka-source' });
    this.wallNowMs = options.wallNowMs ?? Date.now;
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.lifecycle !== undefined || this.stopping) return;
    this.handler = handler;
    this.lifecycle = this.startUntilRunning();
  }

  /** Connects, checks topics, joins the group; retried with backoff until it works or stop(). */
  private async startUntilRunning(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.startConsumer();
        return;
      } catch (error) {
        await this.teardown();
        if (this.stopping) return;
        const waitMs = backoffMs(attempt, 1000, 30_000);
        this.logger.error({ err: error, attempt: attempt + 1, retryInMs: waitMs, brokers: this.config.brokers }, 'cannot start the Kafka consumer; retrying');
        await this.startSleeper.sleep(waitMs);
      }
    }
  }

  private async startConsumer(): Promise<void> {
    const { kafka } = this.options;
    const c = this.config;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, this.options.topics ?? serviceTopics(c), c, this.logger);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (this.stopping) return;
    const consumer = kafka.consumer({
      groupId: c.groupId,
      sessionTimeout: c.sessionTimeoutMs,
      rebalanceTimeout: Math.max(60_000, c.sessionTimeoutMs),
      heartbeatInterval: c.heartbeatIntervalMs,
      maxWaitTimeInMs: c.maxWaitTimeMs,
      maxBytesPerPartition: c.maxBytesPerPartition,
      maxBytes: c.maxBytes,
      allowAutoTopicCreation: false,
      retry: {
        initialRetryTime: 300,
        maxRetryTime: 10_000,
        retries: 8,
        // kafkajs asks only for retriable errors (broker gone, leader moved): always restart.
        restartOnFailure: async () => !this.stopping,
      },
    });
    this.consumer = consumer;
    this.listen(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [c.mentionsTopic], fromBeginning: c.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.lagTimer ??= setInterval(() => void this.checkLag(), c.lagIntervalMs);
    this.lagTimer.unref();
    if (this.options.state !== undefined) {
      // A caught-up partition gets no batches: its last snapshots and offsets are written from here.
      this.stateTimer ??= setInterval(() => void this.checkpointIdle(), c.heartbeatIntervalMs);
      this.stateTimer.unref();
    }
  }

  private listen(consumer: Consumer): void {
    const { events } = consumer;
    const metrics = this.options.metrics;
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment[this.config.mentionsTopic] ?? [];
      const recovered = this.crashed;
      this.joined = true;
      this.crashed = false;
      this.lastFetchOkMs = this.wallNowMs();
      this.partitions.clear();
      for (const p of assigned) this.partitions.set(p, { behind: undefined, delivered: false });
      this.options.state?.assigned(assigned);
      metrics?.rebalances.inc();
      metrics?.consumerLag.reset();
      this.logger.info(
        { groupId: payload.groupId, memberId: payload.memberId, leader: payload.isLeader, partitions: assigned, durationMs: payload.duration, recovered },
        recovered ? 'Kafka consumer recovered: rejoined the group' : 'joined the consumer group',
      );
      void this.checkLag();
    });
    consumer.on(events.REBALANCING, ({ payload }) => {
      this.options.state?.revoking();
      this.logger.info({ groupId: payload.groupId }, 'consumer group rebalancing: partitions are revoked and reassigned');
    });
    consumer.on(events.FETCH, () => {
      this.lastFetchOkMs = this.wallNowMs();
    });
    consumer.on(events.CRASH, ({ payload }) => {
      this.joined = false;
      if (this.stopping) return;
      this.crashed = true;
      metrics?.consumerCrashes.inc({ restart: String(payload.restart) });
      if (payload.restart) {
        this.logger.error({ err: payload.error }, 'Kafka consumer crashed (broker unreachable or retries exhausted); kafkajs restarts it');
        return;
      }
      this.logger.error({ err: payload.error }, 'Kafka consumer crashed with a non-retriable error; restarting it');
      this.lifecycle = (this.lifecycle ?? Promise.resolve()).then(async () => {
        await this.teardown();
        await this.startUntilRunning();
      });
    });
    consumer.on(events.DISCONNECT, () => {
      this.joined = false;
      if (!this.stopping) this.logger.warn('Kafka consumer disconnected');
    });
    consumer.on(events.STOP, () => {
      this.joined = false;
    });
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat } = payload;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    const { topic, partition } = batch;
    const state = this.partitions.get(partition) ?? { behind: undefined, delivered: false };
    this.partitions.set(partition, state);
    // Known before the handler runs, so now() during this batch already says "behind".
    state.behind = Number(batch.offsetLag()) > 0;
    state.delivered = true;
    // Redeliveries of records this process already ingested are skipped by the service.
    const records: RawRecord[] = batch.messages.map((m) => ({ value: m.value, key: m.key, origin: { source: 'kafka', topic, partition, offset: m.offset, timestamp: m.timestamp } }));

    // A newly assigned partition's keys are restored before any of its records is handled.
    if (this.options.state !== undefined) await this.waitHeartbeatingFor(this.options.state.ready(partition), heartbeat);
    if (!(await this.handleUntilAcknowledged(records, payload))) return; // unresolved: redelivered to the owner
    this.ackedThrough.set(partition, BigInt(last.offset));

    resolveOffset(last.offset);
    // Set before the commit: whoever sees the offsets committed sees the lag they leave.
    this.options.metrics?.consumerLag.set({ topic, partition: String(partition) }, Math.max(0, Number(batch.offsetLag())));
    await this.commit(payload, last.offset);
    try {
      await heartbeat();
    } catch (error) {
      if (groupChanged(error)) throw error;
    }
  }

  /**
   * Hands the batch to the handler until it is acknowledged, pausing the partition and backing
   * off between attempts; false when this member should stop trying (stopping, rebalanced away).
   */
  private async handleUntilAcknowledged(records: readonly RawRecord[], payload: EachBatchPayload): Promise<boolean> {
    const { batch, heartbeat, isRunning, isStale, pause } = payload;
    this.batchInFlight = true;
    let resume: (() => void) | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.stopping || !isRunning() || isStale()) return false;
        try {
          await this.handler!(records);
          return true;
        } catch (error) {
          this.options.metrics?.batchRetries.inc();
          const waitMs = backoffMs(attempt, this.config.batchRetryInitialMs, this.config.batchRetryMaxMs);
          if (this.options.onBatchError) this.options.onBatchError(error as Error, records.length);
          else this.logger.error({ err: error, topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset(), records: records.length, retryInMs: waitMs }, 'batch not acknowledged; retrying');
          // Stop fetching this partition while the sinks recover; the batch is retried as it is.
          resume ??= pause();
          await this.waitHeartbeating(waitMs, heartbeat);
        }
      }
    } finally {
      resume?.();
      this.batchInFlight = false;
    }
  }

  /** Commits what the batch through `lastOffset` makes safe: every offset, or with keyed state only those in written snapshots. */
  private async commit(payload: EachBatchPayload, lastOffset: string): Promise<void> {
    const { batch, commitOffsetsIfNecessary, uncommittedOffsets } = payload;
    const { topic, partition } = batch;
    try {
      if (this.options.state !== undefined) {
        // Only offsets whose mentions are in written snapshots (docs/state.md).
        const safe = await this.options.state.afterBatch(partition, lastOffset);
        if (safe !== undefined && safe.size > 0) {
          await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [...safe].map(([p, offset]) => ({ partition: p, offset })) }] });
        }
      } else {
        // autoCommit is off: without explicit offsets, commitOffsetsIfNecessary() would commit nothing.
        await commitOffsetsIfNecessary(uncommittedOffsets());
      }
    } catch (error) {
      if (groupChanged(error)) {
        this.logger.warn({ err: error, topic, partition, offset: lastOffset }, 'offset commit refused: the group is rebalancing; the partition\'s next owner may process the batch again (at-least-once)');
        throw error;
      }
      this.logger.warn({ err: error, topic, partition, offset: lastOffset }, 'offset commit failed; the next batch\'s commit includes these offsets');
    }
  }

  /** Sleeps `ms`, heartbeating so the group keeps this member; a rebalance ends the wait with its error. */
  private async waitHeartbeating(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = this.wallNowMs() + ms;
    while (!this.stopping) {
      const left = until - this.wallNowMs();
      if (left <= 0) return;
      await this.retrySleeper.sleep(Math.min(left, this.config.heartbeatIntervalMs));
      try {
        await heartbeat();
      } catch (error) {
        if (groupChanged(error)) throw error;
      }
    }
  }

  /** Waits for `work`, heartbeating meanwhile so a long restore does not cost the group membership. */
  private async waitHeartbeatingFor(work: Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
      this.retrySleeper.wake();
    });
    while (!settled && !this.stopping) {
      await Promise.race([watched.catch(() => undefined), this.retrySleeper.sleep(this.config.heartbeatIntervalMs)]);
      if (settled) break;
      try {
        await heartbeat();
      } catch (error) {
        if (groupChanged(error)) throw error;
      }
    }
    await watched;
  }

  /** Lag of the assigned partitions from committed and end offsets (admin), for partitions without batches yet. */
  private checkLag(): Promise<void> {
    this.lagCheck ??= this.checkLagNow()
      .catch((error: unknown) => this.logger.debug({ err: error }, 'lag check failed'))
      .finally(() => {
        this.lagCheck = undefined;
      });
    return this.lagCheck;
  }

  private async checkLagNow(): Promise<void> {
    if (this.stopping || !this.joined || this.partitions.size === 0) return;
    await this.lag.measure(this.partitions, this.ackedThrough);
  }

  private async teardown(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.joined = false;
    await consumer?.disconnect().catch((error: unknown) => this.logger.warn({ err: error }, 'disconnecting the Kafka consumer failed'));
  }

  /** Stops fetching, lets the batch in flight end (unacknowledged batches are not committed), leaves the group. */
  async stop(): Promise<void> {
    if (this.stopping) return this.lifecycle;
    this.stopping = true;
    clearInterval(this.lagTimer);
    clearInterval(this.stateTimer);
    this.startSleeper.wake();
    this.retrySleeper.wake();
    const stopped = (async () => {
      await this.lifecycle;
      await this.checkpointBeforeLeaving();
      await this.teardown();
      await this.lagCheck;
      await this.lag.close();
      this.logger.info('Kafka consumer stopped');
    })();
    this.lifecycle = stopped;
    return stopped;
  }

  private async checkpointIdle(): Promise<void> {
    const state = this.options.state;
    const consumer = this.consumer;
    if (state === undefined || consumer === undefined || this.stopping || !this.joined || this.batchInFlight) return;
    try {
      const safe = await state.idle();
      if (safe !== undefined && safe.size > 0 && this.joined && !this.stopping) {
        await consumer.commitOffsets([...safe].map(([partition, offset]) => ({ topic: this.config.mentionsTopic, partition, offset })));
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'idle checkpoint or commit failed; retried at the next one');
    }
  }

  /** Shutdown with keyed state: write every dirty key and commit what that covers, while still in the group. */
  private async checkpointBeforeLeaving(): Promise<void> {
    const state = this.options.state;
    const consumer = this.consumer;
    if (state === undefined || consumer === undefined) return;
    try {
      const safe = await state.flush();
      if (this.joined && safe.size > 0) {
        await consumer.commitOffsets([...safe].map(([partition, offset]) => ({ topic: this.config.mentionsTopic, partition, offset })));
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'final checkpoint or commit failed; the next owner replays from the last committed offsets');
    }
  }

  /**
   * In the group and fetching: a successful fetch within the last few seconds, or a batch in
   * the handler (slow sinks report their own readiness).
   */
  isReady(): boolean {
    if (this.stopping || !this.joined) return false;
    if (this.batchInFlight || this.partitions.size === 0) return true;
    return this.wallNowMs() - this.lastFetchOkMs < 5000 + 2 * this.config.maxWaitTimeMs;
  }

  /** The wall clock in both modes: a mention cannot be dated after the moment it is read, replayed history included. */
  latestPossibleMs(): number {
    return this.wallNowMs();
  }

  now(): number {
    if (this.config.clock === 'records' || !this.joined || this.partitions.size === 0) return Number.NaN;
    for (const state of this.partitions.values()) if (state.behind !== false) return Number.NaN;
    return this.wallNowMs();
  }
}
