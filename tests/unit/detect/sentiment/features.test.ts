import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DENSE_COUNT, Features, extractFeatures } from '../../../../src/detect/sentiment/features.js';
import { squash } from '../../../../src/detect/sentiment/lexicon.js';
import { TokenBuffer, WORD, tokenize } from '../../../../src/detect/sentiment/tokenizer.js';
import { hashString } from '../../../../src/util/hash.js';
import { logits } from '../../../../src/detect/sentiment/model.js';
import { ModelLogits } from '../../../../src/detect/sentiment/model-logits.js';
import { shippedModel } from '../../../../src/detect/sentiment/scorer.js';

const MASK = (1 << 16) - 1;

function features(text: string, lexiconSum = 0): Features {
  const buf = new TokenBuffer();
  const out = new Features();
  tokenize(text, buf);
  extractFeatures(buf, lexiconSum, MASK, out);
  return out;
}

test('hashed features: words and their character 4-grams with word boundaries', () => {
  // good: 1 word + 3 four-grams of "^good$"; day: 1 word + 2 four-grams of "^day$"; a: the word only.
  assert.equal(features('Good day').hashedCount, 7);
  assert.equal(features('Good. Day, a').hashedCount, 8);
  // Mentions and URLs are not features.
  assert.equal(features('@acme http://t.co/x good').hashedCount, 4);
  const a = features('Good day');
  const b = features('GOOD   day');
  assert.deepEqual([...a.hashed.subarray(0, 7)], [...b.hashed.subarray(0, 7)]);
  for (const x of a.hashed.subarray(0, 7)) assert.ok(x >= 0 && x <= MASK);
  assert.equal(new Set(a.hashed.subarray(0, 7)).size, 7);
  // The word's bucket is its hashString.
  assert.equal(features('good').hashed[0], hashString('good') & MASK);
});

test('dense features: the lexicon sum split by sign, emoji, exclamations, capitals', () => {
  const d = features('good GREAT day!!', 5.5).dense;
  assert.equal(d.length, DENSE_COUNT);
  assert.deepEqual([...d], [1, 0, squash(5.5), 0, 0, 2 / 4, 1]);
  const sad = features('bad 😡 :)', -4).dense;
  assert.equal(sad[1], squash(-4));
  assert.equal(sad[2], 0);
  assert.ok((sad[3] as number) < 0 && (sad[4] as number) > 0);
  // Only capitals: no emphasis.
  assert.equal(features('ALL CAPS TEXT').dense[6], 0);
  assert.equal(features('!!!!!!!!').dense[5], 1);
});

test('the bucket array grows for long texts', () => {
  const f = features('word '.repeat(500));
  assert.equal(f.hashedCount, 500 * 4); // each: 1 word + 3 four-grams of "^word$"
});

test('word hashes from the tokenizer are hashString of the stored words', () => {
  const buf = new TokenBuffer();
  tokenize('Straße GROSS don\u2019t ÉTÉ İstanbul x-ray n°1 ÜBER über Ωmega', buf);
  let words = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf.kinds[i] !== WORD) continue;
    words++;
    assert.equal(buf.hashes[i], hashString(buf.words[i] as string), buf.words[i]);
  }
  assert.equal(words, 11);
});

test('an emoji is a hashed feature of its own', () => {
  assert.equal(features('😡').hashedCount, 1);
  assert.notEqual(features('😡').hashed[0], features('😊').hashed[0]);
});

test('words remembered by the buffer are stored as a fresh slice would be', () => {
  const buf = new TokenBuffer();
  tokenize('Don\u2019t GO', buf);
  assert.deepEqual([buf.words[0], buf.words[1]], ["don't", 'go']);
  tokenize("don't go, Go! gO DON'T dont", buf);
  assert.deepEqual(
    Array.from({ length: buf.length }, (_, i) => buf.words[i]),
    ["don't", 'go', '', 'go', '', 'go', "don't", 'dont'],
  );
});

test('the model logits with the word memo equal logits of the extracted features, cold and warm', () => {
  const model = shippedModel();
  const memo = new ModelLogits(model);
  const buf = new TokenBuffer();
  const f = new Features();
  const expected = new Float64Array(3);
  const got = new Float64Array(3);
  const texts = ['Good day', 'not GOOD at all!!! 😡', 'Straße über ÉTÉ', "don\u2019t @x http://t.co ok :)", 'word '.repeat(300), 'good day good day', '', '...'];
  for (const round of [0, 1]) {
    for (const [i, text] of texts.entries()) {
      tokenize(text, buf);
      extractFeatures(buf, i - 3, model.mask, f);
      const slot = 1 + (i % model.languages.length);
      const has = memo.of(buf, i - 3, slot, got);
      assert.equal(has, f.hashedCount > 0, `${text} (round ${round})`);
      if (!has) continue;
      logits(model, f, slot, expected);
      assert.deepEqual([...got], [...expected], `${text} (round ${round})`);
    }
  }
});
