import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyNegativityAssessment, NegativityModel } from '../../../../src/detect/negativity/negativity-model.js';
import { detectionConfig } from '../../../support/detection.js';

const c = detectionConfig();

test('a new key has the prior usual share of 20%', () => {
  assert.equal(new NegativityModel().usualShare(), 0.2);
});

test('the usual share learns only while calm', () => {
  const model = new NegativityModel();
  for (let i = 0; i < 2000; i++) model.learn(10, 3, 10, true, c);
  assert.ok(Math.abs(model.usualShare() - 0.3) < 0.005, `${model.usualShare()}`);
  for (let i = 0; i < 120; i++) model.learn(10, 9, 10, false, c);
  assert.ok(Math.abs(model.usualShare() - 0.3) < 0.005, 'a storm does not become normal');
});

test('the short window share comes with a Wilson interval', () => {
  const a = new NegativityModel().assess(40, 30, 24, emptyNegativityAssessment());
  assert.equal(a.share, 0.75);
  assert.ok(a.low > 0.59 && a.low < 0.62 && a.high > 0.85 && a.high < 0.88, JSON.stringify(a));
  assert.equal(a.intensity, 0.8);
});

test('in the slow window a spike bucket weighs no more than a usual bucket, and is forgotten on request', () => {
  const model = new NegativityModel();
  model.learn(1000, 900, 10, false, c); // a storm minute, usually 10 mentions
  assert.equal(model.slowMentions, 10);
  assert.equal(model.slowNegative, 9);
  model.forgetSlowWindow();
  assert.equal(model.slowMentions, 0);
});

test('the slow window halves every drizzleHalfLifeMs', () => {
  const model = new NegativityModel();
  model.learn(10, 5, 10, true, c);
  const buckets = c.drizzleHalfLifeMs / c.bucketMs;
  for (let i = 0; i < buckets; i++) model.learn(0, 0, 10, true, c);
  assert.ok(Math.abs(model.slowMentions - 5) < 1e-9, `${model.slowMentions}`);
});
