import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashString } from '../../../../src/util/hash.js';
import { HLL_REGISTERS } from '../../../../src/detect/hll.js';
import { BucketRing, emptySums, Field } from '../../../../src/detect/window/bucket-ring.js';

const scratch = () => ({ hll: new Uint8Array(HLL_REGISTERS), offsets: [] as number[] });

test('adds land in their own bucket and window sums cover exactly first..last', () => {
  const ring = new BucketRing(8);
  ring.add(100, 2, true, 0.8, true, false, hashString('a'), hashString('t1'));
  ring.add(100, 1, false, 0, false, false, hashString('b'), hashString('t2'));
  ring.add(101, 3, false, 0, true, false, hashString('a'), hashString('t1'));
  // A text in a script we do not read: volume, not tone (its negative and alarm flags are ignored).
  ring.add(101, 1, true, 0.9, true, true, hashString('d'), hashString('t4'));
  ring.add(103, 1, true, 0.4, false, false, hashString('c'), hashString('t3'));
  assert.equal(ring.get(100, Field.Mentions), 2);
  assert.equal(ring.get(100, Field.Negative), 1);
  assert.equal(ring.get(102, Field.Mentions), 0);
  const s = scratch();
  const sums = ring.distinct(100, 101, ring.sum(100, 101, emptySums()), s.hll, s.offsets);
  assert.deepEqual(sums, { mentions: 4, weight: 7, negative: 1, negativeIntensity: Math.fround(0.8), unread: 1, alarm: 2, authors: 3, texts: 3 });
  const all = ring.distinct(100, 103, ring.sum(100, 103, emptySums()), s.hll, s.offsets);
  assert.equal(all.mentions, 5);
  assert.equal(all.authors, 4);
});

test('clearing a bucket frees its slot for the bucket a ring later', () => {
  const ring = new BucketRing(4);
  ring.add(10, 1, false, 0, false, false, 1, 2);
  ring.clear(10);
  ring.add(14, 1, false, 0, false, false, 3, 4); // same slot as 10
  assert.equal(ring.get(14, Field.Mentions), 1);
  const s = scratch();
  assert.equal(ring.distinct(14, 14, ring.sum(14, 14, emptySums()), s.hll, s.offsets).authors, 1);
});

test('an empty window reports zero distinct authors and texts', () => {
  const ring = new BucketRing(4);
  const s = scratch();
  assert.deepEqual(ring.distinct(0, 3, ring.sum(0, 3, { ...emptySums(), authors: 7, texts: 7 }), s.hll, s.offsets), { mentions: 0, weight: 0, negative: 0, negativeIntensity: 0, unread: 0, alarm: 0, authors: 0, texts: 0 });
});

test('clear forgets a bucket also after a restore, and a cleared ring is as good as new', async () => {
  const { FIELDS } = await import('../../../../src/detect/window/bucket-ring.js');
  const ring = new BucketRing(4);
  ring.add(10, 2, true, 0.5, true, false, hashString('a'), hashString('t'));
  ring.clear(10);
  assert.equal(ring.get(10, Field.Weight), 0);
  // A restored bucket without a count (a hand-made snapshot) is still cleared.
  const sums = new Float32Array(FIELDS).fill(1);
  sums[Field.Mentions] = 0;
  ring.writeBucket(11, sums, new Uint8Array(2 * HLL_REGISTERS).fill(3));
  ring.clear(11);
  assert.equal(ring.get(11, Field.Weight), 0);
  const out = new Float32Array(FIELDS);
  const sketches = new Uint8Array(2 * HLL_REGISTERS);
  ring.readBucket(11, out, sketches);
  assert.ok(sketches.every((r) => r === 0));
  ring.add(12, 1, false, 0, false, false, hashString('b'), hashString('u'));
  ring.clearAll();
  const fresh = new BucketRing(4);
  const { hll, offsets } = scratch();
  assert.deepEqual(ring.distinct(9, 12, ring.sum(9, 12, emptySums()), hll, offsets), fresh.distinct(9, 12, fresh.sum(9, 12, emptySums()), hll, offsets));
});

test('rings of a pool share chunks without sharing data, and come back cleared', async () => {
  const { RingPool } = await import('../../../../src/detect/window/bucket-ring.js');
  const pool = new RingPool(4, 3);
  const rings = Array.from({ length: 7 }, () => pool.take());
  assert.equal(pool.capacity, 7);
  rings.forEach((ring, i) => {
    for (let n = 0; n <= i; n++) ring.add(20 + (i % 4), 1, true, 0.5, false, false, hashString(`a${i}-${n}`), hashString(`t${i}-${n}`));
  });
  const { hll, offsets } = scratch();
  rings.forEach((ring, i) => {
    const own = new BucketRing(4);
    for (let n = 0; n <= i; n++) own.add(20 + (i % 4), 1, true, 0.5, false, false, hashString(`a${i}-${n}`), hashString(`t${i}-${n}`));
    assert.deepEqual(ring.distinct(20, 23, ring.sum(20, 23, emptySums()), hll, offsets), own.distinct(20, 23, own.sum(20, 23, emptySums()), hll, offsets), `ring ${i}`);
  });
  pool.give(rings[5]!);
  pool.give(new BucketRing(4)); // not the pool's: ignored
  const again = pool.take();
  assert.equal(again, rings[5]);
  assert.equal(again.sum(0, 100, emptySums()).mentions, 0, 'cleared');
  assert.equal(rings[4]!.sum(20, 23, emptySums()).mentions, 5, 'neighbours untouched');
  assert.equal(pool.capacity, 7);
});
