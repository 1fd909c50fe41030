// Event time per key, through a real broker (issue: event time that no partition, backlog or bad
// timestamp can break). The same per-key-ordered mentions, produced as a backlog before the service
// starts (`clock=records`), give the same classification events (ids, types, `at`) and no late
// mention whether they go through one partition, through six uneven partitions (one holds the
// busy brands, the others a brand or two each, so the small ones run hours ahead in event time
// within a fetch), or through the replay pipeline. Two records carry bad clocks (dated 2099, and
// a day after now): both are dead letters in every run and make no other mention late.
//
// How the stream is made: the simulator's brands and incidents (two storms, a surge, a drizzle) over
// 10 h of event time ending before now, then one mention per brand two hours after the end, so
// every brand's own time passes the end of its last episode in every run without any clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import { classificationEventErrors, type ClassificationEvent } from '../../src/events/classification.js';
import { createPipeline } from '../../src/pipeline.js';
import { createSimulator } from '../../src/sources/simulator/index.js';
import { consumeUntil, createTopic, groupProgress, metricValue, produceJson, startInProcessService, stormStartMs, uniqueName, type JsonRecord } from '../support/kafka.js';
import { waitFor } from '../support/until.js';
import { assertValidEvent } from '../support/detection.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const HOURS = 10;

const brands = [
  { key: 'acme-air', baseRatePerMinute: 20, sector: 'airline' as const },
  { key: 'northwind-bank', baseRatePerMinute: 15, sector: 'bank' as const },
  { key: 'hooli-phones', baseRatePerMinute: 12 },
  { key: 'initech-cloud', baseRatePerMinute: 10 },
  { key: 'globex-telecom', baseRatePerMinute: 3 },
  { key: 'umbrella-foods', baseRatePerMinute: 3 },
  { key: 'stark-phones', baseRatePerMinute: 2 },
  { key: 'wayne-insure', baseRatePerMinute: 2 },
  { key: 'quiet-co', baseRatePerMinute: 1 },
];
/** Uneven: partition 0 carries the four busy brands, 1–5 one or two small ones each. */
const partitionOf = (key: string): number => {
  const i = brands.findIndex((b) => b.key === key);
  return i < 4 ? 0 : 1 + ((i - 4) % 5);
};

function stream(startMs: number): Array<Record<string, unknown>> {
  const simulator = createSimulator({
    seed: 11,
    startMs,
    endMs: startMs + HOURS * HOUR,
    warmupMs: 4 * HOUR,
    brands,
    incidents: [
      { kind: 'storm', key: 'acme-air', startOffsetMs: 5 * HOUR, durationMs: 60 * MINUTE, intensity: 0.6, topic: 'flights_cancelled' },
      { kind: 'drizzle', key: 'northwind-bank', startOffsetMs: 5 * HOUR + 30 * MINUTE, durationMs: 2 * HOUR, intensity: 0.6 },
      { kind: 'surge', key: 'hooli-phones', startOffsetMs: 6 * HOUR, durationMs: 45 * MINUTE, intensity: 0.6, topic: 'launch' },
      { kind: 'storm', key: 'umbrella-foods', startOffsetMs: 7 * HOUR, durationMs: 50 * MINUTE, intensity: 0.7, topic: 'recall' },
    ],
  });
  const mentions: Array<Record<string, unknown>> = [];
  for (const m of simulator) mentions.push(m as unknown as Record<string, unknown>);
  // Two bad clocks, in the middle of the stream, on brands that storm.
  const bad = (i: number, key: string, ts: string) => ({ ...mentions[i]!, id: `bad-clock-${i}`, key, ts });
  mentions.splice(Math.floor(mentions.length * 0.4), 0, bad(10, 'acme-air', '2099-12-31T00:00:00.000Z'));
  mentions.splice(Math.floor(mentions.length * 0.6), 0, bad(20, 'umbrella-foods', new Date(Date.now() + 24 * HOUR).toISOString()));
  brands.forEach((b, i) => mentions.push({ id: `closing-${b.key}`, key: b.key, text: 'ok', ts: new Date(startMs + (HOURS + 2) * HOUR + i).toISOString(), author: { id: `closer-${i}` } }));
  return mentions;
}

