import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_WARMUP_MS,
  SimulatorConfigError,
  defaultBrands,
  defaultIncidents,
  defaultLanguages,
  resolveSimulatorConfig,
  type SimulatorConfigInput,
} from '../../../../src/sources/simulator/index.js';

function problemsOf(input: unknown): readonly string[] {
  try {
    resolveSimulatorConfig(input as SimulatorConfigInput);
  } catch (error) {
    assert.ok(error instanceof SimulatorConfigError);
    assert.equal(error.code, 'SW_ERR_SIMULATOR_CONFIG');
    return error.problems;
  }
  assert.fail('expected a SimulatorConfigError');
}

test('defaults: six brands, 6 h warm-up, the default schedule, frozen', () => {
  const config = resolveSimulatorConfig();
  assert.deepEqual(config.brands, defaultBrands);
  assert.deepEqual(
    config.brands.map((b) => b.key),
    ['acme-air', 'northwind-bank', 'globex-telecom', 'hooli-phones', 'initech-cloud', 'umbrella-foods'],
  );
  assert.equal(config.brands.reduce((s, b) => s + b.baseRatePerMinute, 0), 131);
  assert.equal(config.warmupMs, DEFAULT_WARMUP_MS);
  assert.deepEqual(config.incidents, defaultIncidents());
  assert.equal(config.dailyRhythm, true);
  assert.equal(config.growthPerDay, 0);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.brands) && Object.isFrozen(config.incidents[0]));
});

test('the default schedule follows the warm-up', () => {
  const config = resolveSimulatorConfig({ warmupMs: 3_600_000 });
  assert.equal(config.incidents[0]!.startOffsetMs, 3_600_000);
  assert.deepEqual(config.incidents, defaultIncidents(3_600_000));
});

test('unknown keys and wrong types are rejected, every problem listed', () => {
  const problems = problemsOf({ seed: -1, brandz: [], growthPerDay: 'fast' });
  assert.ok(problems.length >= 3, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('/seed')));
  assert.ok(problems.some((p) => p.startsWith('/growthPerDay')));
  assert.ok(problems.some((p) => p.includes('brandz') || p.startsWith('(root)')));
});

test('cross-field rules: incident key must be a brand, no incident inside the warm-up, unique brands, endMs after startMs', () => {
  const problems = problemsOf({
    brands: [
      { key: 'a', baseRatePerMinute: 1 },
      { key: 'a', baseRatePerMinute: 2 },
    ],
    warmupMs: 3_600_000,
    incidents: [
      { kind: 'storm', key: 'b', startOffsetMs: 3_600_000, durationMs: 600_000, intensity: 0.5 },
      { kind: 'drizzle', key: 'a', startOffsetMs: 0, durationMs: 600_000, intensity: 0.5 },
    ],
    startMs: Date.UTC(2025, 0, 1),
    endMs: Date.UTC(2024, 0, 1),
  });
  assert.deepEqual(problems, [
    '/brands: duplicate key a',
    '/incidents/0/key: b is not one of brands[].key',
    '/incidents/1/startOffsetMs: 0 starts inside the warm-up (warmupMs 3600000)',
    '/endMs: must be after startMs',
  ]);
});

test('intensity and kind are checked', () => {
  const problems = problemsOf({ incidents: [{ kind: 'tornado', key: 'acme-air', startOffsetMs: 1e8, durationMs: 600_000, intensity: 2 }] });
  assert.ok(problems.some((p) => p.startsWith('/incidents/0/kind')));
  assert.ok(problems.some((p) => p.startsWith('/incidents/0/intensity')));
});

test('given lists and maps replace the defaults instead of merging with them', () => {
  const config = resolveSimulatorConfig({ languages: { nl: 1 }, platforms: { x: 1 }, brands: [{ key: 'solo', baseRatePerMinute: 3 }], incidents: [] });
  assert.deepEqual(config.languages, { nl: 1 });
  assert.deepEqual(config.platforms, { x: 1 });
  assert.deepEqual(config.brands, [{ key: 'solo', baseRatePerMinute: 3 }]);
  assert.deepEqual(config.incidents, []);
  assert.deepEqual(resolveSimulatorConfig().languages, defaultLanguages);
});

test('config/simulator.example.json is a valid config', async () => {
  const { readFile } = await import('node:fs/promises');
  const raw = await readFile(new URL('../../../../../config/simulator.example.json', import.meta.url), 'utf8');
  const config = resolveSimulatorConfig(JSON.parse(raw) as SimulatorConfigInput);
  assert.equal(config.incidents.length, 5);
  assert.equal(config.seed, 7);
});
