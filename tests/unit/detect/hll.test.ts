import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashString } from '../../../src/util/hash.js';
import { HLL_REGISTERS, hllAdd, hllEstimate, hllMergeInto } from '../../../src/detect/hll.js';

function sketchOf(values: string[]): Uint8Array {
  const registers = new Uint8Array(HLL_REGISTERS);
  for (const v of values) hllAdd(registers, 0, hashString(v));
  return registers;
}

test('an empty sketch estimates zero', () => {
  assert.equal(hllEstimate(new Uint8Array(HLL_REGISTERS)), 0);
});

test('repeats do not count: 500 posts from 5 accounts estimate 5', () => {
  const authors = Array.from({ length: 500 }, (_, i) => `bot-${i % 5}`);
  assert.equal(Math.round(hllEstimate(sketchOf(authors))), 5);
});

test('estimates stay within 40% of the truth from 10 to 5000 distinct values', () => {
  for (const n of [10, 50, 200, 1000, 5000]) {
    const estimate = hllEstimate(sketchOf(Array.from({ length: n }, (_, i) => `author-${i}`)));
    assert.ok(Math.abs(estimate - n) / n < 0.4, `n=${n} estimate=${estimate}`);
  }
});

test('merging sketches estimates the union', () => {
  const all = new Uint8Array(2 * HLL_REGISTERS);
  for (let i = 0; i < 20; i++) hllAdd(all, 0, hashString(`a${i}`));
  for (let i = 10; i < 30; i++) hllAdd(all, HLL_REGISTERS, hashString(`a${i}`));
  const merged = new Uint8Array(HLL_REGISTERS);
  hllMergeInto(merged, all, [0, HLL_REGISTERS]);
  const estimate = hllEstimate(merged);
  assert.ok(estimate > 24 && estimate < 37, `estimate=${estimate}`);
});