const identity = (e: ClassificationEvent): string => `${e.key} ${e.id} ${e.type} ${e.at}`;

function replay(mentions: ReadonlyArray<Record<string, unknown>>): { events: string[]; late: number; rejected: number } {
  const events: string[] = [];
  let late = 0;
  let rejected = 0;
  const pipeline = createPipeline(loadConfig({ env: {} }), createSentimentScorer(), {
    onEvent: (e) => {
      assertValidEvent(e);
      events.push(identity(e));
    },
    onLate: () => late++,
    onReject: () => rejected++,
  });
  for (const m of mentions) pipeline.handleRecord(JSON.stringify(m));
  pipeline.finish();
  return { events, late, rejected };
}

async function throughKafka(t: { diagnostic(msg: string): void; after(fn: () => Promise<void>): void }, mentions: ReadonlyArray<Record<string, unknown>>, partitions: number, expected: number) {
  const mentionsTopic = await createTopic(uniqueName('mentions'), partitions);
  const alertsTopic = uniqueName('alerts');
  const groupId = uniqueName('group');
  const records: JsonRecord[] = mentions.map((m) => ({ key: String(m.key), value: m, partition: partitions === 1 ? 0 : partitionOf(String(m.key)) }));
  await produceJson(mentionsTopic, records);
  const sizes = (await groupProgress(mentionsTopic, groupId)).partitions.map((p) => p.end);
  t.diagnostic(`${partitions} partition(s): ${sizes.join(' / ')} records`);
  const app = await startInProcessService({ mentionsTopic, alertsTopic, deadLettersTopic: uniqueName('dead-letters'), groupId, partitions, clock: 'records', fromBeginning: true });
  t.after(() => app.stop());
  await waitFor('every partition committed to its end', async () => {
    const p = await groupProgress(mentionsTopic, groupId);
    return p.committed === p.end ? p : undefined;
  }, 120_000);
  const alerts = await consumeUntil(alertsTopic, (rs) => rs.length >= expected, 30_000);
  const exposition = await app.scrape();
  const events = alerts.map((r) => r.json as ClassificationEvent);
  for (const e of events) assert.deepEqual(classificationEventErrors(e), [], `${e.type} matches the schema`);
  // Events of a key come in order on one alert partition: compare per key, as the contract says.
  const byKey = (list: string[]) => [...list].sort((a, b) => (a.split(' ')[0]! < b.split(' ')[0]! ? -1 : a.split(' ')[0]! > b.split(' ')[0]! ? 1 : 0));
  return {
    events: byKey(events.map(identity)),
    late: metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'late' }),
    rejected: metricValue(exposition, 'stormwatch_mentions_rejected_total', { reason: 'bad_timestamp' }),
    byKey,
  };
}

test('one partition, six uneven partitions and a replay give the same events, with no late mention and both bad clocks dead-lettered', { timeout: 300_000 }, async (t) => {
  const mentions = stream(stormStartMs(HOURS + 3));
  const reference = replay(mentions);
  t.diagnostic(`replay: ${mentions.length} mentions, ${reference.events.length} events, ${reference.late} late, ${reference.rejected} rejected`);
  assert.equal(reference.late, 0);
  assert.equal(reference.rejected, 2, 'both bad clocks rejected by the replay');
  assert.ok(reference.events.filter((e) => e.includes(' storm.started ')).length >= 2, 'the stream has its storms');

  for (const partitions of [1, 6]) {
    const run = await throughKafka(t, mentions, partitions, reference.events.length);
    assert.deepEqual(run.events, run.byKey(reference.events), `${partitions} partition(s): the replay's events, ids, types and times`);
    assert.equal(run.late, 0, `${partitions} partition(s): no late mention`);
    assert.equal(run.rejected, 2, `${partitions} partition(s): both bad clocks rejected`);
  }
});
