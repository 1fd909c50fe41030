import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRateAssessment, RateModel } from '../../../../src/detect/rate/rate-model.js';
import { detectionConfig } from '../../../support/detection.js';

const c = detectionConfig({ bucketMs: 60_000, shortWindowMs: 300_000, learningMs: 3_600_000 });
const W = 5;

/** Feeds `counts` (one per bucket from bucket 0) and returns the model. */
function trained(countAt: (bucket: number) => number, buckets: number): RateModel {
  const model = new RateModel();
  const window: number[] = [];
  const a = emptyRateAssessment();
  for (let b = 0; b < buckets; b++) {
    const count = countAt(b);
    window.push(count);
    if (window.length > W) window.shift();
    const sum = window.reduce((x, y) => x + y, 0);
    model.assess(sum, sum, b - W + 1, b, c, a);
    model.learn(b, count, count, a, { authors: sum, texts: sum }, false, c);
  }
  return model;
}

test('learning until learningMs of history, with a score of 0 whatever happens', () => {
  const model = trained(() => 10, 30);
  const a = model.assess(500, 500, 26, 30, c, emptyRateAssessment());
  assert.equal(a.learning, true);
  assert.equal(a.score, 0);
});

test('a steady key: the usual window is its level, the usual window scores low', () => {
  const model = trained(() => 10, 600);
  assert.ok(Math.abs(model.level - 10) < 0.01, `level=${model.level}`);
  const usual = model.assess(50, 50, 596, 600, c, emptyRateAssessment());
  assert.equal(usual.learning, false);
  assert.ok(Math.abs(usual.expectedMentions - 50) < 0.1);
  assert.ok(usual.score < 0.1, `score=${usual.score}`);
});

test('a 6x spike scores near 1; a 1.3x wobble does not', () => {
  const model = trained(() => 10, 600);
  assert.ok(model.assess(300, 300, 596, 600, c, emptyRateAssessment()).score > 0.95);
  assert.ok(model.assess(65, 65, 596, 600, c, emptyRateAssessment()).score < 0.25);
});

test('low volume is honest: 3 mentions against a usual 0.5 is not an anomaly', () => {
  const model = trained((b) => (b % 10 === 0 ? 1 : 0), 600);
  const a = model.assess(3, 3, 596, 600, c, emptyRateAssessment());
  assert.ok(a.score < 0.2, `score=${a.score}`);
});

test('engagement alone can make a window unusual', () => {
  const model = trained(() => 10, 600);
  const a = model.assess(50, 50 * 20, 596, 600, c, emptyRateAssessment());
  assert.ok(a.weightZ > 10 && a.volumeZ < 1, JSON.stringify(a));
  assert.ok(a.score > 0.9);
});

test('the baseline does not learn a storm: 2 hours at 8x move it by less than 25%', () => {
  const model = trained((b) => (b >= 600 ? 80 : 10), 720);
  assert.ok(model.level < 12.5, `level=${model.level}`);
});

test('slow growth is followed: doubling over three days leaves the window unremarkable', () => {
  const perDay = 24 * 60;
  const model = trained((b) => Math.round(10 * 2 ** (b / (3 * perDay))), 3 * perDay);
  const a = model.assess(100, 100, 3 * perDay - 5, 3 * perDay - 1, c, emptyRateAssessment());
  assert.ok(a.score < 0.2, `score=${a.score} level=${model.level}`);
});

test('daily rhythm is learned: the busy hour expects more than the quiet hour', () => {
  const perDay = 24 * 60;
  // 30 per minute from 12:00 to 18:00 UTC, 3 otherwise; ten days.
  const model = trained((b) => (Math.floor((b % perDay) / 60) >= 12 && Math.floor((b % perDay) / 60) < 18 ? 30 : 3), 10 * perDay);
  const busy = model.expected(10 * perDay + 14 * 60, 10 * perDay + 14 * 60 + 4, c);
  const quiet = model.expected(10 * perDay + 3 * 60, 10 * perDay + 3 * 60 + 4, c);
  assert.ok(busy > 100 && busy < 200, `busy=${busy}`);
  assert.ok(quiet > 8 && quiet < 25, `quiet=${quiet}`);
  // 150 in the busy hour is normal; 150 at 03:00 is a spike.
  assert.ok(model.assess(150, 150, 10 * perDay + 14 * 60, 10 * perDay + 14 * 60 + 4, c, emptyRateAssessment()).score < 0.2);
  assert.ok(model.assess(150, 150, 10 * perDay + 3 * 60, 10 * perDay + 3 * 60 + 4, c, emptyRateAssessment()).score > 0.9);
});
