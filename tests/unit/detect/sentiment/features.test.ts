import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DENSE_COUNT, Features, extractFeatures } from '../../../../src/detect/sentiment/features.js';
import { squash } from '../../../../src/detect/sentiment/lexicon.js';
import { TokenBuffer, tokenize } from '../../../../src/detect/sentiment/tokenizer.js';

const MASK = (1 << 16) - 1;

function features(text: string, lexiconSum = 0): Features {
  const buf = new TokenBuffer();
  const out = new Features();
  tokenize(text, buf);
  extractFeatures(buf, lexiconSum, MASK, out);
  return out;
}

test('hashed features: words, bigrams within a sentence, character 4-grams with word boundaries', () => {
  // good: 1 word + 3 four-grams of "^good$"; day: 1 word + 1 bigram + 2 four-grams of "^day$".
  assert.equal(features('Good day').hashedCount, 8);
  // The sentence break ends the bigram chain.
  assert.equal(features('Good. Day').hashedCount, 7);
  // Mentions and URLs are not features.
  assert.equal(features('@acme http://t.co/x good').hashedCount, 4);
  const a = features('Good day');
  const b = features('GOOD   day');
  assert.deepEqual([...a.hashed.subarray(0, 8)], [...b.hashed.subarray(0, 8)]);
  for (const x of a.hashed.subarray(0, 8)) assert.ok(x >= 0 && x <= MASK);
  assert.equal(new Set(a.hashed.subarray(0, 8)).size, 8);
});

test('dense features: lexicon and AFINN sums split by sign, emoji, exclamations, capitals', () => {
  const d = features('good GREAT day!!', 5.5).dense;
  assert.equal(d.length, DENSE_COUNT);
  // AFINN-165: good 3, great 3.
  assert.deepEqual([...d], [1, 0, squash(5.5), 0, squash(6), 0, 0, 2 / 4, 1]);
  const sad = features('bad 😡 :)', -4).dense;
  assert.equal(sad[1], squash(-4));
  assert.equal(sad[2], 0);
  assert.equal(sad[3], squash(-3));
  assert.ok((sad[5] as number) < 0 && (sad[6] as number) > 0);
  // Only capitals: no emphasis.
  assert.equal(features('ALL CAPS TEXT').dense[8], 0);
  assert.equal(features('!!!!!!!!').dense[7], 1);
});

test('an emoji is a hashed feature of its own', () => {
  assert.equal(features('😡').hashedCount, 1);
  assert.notEqual(features('😡').hashed[0], features('😊').hashed[0]);
});
