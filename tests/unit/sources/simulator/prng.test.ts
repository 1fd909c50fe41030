import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AliasTable, Rng, WeightedChoice, hash32 } from '../../../../src/sources/simulator/prng.js';

test('Rng: same seed same sequence, in [0, 1), streams differ', () => {
  const a = new Rng(1);
  const b = new Rng(1);
  const c = new Rng(2);
  const d = new Rng(1, 5);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 1000 }, () => c.next()));
  assert.notDeepEqual(xs, Array.from({ length: 1000 }, () => d.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.03);
});

test('Rng: exponential gaps have mean 1/rate; normals have mean 0 and sd 1', () => {
  const rng = new Rng(9);
  const n = 50_000;
  let gaps = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    gaps += rng.exponential(4);
    const z = rng.normal();
    sum += z;
    squares += z * z;
  }
  assert.ok(Math.abs(gaps / n - 0.25) < 0.005);
  assert.ok(Math.abs(sum / n) < 0.02);
  assert.ok(Math.abs(Math.sqrt(squares / n) - 1) < 0.02);
});

test('hash32 is stable and spreads nearby inputs', () => {
  assert.equal(hash32(1, 2, 3, 4), hash32(1, 2, 3, 4));
  const values = new Set(Array.from({ length: 10_000 }, (_, i) => hash32(42, 0, 0, i)));
  assert.equal(values.size, 10_000);
});

test('AliasTable and WeightedChoice draw in proportion to the weights', () => {
  const weights = [5, 1, 0, 4];
  const alias = new AliasTable(weights);
  const choice = new WeightedChoice(weights.map((w, i) => [i, w] as const));
  const rng = new Rng(3);
  const a = [0, 0, 0, 0];
  const w = [0, 0, 0, 0];
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    a[alias.sample(rng.next())]!++;
    w[choice.sample(rng.next())]!++;
  }
  for (const counts of [a, w]) {
    assert.equal(counts[2], 0);
    assert.ok(Math.abs(counts[0]! / n - 0.5) < 0.01);
    assert.ok(Math.abs(counts[1]! / n - 0.1) < 0.01);
    assert.ok(Math.abs(counts[3]! / n - 0.4) < 0.01);
  }
  assert.throws(() => new AliasTable([]));
  assert.throws(() => new WeightedChoice([['x', 0]]));
});
