// A flush far larger than the broker's record-batch limit (1 MiB by default) still reaches the
// alert topic, whole and in order: the sink sends it as several requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { createKafkaClient } from '../../src/kafka/client.js';
import { connectionOptions } from '../../src/config/kafka.js';
import { createLogger } from '../../src/logging.js';
import { KafkaAlertSink } from '../../src/sinks/kafka-alert-sink.js';
import { brokers, consumeUntil, createTopic, uniqueName } from '../support/kafka.js';

test('4,000 events (about 8 MB) in one publish arrive whole and in order', { timeout: 120_000 }, async (t) => {
  const topic = await createTopic(uniqueName('alerts'), 1);
  const config = loadConfig({ env: {}, overrides: { log: { level: 'silent' }, kafka: { brokers: brokers(), alertsTopic: topic, clientId: uniqueName('sink') } } });
  const logger = createLogger(config, pino.destination(2));
  const sink = new KafkaAlertSink({ kafka: createKafkaClient(connectionOptions(config.kafka), logger), config: config.kafka, logger });
  t.after(() => sink.close());

  const at = new Date(Date.UTC(2026, 0, 5, 12)).toISOString();
  const events = Array.from({ length: 4000 }, (_, i) => ({
    id: `storm-0000000000000000-${i + 1}`,
    type: 'storm.escalated',
    key: 'acme-air',
    episodeId: 'storm-0000000000000000',
    sequence: i + 1,
    at,
    emittedAt: at,
    schemaVersion: '1.0.0',
    level: 'storm',
    severity: 80,
    evidence: {},
    explanation: 'x'.repeat(2000),
    playbook: [],
  })) as unknown as ClassificationEvent[];
  await sink.publish(events);
  assert.equal(sink.published, 4000);

  const records = await consumeUntil(topic, (rs) => rs.length >= 4000, 60_000);
  assert.deepEqual(
    records.map((r) => (r.json as ClassificationEvent).sequence),
    events.map((e) => e.sequence),
  );
});
