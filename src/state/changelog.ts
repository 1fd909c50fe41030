import kafkajs from 'kafkajs';
import type { Admin, IHeaders, Kafka, Message, Producer } from 'kafkajs';
import type { DetectionEngine } from '../detect/engine.js';
import type { ClassificationEvent } from '../events/classification.js';
import { SnapshotError } from '../detect/snapshot.js';
import type { Logger } from '../logging.js';
import type { EpisodeHandover, KeyedState, PartitionStateHooks, RecordOrigin } from '../ports.js';
import type { StateMetrics } from './metrics.js';
import { OFFSET_HEADER, PARTITION_HEADER } from './headers.js';
import { readLatestSnapshots, type LatestSnapshot } from './restore.js';

export interface StateSection {
  enabled: boolean;
  topic: string;
  checkpointIntervalMs: number;
  maxWritesPerSecond: number;
  restoreTimeoutMs: number;
}

/** What the store needs of the engine: each key's state out and in. */
export type EngineKeys = Pick<DetectionEngine, 'exportKey' | 'importKey' | 'dropKey' | 'openEpisodeEvent'>;

export interface ChangelogOptions {
  kafka: Kafka;
  /** The engine whose keys the store checkpoints and restores. */
  engine: EngineKeys;
  config: StateSection;
  groupId: string;
  mentionsTopic: string;
  createTopics: boolean;
  replicationFactor: number;
  logger: Logger;
  metrics?: StateMetrics;
  handover?: EpisodeHandover;
  wallNowMs?: () => number;
}

interface Dirty {
  partition: number;
  /** First offset of this key not in a written snapshot. */
  first: bigint;
  /** Latest offset of this key folded into the engine. */
  last: bigint;
}

const { Partitioners } = kafkajs;

const SEND_CHUNK = 500;

/** `<mentions topic>-state` unless configured. */
export function changelogTopic(config: StateSection, mentionsTopic: string): string {
  return config.topic !== '' ? config.topic : `${mentionsTopic}-state`;
}

function partitionOf(origin: RecordOrigin): number | undefined {
  return origin.partition;
}

/**
 * Keyed state on a compacted changelog topic, the Kafka Streams way (docs/state.md):
 * - the changelog has the mentions topic's partition count, and a key's snapshot goes to the
 *   partition its mentions come from, so changelog partition p holds exactly the keys of p;
 * - dirty keys (changed by a mention since their last snapshot) are written every
 *   `checkpointIntervalMs`, at most `maxWritesPerSecond`, on revoke and at shutdown; each
 *   snapshot carries the offset through which it includes the key's mentions;
 * - offsets are committed only up to the first mention not yet in a written snapshot, so a
 *   crash replays from there; replayed mentions a snapshot already includes are skipped
 *   (counted once), but still move event time as they did the first time;
 * - a newly assigned partition is restored (changelog read from the start to its end offset)
 *   before any of its batches is handled; /readyz says not ready meanwhile.
 */
