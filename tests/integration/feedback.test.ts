// Feedback through the real service: verdicts on an episode over HTTP, counted in
// stormwatch_feedback_total and /api/feedback, and still there after a restart: in embedded mode
// from the feedback file, on Kafka from the feedback topic (read back by the new process).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Feedback } from '../../src/events/feedback.js';
import type { FeedbackCounts } from '../../src/feedback/store.js';
import type { EpisodeSnapshot, EpisodeView } from '../../src/episodes/board.js';
import { createSimulator } from '../../src/sources/simulator/index.js';
import {
  consumeUntil,
  mentionRecord,
  metricValue,
  produceJson,
  serviceProcesses,
  serviceTopics,
  STORM_KEY,
  STORM_OFFSET_MS,
  stormSimulatorConfig,
  stormStartMs,
  type JsonRecord,
} from '../support/kafka.js';
import { waitFor } from '../support/until.js';
import { embeddedServiceEnv, spawnNode } from '../support/processes.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

const post = (url: string, body: unknown) => json<{ status: string; feedback: Feedback; error?: string }>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('feedback in embedded mode: counted per level and verdict, kept in the feedback file, restored after a restart', { timeout: 150_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-feedback-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // 900×: the acme-air storm starts ~25 s after start.
  const env = embeddedServiceEnv(dir, 900, { STORMWATCH_FEEDBACK_PATH: join(dir, 'feedback.ndjson') });
  const first = spawnNode(MAIN, [], { env });
  t.after(() => first.kill('SIGKILL', 1000));
  const { port } = JSON.parse(await first.waitForLine(/stormwatch listening/, 20_000)) as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const episode = await waitFor('the acme-air storm', async () => {
    const { body } = await json<EpisodeSnapshot>(`${base}/api/episodes`);
    return [...body.active, ...body.recent].find((e: EpisodeView) => e.key === 'acme-air' && e.level === 'storm');
  }, 90_000);
  const url = `${base}/api/episodes/${episode.episodeId}/feedback`;
  const confirmed = await post(url, { verdict: 'confirmed', by: 'Dana', note: 'real: flights cancelled' });
  assert.equal(confirmed.status, 202);
  assert.equal(confirmed.body.feedback.level, 'storm');
  assert.equal((await post(url, { verdict: 'false_alarm', by: 'Sam' })).status, 202);
  assert.equal((await post(url, { verdict: 'maybe', by: 'Sam' })).status, 400);
  assert.equal((await post(`${base}/api/episodes/storm-nope/feedback`, { verdict: 'confirmed', by: 'Sam' })).status, 404);

  const counts = async (b: string) => metricValue(await (await fetch(`${b}/metrics`)).text(), 'stormwatch_feedback_total', { level: 'storm', verdict: 'confirmed' });
  assert.equal(await counts(base), 1);
  const summary = (await json<{ byLevel: FeedbackCounts; recent: Feedback[] }>(`${base}/api/feedback`)).body;
  assert.deepEqual(summary.byLevel.storm, { confirmed: 1, false_alarm: 1, wrong_level: 0, precision: 0.5 });
  assert.deepEqual(summary.recent.map((f) => f.verdict), ['false_alarm', 'confirmed']);
  const one = (await json<EpisodeView & { feedback: Feedback[] }>(`${base}/api/episodes/${episode.episodeId}`)).body;
  assert.equal(one.feedback.length, 2, 'the episode lists its feedback');
  assert.equal((await first.kill('SIGTERM', 10_000)).code, 0);

  const second = spawnNode(MAIN, [], { env });
  t.after(() => second.kill('SIGKILL', 1000));
  const restarted = `http://127.0.0.1:${(JSON.parse(await second.waitForLine(/stormwatch listening/, 20_000)) as { port: number }).port}`;
  await second.waitForLine(/feedback log open/, 10_000);
  assert.equal(await counts(restarted), 1, 'the counter starts from what was kept');
  assert.deepEqual((await json<{ byLevel: FeedbackCounts }>(`${restarted}/api/feedback`)).body.byLevel.storm, { confirmed: 1, false_alarm: 1, wrong_level: 0, precision: 0.5 });
});

test('feedback on Kafka: a record on the feedback topic, keyed by episode, counted again by the next process', { timeout: 150_000 }, async (t) => {
  const startMs = stormStartMs(10);
  const records: JsonRecord[] = [];
  for (const mention of createSimulator(stormSimulatorConfig(startMs, 10))) records.push(mentionRecord(mention));
  const topics = await serviceTopics(1);
  // Up to 40 min into the storm: it stays open (event time follows the records).
  await produceJson(topics.mentionsTopic, records.filter((r) => Number(r.timestamp) < startMs + STORM_OFFSET_MS + 40 * 60_000));
  const feedbackTopic = `${topics.mentionsTopic}-feedback`;
  const env = { ...topics.env, STORMWATCH_KAFKA_CLOCK: 'records', STORMWATCH_KAFKA_FEEDBACK_TOPIC: feedbackTopic };
  const start = serviceProcesses(t);
  const first = await start(env);
  await first.proc.waitForLine(/feedback log open/, 30_000);
  const episode = await waitFor('the storm', async () => (await json<EpisodeSnapshot>(`${first.url}/api/episodes`)).body.active.find((e) => e.key === STORM_KEY), 90_000);
  const kept = await post(`${first.url}/api/episodes/${episode.episodeId}/feedback`, { verdict: 'wrong_level', by: 'Dana', note: 'a drizzle at most' });
  assert.equal(kept.status, 202);
  const [record] = await consumeUntil(feedbackTopic, (rs) => rs.length > 0, 30_000);
  assert.equal(record!.key, episode.episodeId);
  assert.deepEqual(record!.json, kept.body.feedback);
  const count = async (url: string) => metricValue(await (await fetch(`${url}/metrics`)).text(), 'stormwatch_feedback_total', { level: 'storm', verdict: 'wrong_level' });
  await waitFor('counted from the topic', async () => ((await count(first.url)) === 1 ? true : undefined), 10_000);
  assert.equal((await first.proc.kill('SIGTERM', 10_000)).code, 0);

  const second = await start(env);
  await second.proc.waitForLine(/feedback log open/, 30_000);
  await waitFor('counted again after the restart', async () => ((await count(second.url)) === 1 ? true : undefined), 15_000);
  const summary = (await json<{ byLevel: FeedbackCounts }>(`${second.url}/api/feedback`)).body;
  assert.deepEqual(summary.byLevel.storm, { confirmed: 0, false_alarm: 0, wrong_level: 1, precision: 0 });
});
