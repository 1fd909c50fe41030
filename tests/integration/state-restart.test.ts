// Keyed state across a crash (docs/state.md): the service is killed with SIGKILL mid-storm and
// restarted; the restored episode continues under the same id, no second storm.started, and the
// storm.ended post-mortem is the one an instance that never stopped gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { createPipeline } from '../../src/pipeline.js';
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
  STORM_OFFSET_MS,
  stormSimulatorConfig,
  stormStartMs,
  waitForTopic,
  type JsonRecord,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';
import { collectEvents } from '../support/detection.js';

const HOURS = 10;

test('SIGKILL mid-storm, restart: same episode id, no second start, the end counts every mention', { timeout: 180_000 }, async (t) => {
  const startMs = stormStartMs(HOURS);
  const mentions = [...createSimulator(stormSimulatorConfig(startMs, HOURS))];
  const records: JsonRecord[] = mentions.map((m) => mentionRecord(m));
  // What an instance that never stopped announces.
  const reference: ClassificationEvent[] = [];
  const pipeline = createPipeline(loadConfig({ env: {} }), createSentimentScorer(), { onEvent: collectEvents(reference).onEvent });
  for (const r of records) pipeline.handleRecord(JSON.stringify(r.value));
  const referenceEnded = reference.find((e) => e.key === STORM_KEY && e.type === 'storm.ended');
  assert.ok(referenceEnded?.postMortem, 'the scenario storm ends within the stream');

  // Stage 1 ends 45 minutes into the storm; stage 2 is produced after the kill.
  const splitMs = startMs + STORM_OFFSET_MS + 45 * 60_000;
  const split = mentions.findIndex((m) => Date.parse(String(m.ts)) >= splitMs);
  const topics = await serviceTopics(1);
  const { mentionsTopic, alertsTopic, groupId } = topics;
  await produceJson(mentionsTopic, records.slice(0, split));

  const env = {
    ...topics.env,
    // Event time follows the records: a caught-up instance must not end the storm by the wall clock.
    STORMWATCH_KAFKA_CLOCK: 'records',
    STORMWATCH_KAFKA_MAX_BYTES_PER_PARTITION: '16384',
    STORMWATCH_STATE_CHECKPOINT_INTERVAL_MS: '300',
  };
  const startServiceProcess = serviceProcesses(t);

  const first = await startServiceProcess(env);
  await waitForTopic(alertsTopic);
  const before = await consumeUntil(alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent).type === 'storm.started'), 90_000);
  await waitFor('stage 1 processed', async () => (metricValue(await first.scrape(), 'stormwatch_mentions_total', { outcome: 'accepted' }) >= split ? true : undefined), 60_000, 100);
  const written = metricValue(await first.scrape(), 'stormwatch_state_snapshots_written_total');
  await first.proc.kill('SIGKILL');
  const atKill = await groupProgress(mentionsTopic, groupId);
  t.diagnostic(`SIGKILL mid-storm after ${split} mentions; ${written} snapshots written; committed ${atKill.committed}`);
  assert.ok(written > 0, 'snapshots were written before the kill');

  await produceJson(mentionsTopic, records.slice(split));
  const restartedMs = Date.now();
  const second = await startServiceProcess(env);
  const readySeen = await waitFor('ready after restore', async () => ((await second.readyz()) === 200 ? Date.now() : undefined), 60_000, 50);
  const alerts = await consumeUntil(alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent).type === 'storm.ended'), 120_000);
  const exposition = await second.scrape();
  t.diagnostic(
    `restart: ready in ${readySeen - restartedMs} ms; restored ${metricValue(exposition, 'stormwatch_state_keys_restored_total')} keys; ` +
      `replayed mentions skipped as already in a snapshot: ${metricValue(exposition, 'stormwatch_state_replay_skipped_total')}; storm.ended read back ${Date.now() - restartedMs} ms after the restart`,
  );
  assert.equal(metricValue(exposition, 'stormwatch_state_restoring'), 0);
  assert.ok(metricValue(exposition, 'stormwatch_state_keys_restored_total') >= 1);

  const events = alerts.map((r) => r.json as ClassificationEvent).filter((e) => e.key === STORM_KEY);
  const starts = events.filter((e) => e.type === 'storm.started');
  const startedBefore = before.map((r) => r.json as ClassificationEvent).find((e) => e.type === 'storm.started')!;
  assert.deepEqual([...new Set(starts.map((e) => e.id))], [startedBefore.id], 'one storm.started id');
  assert.deepEqual([...new Set(events.map((e) => e.episodeId))], [startedBefore.episodeId], 'the episode continues under its id');
  const ended = events.find((e) => e.type === 'storm.ended')!;
  assert.equal(ended.postMortem!.totalMentions, referenceEnded.postMortem.totalMentions, 'the end counts every mention once');
  assert.deepEqual(ended.postMortem, referenceEnded.postMortem, 'the post-mortem of an instance that never stopped');
  t.diagnostic(`storm.started events: ${starts.length} (one id); ended totalMentions ${ended.postMortem!.totalMentions}`);
});
