// Smoke test of the broker the integration tests run against (by default the local KRaft broker
// from scripts/kafka.sh): topics, produce, consumer groups with manual commits, committed offsets,
// and log compaction, all through kafkajs 2.2.4 as the service uses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consumeUntil,
  createKafka,
  createTopic,
  produceJson,
  uniqueName,
  type JsonRecord,
} from '../support/kafka.js';

test('1000 messages on 3 partitions arrive exactly once in a group with manual commits', async (t) => {
  const topic = await createTopic(uniqueName('smoke'), 3);
  const groupId = uniqueName('smoke-group');
  const total = 1000;
  const records: JsonRecord[] = Array.from({ length: total }, (_, i) => ({ key: `key-${i % 17}`, value: { seq: i } }));
  await produceJson(topic, records);

  const kafka = createKafka();
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 });
  const admin = kafka.admin();
  t.after(async () => {
    await consumer.disconnect();
    await admin.disconnect();
  });
  await admin.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });

  const seen = new Map<number, number>(); // seq -> times seen
  const partitionsSeen = new Set<number>();
  let resolveAll!: () => void;
  const allSeen = new Promise<void>((resolve) => (resolveAll = resolve));
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const { seq } = JSON.parse(message.value!.toString('utf8')) as { seq: number };
        seen.set(seq, (seen.get(seq) ?? 0) + 1);
        partitionsSeen.add(batch.partition);
        resolveOffset(message.offset);
      }
      // autoCommit is off: commitOffsetsIfNecessary() alone would not commit, so hand it the offsets.
      await commitOffsetsIfNecessary(uncommittedOffsets());
      await heartbeat();
      if (seen.size >= total) resolveAll();
    },
  });

  const timeout = setTimeout(() => resolveAll(), 30_000);
  await allSeen;
  clearTimeout(timeout);

  assert.equal(seen.size, total, `distinct messages received: ${seen.size}`);
  const duplicates = [...seen.entries()].filter(([, n]) => n !== 1);
  assert.deepEqual(duplicates, [], 'every message exactly once');
  assert.deepEqual([...partitionsSeen].sort(), [0, 1, 2], 'all three partitions carried messages');

  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const endByPartition = Object.fromEntries(ends.map((p) => [p.partition, p.high]));
  const committedByPartition = Object.fromEntries((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
  assert.deepEqual(committedByPartition, endByPartition, 'committed offsets equal the end offsets');
  assert.equal(ends.reduce((sum, p) => sum + Number(p.high), 0), total);
});

test('a compacted topic keeps the last value per key', async (t) => {
  const topic = await createTopic(uniqueName('compacted'), 1, {
    'cleanup.policy': 'compact',
    // Roll segments quickly and clean eagerly, so compaction happens within the test.
    'segment.ms': '100',
    'min.cleanable.dirty.ratio': '0.01',
    'delete.retention.ms': '100',
  });
  const kafka = createKafka();
  const admin = kafka.admin();
  t.after(() => admin.disconnect());
  await admin.connect();

  const described = await admin.describeConfigs({
    resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['cleanup.policy'] }],
    includeSynonyms: false,
  });
  const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
  assert.equal(policy?.configValue, 'compact');

  const keys = ['a', 'b', 'c'];
  const versions = 50;
  const records: JsonRecord[] = [];
  for (let v = 0; v < versions; v++) for (const key of keys) records.push({ key, value: { key, v } });
  await produceJson(topic, records);
  // The active segment is never cleaned: wait past segment.ms, then write once more so it rolls.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await produceJson(topic, [{ key: 'd', value: { key: 'd', v: 0 } }]);
  const produced = records.length + 1;
  const [end] = await admin.fetchTopicOffsets(topic);
  const lastOffset = Number(end!.high) - 1;
  assert.equal(lastOffset + 1, produced);

  // The cleaner runs every log.cleaner.backoff.ms (1 s on the local broker): read from the start
  // until a pass shows fewer records than were written.
  const deadline = Date.now() + 45_000;
  let read: Awaited<ReturnType<typeof consumeUntil>> = [];
  for (;;) {
    read = await consumeUntil(topic, (rs) => rs.some((r) => Number(r.offset) >= lastOffset), 15_000, { kafka });
    if (read.length < produced || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.ok(read.length < produced, `compaction removed superseded values (read ${read.length} of ${produced})`);
  const latest = new Map<string, unknown>();
  for (const r of read) latest.set(r.key!, r.json);
  assert.deepEqual(Object.fromEntries(latest), {
    a: { key: 'a', v: versions - 1 },
    b: { key: 'b', v: versions - 1 },
    c: { key: 'c', v: versions - 1 },
    d: { key: 'd', v: 0 },
  });
});
