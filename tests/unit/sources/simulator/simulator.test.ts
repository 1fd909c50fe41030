import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMention } from '../../../../src/events/mention.js';
import { createSimulator, DEFAULT_START_MS, type SimulatorConfigInput } from '../../../../src/sources/simulator/index.js';
import { HOUR_MS, MINUTE_MS, replayParseOptions, run } from './support.js';

function firstN(config: SimulatorConfigInput, n: number): unknown[] {
  const simulator = createSimulator(config);
  return Array.from({ length: n }, () => simulator.next());
}

test('same seed gives the identical first 1000 mentions; another seed a different stream', () => {
  const a = firstN({ seed: 7 }, 1000);
  const b = firstN({ seed: 7 }, 1000);
  const c = firstN({ seed: 8 }, 1000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const texts = (list: unknown[]) => list.map((m) => (m as { text: string }).text).join('\n');
  assert.notEqual(texts(a), texts(c));
});

test('the default config starts at the default start and ids are seed-tagged and unique', () => {
  const simulator = createSimulator();
  assert.equal(simulator.config.startMs, DEFAULT_START_MS);
  assert.equal(simulator.config.seed, 42);
  const first = simulator.next();
  assert.ok(first);
  assert.equal(first.id, 'sim-16-0');
  assert.ok(Date.parse(first.ts as string) >= DEFAULT_START_MS);
  const ids = new Set([first.id]);
  for (let i = 1; i < 5000; i++) ids.add(simulator.next()!.id);
  assert.equal(ids.size, 5000);
});

test('every mention of 14 h at defaults passes validateMention, in non-decreasing event time', () => {
  const mentions = run({}, 14);
  assert.ok(mentions.length > 100_000);
  let previous = -Infinity;
  let invalid = 0;
  for (const m of mentions) {
    const result = validateMention(m.mention, replayParseOptions);
    if (!result.ok) invalid++;
    else assert.equal(result.mention.tsMs, m.tsMs);
    assert.ok(m.tsMs >= previous, `time went back at ${m.mention.id}`);
    previous = m.tsMs;
  }
  assert.equal(invalid, 0);
});

test('mentions also pass live-mode validation with the wall clock at their event time', () => {
  const simulator = createSimulator({ seed: 3, timestampFormat: 'mixed' });
  let numbers = 0;
  for (let i = 0; i < 2000; i++) {
    const m = simulator.nextLabelled()!;
    if (typeof m.mention.ts === 'number') numbers++;
    const result = validateMention(m.mention, { ...replayParseOptions, nowMs: m.tsMs });
    assert.equal(result.ok, true);
  }
  assert.ok(numbers > 800 && numbers < 1200, `mixed format gave ${numbers} epoch-ms timestamps of 2000`);
});

test('epochMs format writes numbers', () => {
  const m = createSimulator({ timestampFormat: 'epochMs' }).next()!;
  assert.equal(typeof m.ts, 'number');
});

test('the language mix follows the configured weights', () => {
  const mentions = run({}, 14).slice(0, 20_000);
  const counts = new Map<string, number>();
  for (const m of mentions) counts.set(m.mention.lang!, (counts.get(m.mention.lang!) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), ['de', 'en', 'es', 'fr', 'nl']);
  const share = (lang: string) => (counts.get(lang) ?? 0) / mentions.length;
  assert.ok(share('en') > 0.66 && share('en') < 0.74, `en ${share('en')}`);
  assert.ok(share('nl') > 0.09 && share('nl') < 0.15, `nl ${share('nl')}`);
  assert.ok(share('de') > 0.07 && share('de') < 0.13, `de ${share('de')}`);
  assert.ok(share('es') > 0.01, `es ${share('es')}`);
});

test('a language without texts keeps its tag (texts fall back to English)', () => {
  const simulator = createSimulator({ languages: { it: 1 } });
  const m = simulator.next()!;
  assert.equal(m.lang, 'it');
});

test('background: 15-25 % negative, six brands, skewed rates, varied texts, authors and platforms', () => {
  const mentions = run({}, 14).filter((m) => m.source === 'background');
  const negative = mentions.filter((m) => m.tone === 'negative').length / mentions.length;
  assert.ok(negative > 0.15 && negative < 0.25, `negative share ${negative}`);
  const byKey = new Map<string, number>();
  for (const m of mentions) byKey.set(m.mention.key, (byKey.get(m.mention.key) ?? 0) + 1);
  assert.equal(byKey.size, 6);
  assert.ok(byKey.get('acme-air')! > 5 * byKey.get('umbrella-foods')!);
  const sample = mentions.slice(0, 5000);
  assert.ok(new Set(sample.map((m) => m.mention.text)).size > 2000, 'texts are varied');
  assert.ok(new Set(sample.map((m) => m.mention.author!.id)).size > 1500, 'many authors');
  assert.ok(new Set(sample.map((m) => m.mention.platform)).size >= 6);
  const followers = sample.map((m) => m.mention.author!.followers!).sort((a, b) => a - b);
  const median = followers[followers.length >> 1]!;
  assert.ok(median > 50 && median < 1000, `median followers ${median}`);
  assert.ok(followers[followers.length - 1]! > 100 * median, 'heavy tail');
});

test('engagement grows with followers', () => {
  const mentions = run({}, 14).filter((m) => m.source === 'background');
  const mean = (list: typeof mentions) => list.reduce((s, m) => s + m.mention.engagement!.likes!, 0) / list.length;
  const small = mentions.filter((m) => m.mention.author!.followers! < 100);
  const big = mentions.filter((m) => m.mention.author!.followers! > 10_000);
  assert.ok(big.length > 50);
  assert.ok(mean(big) > 20 * mean(small), `likes ${mean(big)} vs ${mean(small)}`);
});

test('peekNextTs announces the next mention, and endMs ends the stream', () => {
  const start = DEFAULT_START_MS;
  const simulator = createSimulator({ endMs: start + 10 * MINUTE_MS });
  let count = 0;
  for (;;) {
    const peek = simulator.peekNextTs();
    const next = simulator.nextLabelled();
    if (next === undefined) {
      assert.equal(peek, undefined);
      break;
    }
    assert.equal(peek, next.tsMs);
    assert.ok(next.tsMs < start + 10 * MINUTE_MS);
    count++;
  }
  assert.equal(simulator.emitted, count);
  assert.equal(simulator.next(), undefined);
  assert.equal(simulator.peekNextTs(), undefined);
});

test('the iterator yields the same stream as next()', () => {
  const config = { seed: 5, endMs: DEFAULT_START_MS + 2 * MINUTE_MS };
  const viaNext: unknown[] = [];
  const a = createSimulator(config);
  for (let m = a.next(); m !== undefined; m = a.next()) viaNext.push(m);
  assert.deepEqual([...createSimulator(config)], viaNext);
});

test('expectedMentions matches the generated volume within 3 %', () => {
  const simulator = createSimulator();
  const start = simulator.config.startMs;
  const mentions = run({}, 14);
  const expected = simulator.expectedMentions(start, start + 14 * HOUR_MS);
  assert.ok(Math.abs(mentions.length / expected - 1) < 0.03, `${mentions.length} vs expected ${expected}`);
  const expectedAcme = simulator.expectedMentions(start, start + 14 * HOUR_MS, 'acme-air');
  const acme = mentions.filter((m) => m.mention.key === 'acme-air').length;
  assert.ok(Math.abs(acme / expectedAcme - 1) < 0.03, `${acme} vs expected ${expectedAcme}`);
  assert.equal(simulator.expectedMentions(start, start + HOUR_MS, 'no-such-key'), 0);
});

test('default volume: well under 1M mentions in 12 h, 50-200 per minute in total on average', () => {
  const simulator = createSimulator();
  const start = simulator.config.startMs;
  const twelveHours = simulator.expectedMentions(start, start + 12 * HOUR_MS);
  assert.ok(twelveHours < 300_000, `${twelveHours}`);
  const day = createSimulator({ incidents: [] }).expectedMentions(start, start + 24 * HOUR_MS);
  const perMinute = day / 1440;
  assert.ok(perMinute > 50 && perMinute < 200, `${perMinute}/min`);
});

test('daily rhythm: quiet nights and busy evenings; off gives a flat rate', () => {
  const simulator = createSimulator({ incidents: [] });
  const night = Date.UTC(2025, 2, 4, 2, 0); // 03:00 local (UTC+1)
  const evening = Date.UTC(2025, 2, 4, 19, 30); // 20:30 local
  const rate = (t: number) => simulator.expectedRatePerMinute('acme-air', t);
  assert.ok(rate(night) < 0.35 * 40, `night ${rate(night)}`);
  assert.ok(rate(evening) > 1.5 * 40, `evening ${rate(evening)}`);
  const flat = createSimulator({ incidents: [], dailyRhythm: false });
  assert.equal(flat.expectedRatePerMinute('acme-air', night), 40);
  assert.equal(flat.expectedRatePerMinute('acme-air', evening), 40);
});

test('organic growth compounds per day', () => {
  const simulator = createSimulator({ incidents: [], dailyRhythm: false, growthPerDay: 0.1 });
  const start = simulator.config.startMs;
  assert.equal(simulator.expectedRatePerMinute('acme-air', start), 40);
  assert.ok(Math.abs(simulator.expectedRatePerMinute('acme-air', start + 2 * 24 * HOUR_MS) - 40 * 1.21) < 1e-9);
});
