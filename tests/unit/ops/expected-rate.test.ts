import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { DetectionEngine } from '../../../src/detect/engine.js';
import type { SentimentScorer } from '../../../src/detect/sentiment/types.js';
import type { Mention } from '../../../src/events/mention.js';
import { Metrics } from '../../../src/metrics/metrics.js';
import { detectionConfig } from '../../support/detection.js';

// The engine's two read-outs behind the ops gauges: the usual input volume (the "no mentions"
// alert tells an outage from a quiet hour by it) and one key's observed vs usual window rate.

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const neutral: SentimentScorer = { score: () => ({ score: 0, label: 'neutral', negativeIntensity: 0 }) };

let seq = 0;
function mention(key: string, tsMs: number): Mention {
  seq++;
  return { id: `m${seq}`, key, text: `hello ${seq}`, tsMs, authorId: `a${seq}`, followers: 10, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined };
}

/** `perMinute` mentions a minute for each key, for `minutes` minutes from T0, then the watermark moved to the end. */
function feed(engine: DetectionEngine, perMinute: Record<string, number>, minutes: number): number {
  for (let m = 0; m < minutes; m++) {
    for (const [key, n] of Object.entries(perMinute)) {
      for (let i = 0; i < n; i++) engine.ingest(mention(key, T0 + m * MINUTE + Math.floor((i * MINUTE) / n)));
    }
  }
  const end = T0 + minutes * MINUTE;
  engine.advanceTo(end + 2 * MINUTE); // the watermark (lateness 2 min) closes the last bucket with data
  return end;
}

test('expectedRatePerMs sums every key\'s usual rate; zero before any data', () => {
  const engine = new DetectionEngine(detectionConfig(), neutral, () => undefined);
  assert.equal(engine.expectedRatePerMs(T0), 0);
  assert.equal(engine.expectedRatePerMs(Number.NaN), 0);
  const end = feed(engine, { a: 30, b: 6 }, 60);
  const perSecond = engine.expectedRatePerMs(end) * 1000;
  // 36 a minute = 0.6 a second (flat profile: one hour seen).
  assert.ok(Math.abs(perSecond - 0.6) < 0.05, `expected ≈ 0.6/s, got ${perSecond}`);
});

test('windowRate: observed and usual per ms for the latest closed window; undefined for unknown keys', () => {
  const engine = new DetectionEngine(detectionConfig(), neutral, () => undefined);
  assert.equal(engine.windowRate('a'), undefined);
  feed(engine, { a: 30 }, 60);
  const rate = engine.windowRate('a');
  assert.ok(rate !== undefined);
  assert.ok(Math.abs(rate.observedPerMs * MINUTE - 30) < 1, `observed ${rate.observedPerMs * MINUTE}/min`);
  assert.ok(Math.abs(rate.usualPerMs * MINUTE - 30) < 3, `usual ${rate.usualPerMs * MINUTE}/min`);
  assert.equal(engine.windowRate('never-seen'), undefined);
  // A quiet hour later the key is still tracked, with an empty window.
  engine.advanceTo(T0 + 130 * MINUTE);
  assert.equal(engine.windowRate('a')?.observedPerMs, 0);
});

test('the gauges read the state at scrape time; the key label only for allow-listed keys', async () => {
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false, keyAllowList: ['acme-air', 'quiet'] });
  let expected = 2.5;
  metrics.observe({
    keysTracked: () => 2,
    activeEpisodes: () => ({ storm: 0, drizzle: 0, surge: 0 }),
    activeEpisodeLevelByKey: () => new Map(),
    eventTimeMs: () => T0,
    sourceReady: () => true,
    wsClients: () => 0,
    expectedMentionsPerSecond: () => expected,
    keyWindowRate: (key) => (key === 'acme-air' ? { observedPerSecond: 4, usualPerSecond: 0.5 } : undefined),
  });
  let text = await registry.metrics();
  assert.match(text, /^stormwatch_expected_mentions_per_second 2.5$/m);
  assert.match(text, /^stormwatch_key_observed_mentions_per_second\{key="acme-air"\} 4$/m);
  assert.match(text, /^stormwatch_key_usual_mentions_per_second\{key="acme-air"\} 0.5$/m);
  assert.doesNotMatch(text, /key="quiet"/, 'no series for a key without state');
  expected = 0;
  text = await registry.metrics();
  assert.match(text, /^stormwatch_expected_mentions_per_second 0$/m);
});

test('counters with closed label sets start at zero for every value, so rates and alerts see zeros', async () => {
  const registry = new Registry();
  new Metrics(registry, { defaultMetrics: false });
  const text = await registry.metrics();
  assert.match(text, /^stormwatch_dead_letters_total\{reason="invalid_json"\} 0$/m);
  assert.match(text, /^stormwatch_mentions_rejected_total\{reason="invalid_json"\} 0$/m);
  assert.match(text, /^stormwatch_classification_events_total\{type="storm.started"\} 0$/m);
});
