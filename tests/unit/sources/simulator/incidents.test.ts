import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimulator, DEFAULT_START_MS, defaultIncidents, type ScheduledIncident } from '../../../../src/sources/simulator/index.js';
import { HOUR_MS, MINUTE_MS, countWhere, inWindow, run, strongNegative } from './support.js';

const HOURS = 14;
const mentions = () => run({}, HOURS);
const schedule = createSimulator().scheduledIncidents();
const byKind = (kind: ScheduledIncident['kind'], key: string) => schedule.find((i) => i.kind === kind && i.key === key)!;

test('the default schedule: after a 6 h warm-up, in event time relative to startMs', () => {
  const at = (minutes: number) => DEFAULT_START_MS + 6 * HOUR_MS + minutes * MINUTE_MS;
  assert.deepEqual(
    schedule.map((i) => [i.id, i.startMs, i.endMs, i.peakMultiplier, i.topic]),
    [
      ['storm:acme-air:0', at(0), at(90), 10, 'flights_cancelled'],
      ['drizzle:northwind-bank:1', at(30), at(270), 1.2000000000000002, undefined],
      ['surge:hooli-phones:2', at(120), at(180), 7.5, 'launch'],
      ['bot_burst:globex-telecom:3', at(180), at(210), 5.5, undefined],
      ['storm:initech-cloud:4', at(240), at(360), 12, 'outage'],
      ['storm:umbrella-foods:5', at(390), at(465), 11, 'recall'],
    ],
  );
  assert.deepEqual(defaultIncidents(0)[0]!.startOffsetMs, 0);
});

