import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMention, rejectReasons } from '../../../../src/events/mention.js';
import {
  Rng,
  corruptMention,
  createSimulator,
  generateMentions,
  manyBrandKeys,
  manyKeysConfig,
  resolveSimulatorConfig,
} from '../../../../src/sources/simulator/index.js';
import { HOUR_MS, MINUTE_MS, replayParseOptions } from './support.js';

test('generateMentions yields exactly the mentions before untilMs', () => {
  const start = resolveSimulatorConfig().startMs;
  const until = start + 15 * MINUTE_MS;
  const generated = [...generateMentions({ seed: 11 }, until)];
  const simulator = createSimulator({ seed: 11 });
  const expected = [];
  while (simulator.peekNextTs()! < until) expected.push(simulator.next());
  assert.deepEqual(generated, expected);
  assert.ok(generated.length > 500);
});

test('manyBrandKeys: distinct keys, defaults first', () => {
  const keys = manyBrandKeys(10_000, ['acme-air', 'northwind-bank']);
  assert.equal(keys.length, 10_000);
  assert.equal(new Set(keys).size, 10_000);
  assert.deepEqual(keys.slice(0, 3), ['acme-air', 'northwind-bank', 'northwind-air']);
  assert.deepEqual(manyBrandKeys(1, ['acme-air']), ['acme-air']);
});

test('manyKeysConfig: Zipf rates summing to the total, valid non-overlapping incidents', () => {
  const config = resolveSimulatorConfig(manyKeysConfig({ keys: 10_000, totalRatePerMinute: 1000, spanMs: 12 * HOUR_MS, seed: 1 }));
  assert.equal(config.brands.length, 10_000);
  assert.equal(config.brands[0]!.key, 'acme-air');
  const rates = config.brands.map((b) => b.baseRatePerMinute);
  assert.ok(Math.abs(rates.reduce((a, b) => a + b, 0) - 1000) < 1e-6);
  assert.ok(rates.every((r, i) => i === 0 || r < rates[i - 1]!));
  assert.ok(rates[0]! / rates[999]! > 1000);
  assert.equal(config.incidents.length, 26);
  assert.equal(config.warmupMs, 4 * HOUR_MS);
  const byKey = new Map<string, Array<[number, number]>>();
  for (const i of config.incidents) {
    const list = byKey.get(i.key) ?? [];
    for (const [s, e] of list) assert.ok(i.startOffsetMs >= e || i.startOffsetMs + i.durationMs <= s, `overlap on ${i.key}`);
    list.push([i.startOffsetMs, i.startOffsetMs + i.durationMs]);
    byKey.set(i.key, list);
    assert.ok(i.startOffsetMs + i.durationMs <= 12 * HOUR_MS + 90 * MINUTE_MS);
  }
  assert.ok(config.incidents.filter((i) => i.kind === 'storm').length >= 10);
});

test('manyKeysConfig with few keys still resolves', () => {
  const config = resolveSimulatorConfig(manyKeysConfig({ keys: 1, totalRatePerMinute: 10, spanMs: 6 * HOUR_MS }));
  assert.equal(config.brands.length, 1);
  assert.ok(config.incidents.every((i) => i.key === 'acme-air'));
});

test('corruptMention: every bad line is rejected by parseMention with the announced reason', () => {
  const simulator = createSimulator({ seed: 4 });
  const rng = new Rng(4, 7);
  const seen = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const bad = corruptMention(simulator.next()!, rng);
    const result = parseMention(bad.line, replayParseOptions);
    assert.equal(result.ok, false, bad.line);
    if (!result.ok) assert.equal(result.reason, bad.reason, `${bad.line} → ${result.detail}`);
    seen.add(bad.reason);
  }
  assert.deepEqual([...seen].sort(), ['bad_timestamp', 'bad_type', 'invalid_json', 'missing_field', 'not_an_object']);
  assert.ok([...seen].every((r) => (rejectReasons as readonly string[]).includes(r)));
});

test('good lines round-trip through JSON and parseMention', () => {
  const simulator = createSimulator({ seed: 4 });
  for (let i = 0; i < 1000; i++) {
    const m = simulator.next()!;
    const result = parseMention(JSON.stringify(m), replayParseOptions);
    assert.equal(result.ok, true);
  }
});
