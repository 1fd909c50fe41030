import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { loadScenarios, runScenario, scenarioDir, type ScenarioResult } from '../../bench/scenarios.js';

/**
 * Scenario files (tests/scenarios/*.json, see bench/scenarios.ts): a simulated stream and, per
 * key, what a crisis manager would call it. Run through the same pipeline as `stormwatch
 * replay`, with the service's default configuration.
 */
const results: ScenarioResult[] = [];

for (const s of loadScenarios(scenarioDir(fileURLToPath(new URL('../../../', import.meta.url))))) {
  test(`scenario ${s.name}: ${s.scenario.description}`, () => {
    const r = runScenario(s);
    results.push(r);
    assert.deepEqual(r.problems, []);
  });
}

// Storm precision/recall and time to detect over all scenarios, reported at the end.
after(() => {
  const sum = (f: (r: ScenarioResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const timesToDetect = results.flatMap((r) => r.timesToDetect);
  const medianMinutes = timesToDetect.length > 0 ? median(timesToDetect) / 60_000 : Number.NaN;
  const announced = sum((r) => r.stormsAnnounced);
  const precision = announced > 0 ? sum((r) => r.stormsFound) / announced : 1;
  const expected = sum((r) => r.stormsExpected);
  const recall = expected > 0 ? sum((r) => r.stormsFound) / expected : 1;
  console.log(`# scenarios: storm precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, median time to detect ${medianMinutes.toFixed(1)} min (event time)`);
});