export class ChangelogStore implements PartitionStateHooks, KeyedState {
  readonly topic: string;
  private readonly engine: EngineKeys;
  private readonly logger: Logger;
  private readonly wallNowMs: () => number;
  private producer: Producer | undefined;
  private producerReady: Promise<void> | undefined;
  private readonly owned = new Set<number>();
  private readonly restores = new Map<number, Promise<void>>();
  private restoring = 0;
  private readonly keyPartition = new Map<string, number>();
  private readonly dirty = new Map<string, Dirty>();
  /** Per partition, the last offset handed to afterBatch (every record through it is handled). */
  private readonly handled = new Map<number, bigint>();
  /** Restored keys: their snapshot includes the mentions through this offset. */
  private readonly restoredThrough = new Map<string, bigint>();
  private lastCheckpointMs = 0;
  private tokens: number;
  private tokensAtMs = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private topicChecked: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ChangelogOptions) {
    this.topic = changelogTopic(options.config, options.mentionsTopic);
    this.engine = options.engine;
    this.logger = options.logger.child({ component: 'state' });
    this.wallNowMs = options.wallNowMs ?? Date.now;
    this.tokens = options.config.maxWritesPerSecond;
  }

  /** Creates the compacted changelog with the mentions topic's partition count, or checks it. */
  async ensureTopic(admin: Admin): Promise<void> {
    const meta = await admin.fetchTopicMetadata({ topics: [this.options.mentionsTopic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    const existing = new Set(await admin.listTopics());
    if (!existing.has(this.topic)) {
      if (!this.options.createTopics) throw new Error(`changelog topic ${this.topic} does not exist and kafka.createTopics is false`);
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.topic,
            numPartitions: partitions,
            replicationFactor: this.options.replicationFactor,
            configEntries: [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'min.compaction.lag.ms', value: '0' },
              { name: 'segment.ms', value: String(6 * 3_600_000) },
            ],
          },
        ],
      });
      this.logger.info({ topic: this.topic, partitions }, 'created the compacted state changelog');
      return;
    }
    const own = await admin.fetchTopicMetadata({ topics: [this.topic] });
    const have = own.topics[0]?.partitions.length ?? 0;
    if (have !== partitions) throw new Error(`changelog ${this.topic} has ${have} partitions, the mentions topic ${partitions}: they must be co-partitioned`);
  }

  isRestoring(): boolean {
    return this.restoring > 0;
  }

  included(key: string, origin: RecordOrigin): boolean {
    if (this.restoredThrough.size === 0 || origin.offset === undefined) return false;
    const through = this.restoredThrough.get(key);
    if (through === undefined) return false;
    if (BigInt(origin.offset) <= through) {
      this.options.metrics?.replaySkipped.inc();
      return true;
    }
    this.restoredThrough.delete(key); // past its snapshot: from here on every mention is new
    return false;
  }

  touched(key: string, origin: RecordOrigin): void {
    const partition = partitionOf(origin);
    if (partition === undefined || origin.offset === undefined) return;
    const offset = BigInt(origin.offset);
    this.keyPartition.set(key, partition);
    const d = this.dirty.get(key);
    if (d === undefined) this.dirty.set(key, { partition, first: offset, last: offset });
    else if (offset > d.last) d.last = offset;
  }

  assigned(partitions: readonly number[]): void {
    const next = new Set(partitions);
    const lost = [...this.owned].filter((p) => !next.has(p));
    const gained = partitions.filter((p) => !this.owned.has(p));
    this.owned.clear();
    for (const p of partitions) this.owned.add(p);
    if (lost.length > 0) void this.serialize(() => this.dropPartitions(lost));
    if (gained.length > 0) {
      const restore = this.restoreUntilDone(gained);
      for (const p of gained) this.restores.set(p, restore);
    }
  }

  revoking(): void {
    void this.serialize(() => this.checkpoint(true)).catch((error: unknown) => this.logger.warn({ err: error }, 'checkpoint on revoke failed; the next owner replays from the committed offsets'));
  }

  async ready(partition: number): Promise<void> {
    await this.restores.get(partition);
  }

  async afterBatch(partition: number, lastOffset: string): Promise<Map<number, string> | undefined> {
    const offset = BigInt(lastOffset);
    if ((this.handled.get(partition) ?? -1n) < offset) this.handled.set(partition, offset);
    this.options.metrics?.dirtyKeys.set(this.dirty.size);
    if (this.wallNowMs() - this.lastCheckpointMs < this.options.config.checkpointIntervalMs) return undefined;
    return this.serialize(async () => {
      await this.checkpoint(false);
      return this.committable();
    });
  }

  async idle(): Promise<Map<number, string> | undefined> {
    if (this.handled.size === 0 || this.wallNowMs() - this.lastCheckpointMs < this.options.config.checkpointIntervalMs) return undefined;
    return this.serialize(async () => {
      await this.checkpoint(false);
      return this.committable();
    });
  }

  flush(): Promise<Map<number, string>> {
    return this.serialize(async () => {
      await this.checkpoint(true);
      return this.committable();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  /**
   * Restores `partitions`, retrying with backoff until it works or they are no longer assigned:
   * their batches wait meanwhile (`ready`), so a failed restore never lets a partition run cold
   * and uncommitted. Not ready (`isRestoring`) until done.
   */
  private async restoreUntilDone(partitions: readonly number[]): Promise<void> {
    this.restoring++;
    this.options.metrics?.restoring.set(1);
    try {
      for (let attempt = 0; !this.closed; attempt++) {
        const still = partitions.filter((p) => this.owned.has(p));
        if (still.length === 0) return;
        try {
          await this.serialize(() => this.restorePartitions(still));
          return;
        } catch (error) {
          const retryInMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
          this.logger.error({ err: error, partitions: still, attempt: attempt + 1, retryInMs }, 'state restore failed; retrying (the partitions wait)');
          await new Promise((resolve) => setTimeout(resolve, retryInMs).unref());
        }
      }
    } finally {
      this.restoring--;
      this.options.metrics?.restoring.set(this.restoring > 0 ? 1 : 0);
    }
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Per owned partition: the next offset to read after a crash (the first not in a written snapshot). */
  private committable(): Map<number, string> {
    const out = new Map<number, bigint>();
    for (const [p, h] of this.handled) if (this.owned.has(p)) out.set(p, h + 1n);
    for (const d of this.dirty.values()) {
      const at = out.get(d.partition);
      if (at !== undefined && d.first < at) out.set(d.partition, d.first);
    }
    return new Map([...out].map(([p, o]) => [p, o.toString()]));
  }

  private async ensureProducer(): Promise<Producer> {
    if (this.producer === undefined) {
      // Every snapshot names its partition; the partitioner is set only so kafkajs does not warn.
      const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      this.producer = producer;
      this.producerReady = producer.connect();
    }
    await this.producerReady;
    return this.producer;
  }

  /** Writes dirty keys (all of them when `all`, else within the write-rate budget), oldest first. */
  private async checkpoint(all: boolean): Promise<void> {
    const engine = this.engine;
    this.lastCheckpointMs = this.wallNowMs();
    if (this.dirty.size === 0) return;
    const now = this.wallNowMs();
    const rate = this.options.config.maxWritesPerSecond;
    this.tokens = Math.min(rate * Math.max(1, this.options.config.checkpointIntervalMs / 1000), this.tokens + ((now - this.tokensAtMs) / 1000) * rate);
    this.tokensAtMs = now;
    let entries = [...this.dirty].filter(([, d]) => this.owned.has(d.partition) || all);
    entries.sort((a, b) => (a[1].first < b[1].first ? -1 : a[1].first > b[1].first ? 1 : 0));
    if (!all) entries = entries.slice(0, Math.max(0, Math.floor(this.tokens)));
    if (entries.length === 0) return;
    const producer = await this.ensureProducer();
    let bytes = 0;
    for (let i = 0; i < entries.length; i += SEND_CHUNK) {
      const chunk = entries.slice(i, i + SEND_CHUNK);
      const written = chunk.map(([, d]) => d.last);
      const messages: Message[] = chunk.map(([key, d]) => {
        const value = engine.exportKey(key);
        const through = this.handled.get(d.partition) ?? -1n;
        const headers: IHeaders = { [OFFSET_HEADER]: (d.last > through ? d.last : through).toString(), [PARTITION_HEADER]: String(d.partition) };
        if (value !== undefined) bytes += value.length;
        return { key, value: value === undefined ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength), partition: d.partition, headers };
      });
      await producer.send({ topic: this.topic, acks: -1, messages });
      // Only now are these keys safe: a mention that arrived meanwhile made them dirty again.
      chunk.forEach(([key, d], i) => {
        if (this.dirty.get(key) !== d) return;
        if (d.last === written[i]) this.dirty.delete(key);
        else d.first = written[i]! + 1n;
      });
    }
    this.tokens -= entries.length;
    this.options.metrics?.snapshotsWritten.inc(entries.length);
    this.options.metrics?.snapshotBytes.inc(bytes);
    this.options.metrics?.dirtyKeys.set(this.dirty.size);
    this.logger.debug({ keys: entries.length, bytes, left: this.dirty.size }, 'checkpoint written');
  }

  private async dropPartitions(lost: number[]): Promise<void> {
    const set = new Set(lost);
    const engine = this.engine;
    const dropped = new Set<string>();
    for (const [key, p] of this.keyPartition) {
      if (!set.has(p)) continue;
      engine.dropKey(key);
      this.keyPartition.delete(key);
      this.dirty.delete(key);
      this.restoredThrough.delete(key);
      dropped.add(key);
    }
    if (dropped.size > 0) this.options.handover?.retract(dropped);
    for (const p of lost) {
      this.handled.delete(p);
      this.restores.delete(p);
    }
    this.logger.info({ partitions: lost, keys: dropped.size }, 'partitions revoked: their keys dropped (the new owner restores them)');
  }

  /**
   * Reads changelog partitions from the start to their end offsets and imports the keys. A failure
   * throws: not restoring would mean cold baselines, so restoreUntilDone tries again and the
   * partition's batches wait.
   */
  private async restorePartitions(partitions: number[]): Promise<void> {
    const startMs = this.wallNowMs();
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      // First assignment: the source has checked the mentions topic; the changelog follows it.
      this.topicChecked ??= this.ensureTopic(admin).catch((error: unknown) => {
        this.topicChecked = undefined;
        throw error;
      });
      await this.topicChecked;
      const latest = await readLatestSnapshots({ kafka: this.options.kafka, admin, topic: this.topic, groupId: this.options.groupId, partitions, timeoutMs: this.options.config.restoreTimeoutMs });
      const { restored, inherited } = this.importSnapshots(latest);
      if (inherited.length > 0) this.options.handover?.inherit(inherited);
      const seconds = (this.wallNowMs() - startMs) / 1000;
      this.options.metrics?.keysRestored.inc(restored);
      this.options.metrics?.restoreSeconds.observe(seconds);
      this.logger.info({ partitions, keys: restored, openEpisodes: inherited.map((e) => e.episodeId), seconds }, 'state restored');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Imports the snapshots into the engine; a snapshot it refuses leaves its key cold (counted). */
  private importSnapshots(latest: ReadonlyMap<string, LatestSnapshot>): { restored: number; inherited: ClassificationEvent[] } {
    let restored = 0;
    const inherited: ClassificationEvent[] = [];
    for (const [key, entry] of latest) {
      this.keyPartition.set(key, entry.partition);
      if (entry.value === null) continue;
      try {
        this.engine.importKey(new Uint8Array(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength));
        this.restoredThrough.set(key, entry.through);
        const open = this.engine.openEpisodeEvent(key);
        if (open !== undefined) inherited.push(open);
        restored++;
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        this.options.metrics?.snapshotsRejected.inc({ reason: error.code });
        this.logger.warn({ err: error, partition: entry.partition }, 'a key snapshot cannot be restored; the key starts cold');
      }
    }
    return { restored, inherited };
  }
}