test('storms: window volume at least 4x the pre-incident rate, mostly strongly negative, many authors', () => {
  for (const storm of schedule.filter((i) => i.kind === 'storm')) {
    const duration = storm.endMs - storm.startMs;
    const before = countWhere(mentions(), storm.key, storm.startMs - HOUR_MS, storm.startMs) / 60;
    const during = countWhere(mentions(), storm.key, storm.startMs, storm.endMs) / (duration / MINUTE_MS);
    assert.ok(during >= 4 * before, `${storm.id}: ${during.toFixed(1)}/min vs ${before.toFixed(1)}/min before`);
    // Plateau (after the rise, before the decay): most mentions carry strong negative words.
    const plateau = inWindow(mentions(), storm.key, storm.startMs + Math.min(20 * MINUTE_MS, 0.15 * duration), storm.startMs + 0.4 * duration);
    const negative = plateau.filter((m) => strongNegative.test(m.mention.text)).length / plateau.length;
    assert.ok(negative > 0.7, `${storm.id}: ${negative.toFixed(2)} strongly negative`);
    const own = mentions().filter((m) => m.incidentId === storm.id);
    assert.ok(new Set(own.map((m) => m.mention.author!.id)).size > 0.5 * own.length, `${storm.id}: distinct authors`);
    assert.ok(own.some((m) => m.mention.author!.followers! > 100_000), `${storm.id}: high-reach amplifiers`);
    assert.ok(own.filter((m) => /#\w*(fail|boycott)/.test(m.mention.text)).length > 0.2 * own.length, `${storm.id}: hashtags`);
  }
});

test('the acme-air storm is about its topic', () => {
  const storm = byKind('storm', 'acme-air');
  const english = mentions().filter((m) => m.incidentId === storm.id && m.mention.lang === 'en');
  const onTopic = english.filter((m) => /cancel/i.test(m.mention.text)).length / english.length;
  assert.ok(onTopic > 0.8, `on topic ${onTopic}`);
});

test('drizzle: volume at most 1.5x (against the same run without incidents) and negative share 50-70 %', () => {
  const drizzle = byKind('drizzle', 'northwind-bank');
  const control = run({ incidents: [] }, HOURS);
  const withDrizzle = countWhere(mentions(), drizzle.key, drizzle.startMs, drizzle.endMs);
  const without = countWhere(control, drizzle.key, drizzle.startMs, drizzle.endMs);
  const ratio = withDrizzle / without;
  assert.ok(ratio <= 1.5 && ratio >= 1.05, `drizzle volume ratio ${ratio}`);
  const duration = drizzle.endMs - drizzle.startMs;
  const plateau = inWindow(mentions(), drizzle.key, drizzle.startMs + 0.1 * duration, drizzle.startMs + 0.85 * duration);
  const negative = plateau.filter((m) => m.tone === 'negative').length / plateau.length;
  assert.ok(negative >= 0.5 && negative <= 0.7, `drizzle negative share ${negative}`);
  const before = inWindow(mentions(), drizzle.key, drizzle.startMs - HOUR_MS, drizzle.startMs);
  assert.ok(before.filter((m) => m.tone === 'negative').length / before.length < 0.3);
  assert.ok(!plateau.some((m) => strongNegative.test(m.mention.text) && m.source === 'drizzle'), 'routine complaints, not outrage');
});

test('surge: a positive spike, at least 3x the usual volume, mostly positive or neutral', () => {
  const surge = byKind('surge', 'hooli-phones');
  const before = countWhere(mentions(), surge.key, surge.startMs - HOUR_MS, surge.startMs) / 60;
  const during = countWhere(mentions(), surge.key, surge.startMs, surge.endMs) / 60;
  assert.ok(during >= 3 * before, `${during} vs ${before}`);
  const own = mentions().filter((m) => m.incidentId === surge.id);
  assert.ok(own.filter((m) => m.tone !== 'negative').length / own.length > 0.9);
  assert.ok(own.filter((m) => m.tone === 'positive').length / own.length > 0.6);
});

test('bot burst: at most 5 accounts repeating near-identical negative text', () => {
  const burst = byKind('bot_burst', 'globex-telecom');
  const own = mentions().filter((m) => m.incidentId === burst.id);
  assert.ok(own.length > 1000);
  const authors = new Set(own.map((m) => m.mention.author!.id));
  assert.ok(authors.size <= 5 && authors.size >= 3, `bot authors ${authors.size}`);
  const stem = own[0]!.mention.text.slice(0, 30).toLowerCase();
  assert.ok(own.every((m) => m.mention.text.toLowerCase().startsWith(stem)));
  assert.ok(new Set(own.map((m) => m.mention.text)).size > 3, 'small variations');
  assert.ok(own.every((m) => strongNegative.test(m.mention.text) || /scam|fraud|stealing/i.test(m.mention.text)));
  const before = countWhere(mentions(), burst.key, burst.startMs - HOUR_MS, burst.startMs) / 60;
  const during = countWhere(mentions(), burst.key, burst.startMs, burst.endMs) / 30;
  assert.ok(during > 3 * before);
});

test('incident mentions stay inside their windows; background never carries an incident id', () => {
  const windows = new Map(schedule.map((i) => [i.id, i]));
  for (const m of mentions()) {
    if (m.source === 'background') {
      assert.equal(m.incidentId, undefined);
      continue;
    }
    const incident = windows.get(m.incidentId!)!;
    assert.equal(incident.kind, m.source);
    assert.equal(incident.key, m.mention.key);
    assert.ok(m.tsMs >= incident.startMs && m.tsMs < incident.endMs);
  }
});

test('a custom storm topic is used as the phrase, and a config with no incidents has none', () => {
  const simulator = createSimulator({
    warmupMs: 0,
    dailyRhythm: false,
    incidents: [{ kind: 'storm', key: 'acme-air', startOffsetMs: 0, durationMs: 30 * MINUTE_MS, intensity: 1, topic: 'pilot_strike' }],
    languages: { en: 1 },
  });
  assert.equal(simulator.scheduledIncidents()[0]!.topic, 'pilot_strike');
  assert.equal(simulator.scheduledIncidents()[0]!.peakMultiplier, 15);
  const own: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const m = simulator.nextLabelled()!;
    if (m.source === 'storm') own.push(m.mention.text);
  }
  assert.ok(own.filter((t) => t.includes('pilot strike')).length > 0.5 * own.length);
  assert.deepEqual(createSimulator({ incidents: [] }).scheduledIncidents(), []);
});
