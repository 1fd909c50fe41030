// SIGKILL mid-stream, then restart: at-least-once (nothing accepted by the mentions topic is left
// unprocessed) and no episode announced under two ids. The real service process (dist/src/main.js).
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
  serviceProcesses,
  serviceTopics,
  STORM_KEY,
  stormSimulatorConfig,
  stormStartMs,
  waitForTopic,
  type JsonRecord,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';

const HOURS = 10;

test('killed with SIGKILL mid-stream and restarted: every mention processed, the storm announced under one id', { timeout: 180_000 }, async (t) => {
  const startMs = stormStartMs(HOURS);
  const records: JsonRecord[] = [];
  for (const mention of createSimulator(stormSimulatorConfig(startMs, HOURS))) records.push(mentionRecord(mention));
  const total = records.length;
  const topics = await serviceTopics(1);
  const { mentionsTopic, alertsTopic, groupId } = topics;
  await produceJson(mentionsTopic, records);

  const env = {
    ...topics.env,
    // The adapter's own guarantee, with a cold restart: keyed state (restore after a restart) has
    // its own test, tests/integration/state-restart.test.ts.
    STORMWATCH_STATE_ENABLED: 'false',
  };
  const startServiceProcess = serviceProcesses(t);

  // First instance: small fetches (about 50 mentions a batch, each committed), killed early.
  const first = await startServiceProcess({ ...env, STORMWATCH_KAFKA_MAX_BYTES_PER_PARTITION: '16384' });
  const acceptedAtKill = await waitFor('first instance made progress', async () => {
    const accepted = metricValue(await first.scrape(), 'stormwatch_mentions_total', { outcome: 'accepted' });
    return accepted >= 2000 ? accepted : undefined;
  }, 60_000, 20);
  await first.proc.kill('SIGKILL');
  const atKill = await groupProgress(mentionsTopic, groupId);
  t.diagnostic(`SIGKILL after ${acceptedAtKill}+ mentions accepted; committed ${atKill.committed} of ${total}`);
  assert.ok(atKill.committed > 0 && atKill.committed < total, `killed mid-stream: committed ${atKill.committed} of ${total}`);

  // Second instance: same group, resumes at the committed offsets.
  const restarted = Date.now();
  const second = await startServiceProcess(env);
  await waitForTopic(alertsTopic);
  const alerts = await consumeUntil(alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent).type === 'storm.ended'), 120_000);
  const done = await waitFor('all offsets committed', async () => {
    const p = await groupProgress(mentionsTopic, groupId);
    return p.committed === total ? p : undefined;
  }, 60_000);
  t.diagnostic(`restart → all ${done.end} committed and storm.ended read back in ${Date.now() - restarted} ms`);

  // At-least-once: the first instance committed only what it had processed, and the second
  // processed exactly everything from there on (it started cold, so none of it is late).
  const exposition = await second.scrape();
  const accepted = metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'accepted' });
  const late = metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'late' });
  const rejected = metricValue(exposition, 'stormwatch_mentions_total', { outcome: 'rejected' });
  assert.equal(accepted + late + rejected, total - atKill.committed, 'the restarted instance processed every record after the committed offset');
  assert.equal(late + rejected, 0);

  // Duplicates of one id are allowed; the same episode under two ids is not.
  const events = alerts.map((r) => r.json as ClassificationEvent);
  const starts = events.filter((e) => e.type === 'storm.started');
  assert.equal(new Set(starts.map((e) => e.id)).size, 1, `one storm.started id: ${starts.map((e) => e.id).join(', ')}`);
  assert.equal(starts[0]!.key, STORM_KEY);
  const byId = new Map<string, ClassificationEvent>();
  for (const e of events) {
    const seen = byId.get(e.id);
    if (seen) assert.deepEqual({ ...e, emittedAt: '' }, { ...seen, emittedAt: '' }, `duplicates of ${e.id} are the same event`);
    byId.set(e.id, e);
  }
  assert.deepEqual([...new Set(events.filter((e) => e.key === STORM_KEY).map((e) => e.episodeId))], [starts[0]!.episodeId], 'one episode, one id');
});
