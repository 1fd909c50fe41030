import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { OFFSET_HEADER } from './headers.js';

/** A key's latest snapshot on the changelog: its bytes (null: a tombstone), the offset it includes, its partition. */
export interface LatestSnapshot {
  value: Buffer | null;
  through: bigint;
  partition: number;
}

export interface RestoreRead {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  /** The service's group: the reader joins a group of its own next to it. */
  groupId: string;
  partitions: readonly number[];
  timeoutMs: number;
}

/** Each key's latest snapshot in `partitions` of the changelog, read up to their end offsets at the start. */
export async function readLatestSnapshots(options: RestoreRead): Promise<Map<string, LatestSnapshot>> {
  const { kafka, admin, topic, groupId, partitions, timeoutMs } = options;
  const offsets = await admin.fetchTopicOffsets(topic);
  const ends = new Map<number, bigint>();
  for (const o of offsets) if (partitions.includes(o.partition) && BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  const latest = new Map<string, LatestSnapshot>();
  if (ends.size === 0) return latest;
  const consumer = kafka.consumer({ groupId: `${groupId}.restore.${randomUUID()}`, maxBytesPerPartition: 16 * 1024 * 1024, maxWaitTimeInMs: 100 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const remaining = new Map(ends);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = remaining.get(batch.partition);
        if (end === undefined) return;
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end || m.key === null) continue;
          const key = m.key.toString('utf8');
          const header = m.headers?.[OFFSET_HEADER];
          const through = header === undefined ? -1n : BigInt(header.toString());
          const seen = latest.get(key);
          // The snapshot that includes the most wins (a zombie's late write cannot go back in time).
          if (seen === undefined || through >= seen.through) latest.set(key, { value: m.value, through, partition: batch.partition });
        }
        if (BigInt(batch.lastOffset()) + 1n >= end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    const others = offsets.map((o) => o.partition).filter((p) => !ends.has(p));
    if (others.length > 0) consumer.pause([{ topic: topic, partitions: others }]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`restore of partitions ${partitions.join(',')} took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return latest;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
