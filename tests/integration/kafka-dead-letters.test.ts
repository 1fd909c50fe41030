// Bad input on the mentions topic: every record that fails parsing or validation lands in the
// dead-letter topic with its reason, its source coordinates and its original bytes, is counted,
// and the good records around it are processed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  createKafka,
  createTopic,
  groupProgress,
  metricValue,
  produceRaw,
  startInProcessService,
  uniqueName,
  waitForTopic,
  type RawProduceRecord,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';

const MAX_DLQ_VALUE = 900 * 1024; // kafka.deadLetterMaxValueBytes default

interface DeadLetterRead {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads `count` records of `topic` as raw bytes (consumeUntil decodes values as text). */
async function readRaw(topic: string, count: number, timeoutMs: number): Promise<DeadLetterRead[]> {
  const consumer = createKafka().consumer({ groupId: uniqueName('dlq-reader'), maxWaitTimeInMs: 200, maxBytesPerPartition: 4 * 1024 * 1024 });
  const out: DeadLetterRead[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${count} dead letters within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
          out.push({ key: message.key, value: message.value, headers });
          if (out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

test('bad records go to the dead-letter topic with reason, coordinates and original bytes; good ones around them are processed', { timeout: 120_000 }, async (t) => {
  const mentionsTopic = await createTopic(uniqueName('mentions'), 1, { 'max.message.bytes': String(3 * 1024 * 1024) });
  const deadLettersTopic = uniqueName('dead-letters');
  const groupId = uniqueName('group');
  const now = Date.now();
  const good = (i: number): RawProduceRecord => ({
    key: 'acme-air',
    value: JSON.stringify({ id: `good-${i}`, key: 'acme-air', text: 'flight was fine, thanks', ts: new Date(now - 60_000 + i * 1000).toISOString() }),
  });
  const huge = JSON.stringify({ id: 'huge', key: 'acme-air', text: 'x'.repeat(2 * 1024 * 1024), ts: new Date(now).toISOString() });
  const bad: Array<{ reason: string; record: RawProduceRecord }> = [
    { reason: 'invalid_json', record: { key: 'acme-air', value: '{"id": "broken", "key": ' } },
    { reason: 'missing_field', record: { key: 'acme-air', value: JSON.stringify({ id: 'no-text', key: 'acme-air', ts: now }) } },
    { reason: 'too_large', record: { key: 'acme-air', value: huge } },
    { reason: 'bad_encoding', record: { key: 'acme-air', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) } },
    { reason: 'empty', record: { key: 'acme-air', value: null } },
  ];
  // good, bad, good, bad, ... good: offsets 0..10 on one partition.
  const records: RawProduceRecord[] = [];
  const badOffsets = new Map<string, number>();
  records.push(good(0));
  bad.forEach((b, i) => {
    badOffsets.set(b.reason, records.length);
    records.push(b.record, good(i + 1));
  });
  await produceRaw(mentionsTopic, records);
  const goodCount = records.length - bad.length;

  const app = await startInProcessService({ mentionsTopic, alertsTopic: uniqueName('alerts'), deadLettersTopic, groupId, partitions: 1 });
  t.after(() => app.stop());
  await waitForTopic(deadLettersTopic);

  const letters = await readRaw(deadLettersTopic, bad.length, 60_000);
  const byReason = new Map(letters.map((l) => [l.headers['stormwatch-reason']!, l]));
  assert.deepEqual([...byReason.keys()].sort(), bad.map((b) => b.reason).sort(), 'one dead letter per bad record, with its reason');

  for (const { reason, record } of bad) {
    const letter = byReason.get(reason)!;
    const h = letter.headers;
    assert.equal(h['stormwatch-source-topic'], mentionsTopic, `${reason}: source topic`);
    assert.equal(h['stormwatch-source-partition'], '0', `${reason}: partition`);
    assert.equal(h['stormwatch-source-offset'], String(badOffsets.get(reason)), `${reason}: offset`);
    assert.ok(h['stormwatch-detail'] !== undefined && h['stormwatch-detail'] !== '', `${reason}: detail`);
    assert.ok(!Number.isNaN(Date.parse(h['stormwatch-rejected-at']!)), `${reason}: rejected-at`);
    assert.equal(letter.key?.toString(), 'acme-air', `${reason}: original key`);
    const original = record.value === null ? null : Buffer.isBuffer(record.value) ? record.value : Buffer.from(record.value);
    if (reason === 'too_large') {
      assert.equal(h['stormwatch-truncated'], 'true');
      assert.equal(h['stormwatch-original-bytes'], String(original!.byteLength));
      assert.equal(h['stormwatch-original-sha256'], createHash('sha256').update(original!).digest('hex'));
      assert.equal(letter.value!.byteLength, MAX_DLQ_VALUE);
      assert.ok(original!.subarray(0, MAX_DLQ_VALUE).equals(letter.value!), 'the kept prefix is the original bytes');
    } else if (original === null) {
      assert.equal(letter.value, null, 'a null value stays null');
    } else {
      assert.equal(h['stormwatch-truncated'], undefined);
      assert.ok(original.equals(letter.value!), `${reason}: original bytes kept`);
    }
  }

  const exposition = await waitFor('all offsets committed', async () => {
    const p = await groupProgress(mentionsTopic, groupId);
    return p.committed === records.length ? app.scrape() : undefined;
  }, 30_000);
  assert.equal(metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'accepted' }), goodCount, 'the good records around the bad ones are processed');
  assert.equal(metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'rejected' }), bad.length);
  for (const { reason } of bad) {
    assert.equal(metricValue(exposition, 'stormwatch_dead_letters_total', { reason }), 1, `dead letters counted: ${reason}`);
    assert.equal(metricValue(exposition, 'stormwatch_mentions_rejected_total', { reason }), 1, `rejections counted: ${reason}`);
  }
});
