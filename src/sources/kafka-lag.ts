import type { Admin, Kafka } from 'kafkajs';
import type { KafkaSection } from '../config/kafka.js';
import type { KafkaMetrics } from '../kafka/metrics.js';

/** What the Kafka source knows of an assigned partition. */
export interface PartitionState {
  /** Records after the last delivered batch exist; undefined until known (first batch or lag check). */
  behind: boolean | undefined;
  /** Whether a batch was delivered since the assignment (then batches, not the lag check, say `behind`). */
  delivered: boolean;
}

/**
 * The lag of assigned partitions that had no batch since the assignment (a caught-up partition
 * gets none, so no batch's offsetLag tells), from the committed and end offsets (admin API).
 */
export class AssignedLag {
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaSection,
    private readonly metrics?: KafkaMetrics,
  ) {}

  /**
   * Sets `behind` (and the lag gauge) of each partition without a batch yet. Reading goes on after
   * the committed offset, or after `ackedThrough` when this process has handled more (the commit
   * can be held back by the keyed state).
   */
  async measure(partitions: ReadonlyMap<number, PartitionState>, ackedThrough: ReadonlyMap<number, bigint>): Promise<void> {
    const topic = this.config.mentionsTopic;
    if (this.admin === undefined) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    try {
      const [ends, committed] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId: this.config.groupId, topics: [topic] }),
      ]);
      const committedBy = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      for (const end of ends) {
        const state = partitions.get(end.partition);
        if (state === undefined) continue;
        const high = BigInt(end.high);
        const low = BigInt(end.low);
        const c = committedBy.get(end.partition) ?? -1n;
        const acked = ackedThrough.get(end.partition);
        let next = c >= 0n ? c : this.config.fromBeginning ? low : high;
        if (acked !== undefined && acked + 1n > next) next = acked + 1n;
        if (next < low) next = low;
        const lag = high > next ? high - next : 0n;
        if (!state.delivered) {
          state.behind = lag > 0n;
          this.metrics?.consumerLag.set({ topic, partition: String(end.partition) }, Number(lag));
        }
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
