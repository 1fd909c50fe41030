// The storm scenario through Kafka: mentions topic → consumer group → engine → alert topic, read
// back by an independent consumer. The service runs in this process, wired as main.ts wires it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationEventErrors, SCHEMA_VERSION, type ClassificationEvent } from '../../src/events/classification.js';
import { createSimulator } from '../../src/sources/simulator/index.js';
import {
  consumeUntil,
  createTopic,
  groupProgress,
  mentionRecord,
  metricValue,
  produceJson,
  QUIET_KEY,
  startInProcessService,
  STORM_KEY,
  STORM_OFFSET_MS,
  stormSimulatorConfig,
  stormStartMs,
  uniqueName,
  waitForTopic,
  type JsonRecord,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';

const HOURS = 10;

test('a storm produced to the mentions topic is announced on the alert topic: started and ended, keyed, with CloudEvents headers', { timeout: 180_000 }, async (t) => {
  const startMs = stormStartMs(HOURS);
  const simulator = createSimulator(stormSimulatorConfig(startMs, HOURS));
  const records: JsonRecord[] = [];
  for (const mention of simulator) records.push(mentionRecord(mention));
  const mentionsTopic = await createTopic(uniqueName('mentions'), 1);
  const alertsTopic = uniqueName('alerts');
  const groupId = uniqueName('group');
  const produced = Date.now();
  await produceJson(mentionsTopic, records);
  t.diagnostic(`produced ${records.length} mentions (${HOURS} h of event time) in ${Date.now() - produced} ms`);

  const began = Date.now();
  const app = await startInProcessService({ mentionsTopic, alertsTopic, deadLettersTopic: uniqueName('dead-letters'), groupId, partitions: 1, clock: 'wall' });
  t.after(() => app.stop());
  await waitForTopic(alertsTopic); // the service creates its output topics

  const alerts = await consumeUntil(alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent | undefined)?.type === 'storm.ended'), 120_000);
  t.diagnostic(`storm.ended read back ${Date.now() - began} ms after the service started`);

  // Every record processed and committed.
  const progress = await waitFor('all offsets committed', async () => {
    const p = await groupProgress(mentionsTopic, groupId);
    return p.committed === p.end ? p : undefined;
  }, 30_000);
  assert.equal(progress.end, records.length);
  const exposition = await app.scrape();
  assert.equal(metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'accepted' }), records.length, 'every mention accepted, none late');
  assert.equal(metricValue(exposition, 'stormwatch_kafka_consumer_lag'), 0, 'no lag left');

  const events = alerts.map((r) => r.json as ClassificationEvent);
  for (const e of events) assert.deepEqual(classificationEventErrors(e), [], `${e.type} matches the schema`);
  assert.deepEqual(events.filter((e) => e.key === QUIET_KEY), [], 'the quiet brand stays calm');
  const storm = alerts.filter((r) => (r.json as ClassificationEvent).key === STORM_KEY);
  const types = storm.map((r) => (r.json as ClassificationEvent).type);
  assert.match(types.join(' '), /^storm\.started( storm\.(escalated|subsided))* storm\.ended$/);

  const started = storm[0]!;
  const ended = storm.at(-1)!;
  const s = started.json as ClassificationEvent;
  const e = ended.json as ClassificationEvent;
  assert.equal(started.key, STORM_KEY, 'keyed by brand key');
  assert.equal(new Set(storm.map((r) => r.partition)).size, 1, "one key's events on one partition, in order");
  assert.equal(new Set(storm.map((r) => (r.json as ClassificationEvent).episodeId)).size, 1, 'one episode');
  const onset = startMs + STORM_OFFSET_MS;
  const ttd = Date.parse(s.at) - onset;
  assert.ok(ttd >= 0 && ttd <= 10 * 60_000, `storm.started ${ttd / 60_000} min after the incident began`);
  assert.ok(s.evidence.rateRatio >= 2, `rate ratio ${s.evidence.rateRatio}`);
  assert.ok(s.evidence.negativeShare >= 0.4, `negative share ${s.evidence.negativeShare}`);
  assert.ok(s.evidence.negativeShare > s.evidence.usualNegativeShare);
  assert.ok(s.drivers !== undefined && s.playbook.length > 0, 'started carries drivers and a playbook');
  assert.ok(e.postMortem !== undefined && e.postMortem.totalMentions > 0, 'ended carries a post-mortem');

  for (const r of storm) {
    const event = r.json as ClassificationEvent;
    assert.deepEqual(
      r.headers,
      {
        ce_specversion: '1.0',
        ce_id: event.id,
        ce_source: '/stormwatch',
        ce_type: `stormwatch.${event.type}`,
        ce_time: event.at,
        ce_subject: STORM_KEY,
        'content-type': 'application/json',
        ce_schemaversion: SCHEMA_VERSION,
        ce_episodeid: event.episodeId,
      },
      `headers of ${event.type}`,
    );
    assert.equal(event.id, `${event.episodeId}-${event.sequence}`, 'deterministic id');
  }
});
