// The broker goes away for 20 s while the service is working through the stream, then comes back:
// the service recovers by itself (no restart), is not ready while the broker is away, and loses
// nothing. The real service process (dist/src/main.js) on a broker of this file's own
// (scripts/kafka.sh on free ports), so stopping it disturbs no other test run in the tree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { createSimulator } from '../../src/sources/simulator/index.js';
import {
  consumeUntil,
  groupProgress,
  mentionRecord,
  metricValue,
  produceJson,
  serviceTopics,
  startBroker,
  startPrivateBroker,
  startServiceProcess,
  stopBroker,
  STORM_KEY,
  STORM_OFFSET_MS,
  stormSimulatorConfig,
  stormStartMs,
  waitForTopic,
  type JsonRecord,
  type ServiceProcess,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';

const HOURS = 10;
const OUTAGE_MS = 20_000;

test(
  'the broker stops for 20 s mid-stream: the service recovers by itself and loses nothing',
  { timeout: 180_000 },
  async (t) => {
    const broker = await startPrivateBroker();
    const startMs = stormStartMs(HOURS);
    const before: JsonRecord[] = [];
    const after: JsonRecord[] = [];
    for (const mention of createSimulator(stormSimulatorConfig(startMs, HOURS))) {
      const record = mentionRecord(mention);
      (Number(record.timestamp) < startMs + STORM_OFFSET_MS - 3_600_000 ? before : after).push(record);
    }
    const total = before.length + after.length;
    const topics = await serviceTopics(1);
    const { mentionsTopic, alertsTopic, groupId } = topics;
    await produceJson(mentionsTopic, before);

    let service: ServiceProcess | undefined;
    let brokerDown = false;
    t.after(async () => {
      // The service first (its shutdown wants the broker), then this file's broker.
      if (brokerDown) await startBroker().catch(() => undefined);
      await service?.proc.kill('SIGTERM', 5000);
      await broker.destroy();
    });
    service = await startServiceProcess({
      ...topics.env,
      // A replay of history: event time follows the mentions, not the wall clock.
      STORMWATCH_KAFKA_CLOCK: 'records',
      // Small fetches, so the outage comes while the first part is still being worked through.
      STORMWATCH_KAFKA_MAX_BYTES_PER_PARTITION: '16384',
      STORMWATCH_KAFKA_BATCH_RETRY_MAX_MS: '2000',
      // Commits right after each batch (keyed state commits at checkpoints; its own tests cover it).
      STORMWATCH_STATE_ENABLED: 'false',
    });
    const s = service;
    await waitFor('service ready', async () => ((await s.readyz()) === 200 ? true : undefined), 30_000);
    const acceptedBefore = await waitFor('first mentions processed', async () => {
      const accepted = metricValue(await s.scrape(), 'stormwatch_mentions_total', { outcome: 'accepted' });
      return accepted >= 1500 ? accepted : undefined;
    }, 60_000, 20);

    brokerDown = true;
    const stopped = Date.now();
    await stopBroker();
    t.diagnostic(`broker stopped after ${acceptedBefore}+ of ${before.length} mentions of the first part (stop took ${Date.now() - stopped} ms)`);
    const notReady = await waitFor('not ready while the broker is away', async () => ((await s.readyz()) === 503 ? Date.now() - stopped : undefined), OUTAGE_MS - 2000, 200);
    t.diagnostic(`/readyz 503 ${notReady} ms after the stop began`);
    const remaining = OUTAGE_MS - (Date.now() - stopped);
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    await startBroker();
    brokerDown = false;
    const restarted = Date.now();
    t.diagnostic(`broker back after ${restarted - stopped} ms`);

    await waitFor('ready again', async () => ((await s.readyz()) === 200 ? true : undefined), 60_000, 200);
    t.diagnostic(`/readyz 200 again ${Date.now() - restarted} ms after the broker came back`);
    await produceJson(mentionsTopic, after);

    await waitForTopic(alertsTopic);
    const alerts = await consumeUntil(alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent).type === 'storm.ended'), 120_000);
    const progress = await waitFor('all offsets committed', async () => {
      const p = await groupProgress(mentionsTopic, groupId);
      return p.committed === total ? p : undefined;
    }, 60_000);
    t.diagnostic(`all ${progress.end} committed, storm.ended read back ${Date.now() - restarted} ms after the broker came back`);

    const exposition = await s.scrape();
    const accepted = metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'accepted' });
    const late = metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'late' });
    t.diagnostic(`accepted ${accepted}, late ${late}, batch retries ${metricValue(exposition, 'stormwatch_kafka_batch_retries_total')}, consumer crashes ${metricValue(exposition, 'stormwatch_kafka_consumer_crashes_total')}`);
    assert.equal(accepted + late, total, 'every mention processed once: none lost, none ingested twice');
    assert.equal(late, 0);
    assert.equal(s.proc.child.exitCode, null, 'the same process, never restarted');

    const events = alerts.map((r) => r.json as ClassificationEvent).filter((e) => e.key === STORM_KEY);
    assert.match([...new Map(events.map((e) => [e.id, e.type])).values()].join(' '), /^storm\.started( storm\.(escalated|subsided))* storm\.ended$/);
    assert.equal(new Set(events.map((e) => e.episodeId)).size, 1);
  },
);
