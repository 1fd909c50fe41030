// Acknowledging a storm through the real service on Kafka: the storm's first half is produced, a
// websocket client sees it start, POST /api/episodes/:id/ack publishes storm.acknowledged on the
// websocket and the alert topic (with its CloudEvents type), a second ack is recorded only, and
// once the rest is produced the ended event carries the acknowledgement and the time to acknowledge.
// Event time follows the records (kafka.clock=records), so the storm stays open between the halves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import type { ClassificationEvent } from '../../src/events/classification.js';
import type { EpisodeSnapshot } from '../../src/episodes/board.js';
import { createSimulator } from '../../src/sources/simulator/index.js';
import { assertValidEvent } from '../support/detection.js';
import {
  consumeUntil,
  mentionRecord,
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

const HOURS = 10;

test('ack: storm.acknowledged on the websocket and the alert topic once; the post-mortem has the time to acknowledge', { timeout: 180_000 }, async (t) => {
  const startMs = stormStartMs(HOURS);
  const records: JsonRecord[] = [];
  for (const mention of createSimulator(stormSimulatorConfig(startMs, HOURS))) records.push(mentionRecord(mention));
  const cut = startMs + STORM_OFFSET_MS + 40 * 60_000; // 40 min into the 90 min storm
  const firstHalf = records.filter((r) => Number(r.timestamp) < cut);
  const topics = await serviceTopics(1);
  await produceJson(topics.mentionsTopic, firstHalf);

  const start = serviceProcesses(t);
  const service = await start({ ...topics.env, STORMWATCH_KAFKA_CLOCK: 'records' });
  const port = new URL(service.url).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  t.after(() => ws.terminate());
  const feed: ClassificationEvent[] = [];
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { kind: string; event?: ClassificationEvent; episodes?: ClassificationEvent[] };
    if (message.kind === 'event') feed.push(message.event!);
    if (message.kind === 'snapshot') feed.push(...message.episodes!);
  });
  await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));

  const storm = await waitFor('the storm on the websocket', async () => feed.find((e) => e.key === STORM_KEY && e.level === 'storm'), 90_000);
  const url = `${service.url}/api/episodes/${storm.episodeId}/ack`;
  const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const first = await post({ by: 'Dana (comms)', note: 'statement drafted' });
  assert.equal(first.status, 202);
  const firstBody = (await first.json()) as { status: string; event: ClassificationEvent };
  assert.equal(firstBody.status, 'published');
  assertValidEvent(firstBody.event);
  const ackTime = firstBody.event.acknowledgement!.timeToAcknowledgeMs!;
  assert.ok(ackTime >= 0 && ackTime < 120_000, `time to acknowledge ${ackTime} ms, wall clock`);
  const second = await post({ by: 'Sam' });
  assert.equal(second.status, 200);
  assert.equal(((await second.json()) as { status: string }).status, 'recorded');

  const onFeed = await waitFor('storm.acknowledged on the websocket', async () => feed.find((e) => e.type === 'storm.acknowledged'), 10_000);
  assert.deepEqual(onFeed, firstBody.event);
  const episodes = (await (await fetch(`${service.url}/api/episodes`)).json()) as EpisodeSnapshot;
  const view = episodes.active.find((v) => v.episodeId === storm.episodeId)!;
  assert.deepEqual(view.acknowledgements.map((a) => a.by), ['Dana (comms)', 'Sam'], 'both recorded');

  await produceJson(topics.mentionsTopic, records.filter((r) => Number(r.timestamp) >= cut));
  await waitForTopic(topics.alertsTopic);
  const alerts = await consumeUntil(topics.alertsTopic, (rs) => rs.some((r) => (r.json as ClassificationEvent).type === 'storm.ended'), 120_000);
  const episode = alerts.filter((r) => (r.json as ClassificationEvent).episodeId === storm.episodeId);
  const types = episode.map((r) => (r.json as ClassificationEvent).type);
  assert.match(types.join(' '), /^storm\.started( storm\.(escalated|subsided))* storm\.acknowledged( storm\.(escalated|subsided))* storm\.ended$/, 'acknowledged once, in order');
  const ackRecord = episode.find((r) => (r.json as ClassificationEvent).type === 'storm.acknowledged')!;
  assert.equal(ackRecord.headers.ce_type, 'stormwatch.storm.acknowledged');
  assert.equal(ackRecord.headers.ce_id, `${storm.episodeId}-ack`);
  assert.equal(ackRecord.key, STORM_KEY);
  const ended = episode.at(-1)!.json as ClassificationEvent;
  assertValidEvent(ended);
  assert.deepEqual(ended.acknowledgement, firstBody.event.acknowledgement, 'later events carry the first acknowledgement');
  assert.equal(ended.postMortem?.timeToAcknowledgeMs, ackTime);
  const ids = episode.map((r) => (r.json as ClassificationEvent).id);
  assert.equal(new Set(ids).size, ids.length, 'ids unique within the episode');
  // An ended episode cannot be acknowledged any more.
  const late = await waitFor('the board has the end', async () => {
    const r = await post({ by: 'Lee' });
    return r.status === 409 ? r : undefined;
  }, 10_000);
  assert.equal(((await late.json()) as { error: string }).error, 'episode_ended');
  t.diagnostic(`acknowledged ${ackTime} ms (wall) after storm.started was sent; episode: ${types.join(' ')}`);
});
