import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkBySize } from '../../../src/kafka/chunks.js';

test('runs stay within the byte limit, in order; an oversized item goes alone', () => {
  const sizes = [300, 300, 300, 900, 2000, 100, 100];
  const chunks = chunkBySize(sizes, (s) => s, 1000);
  assert.deepEqual(chunks, [[300, 300, 300], [900], [2000], [100, 100]]);
  assert.deepEqual(chunks.flat(), sizes);
});

test('nothing in, nothing out', () => {
  assert.deepEqual(chunkBySize([], () => 1, 10), []);
});
