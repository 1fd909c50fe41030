import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLexiconScorer } from '../../../../src/detect/sentiment/lexicon.js';
import { DENSE_COUNT, DENSE_FEATURES } from '../../../../src/detect/sentiment/features.js';
import { loadModel, type ModelSource } from '../../../../src/detect/sentiment/model.js';
import { createSentimentScorer, LEXICON_LANGUAGES, shippedModel, USAGE_LANGUAGES } from '../../../../src/detect/sentiment/scorer.js';

/**
 * A hand-made model over languages en and fr with a 4-bucket table: every bucket votes +2 × 0.5 for
 * negative, and fr's own bias +2 for positive; everything else is 0. Labels need |score| ≥ 0.6.
 */
function tinyModel(): ModelSource {
  const dense = new Float32Array(3 * DENSE_COUNT * 3);
  dense[(2 * DENSE_COUNT + 0) * 3 + 2] = 2; // slot 2 (fr), feature 0 (bias), class positive
  const hashed = new Int8Array(4 * 3);
  for (let b = 0; b < 4; b++) hashed[b * 3] = 2;
  return {
    format: 1,
    languages: ['en', 'fr'],
    dense: [...DENSE_FEATURES],
    hashBits: 2,
    hashScale: 0.5,
    negativeBand: 0.6,
    positiveBand: 0.6,
    denseWeights: Buffer.from(dense.buffer).toString('base64'),
    hashedWeights: Buffer.from(hashed.buffer).toString('base64'),
  };
}

test('scores are p(positive) − p(negative) of the softmax; bands give the label', () => {
  const scorer = createSentimentScorer({ model: tinyModel(), lexiconLanguages: [] });
  // "abcd": 1 word + 3 character 4-grams ("^abc", "abcd", "bcd$") = 4 hashed features, each 0.5 × 2,
  // scaled by 1/√4: logits (2, 0, 0) in en.
  const e2 = Math.exp(2);
  const en = scorer.score('abcd', 'en');
  assert.equal(en.label, 'negative');
  assert.ok(Math.abs(en.score - (1 - e2) / (e2 + 2)) < 1e-12);
  assert.equal(en.negativeIntensity, -en.score);
  // fr adds its own bias: logits (2, 0, 2), so p(negative) = p(positive) and the score is 0.
  assert.deepEqual(createSentimentScorer({ model: tinyModel(), lexiconLanguages: [] }).score('abcd', 'fr-CA'), { score: 0, label: 'neutral', negativeIntensity: 0 });
  // "ab": 1 word + 1 four-gram: logits (√2, 0, 0); score −0.51 is inside the band.
  const ab = scorer.score('ab', 'en');
  const es2 = Math.exp(Math.SQRT2);
  assert.ok(Math.abs(ab.score - (1 - es2) / (es2 + 2)) < 1e-12);
  assert.equal(ab.label, 'neutral');
  assert.equal(ab.negativeIntensity, 0);
});

test('a language in sharedSlotLanguages is scored by the shared weights alone', () => {
  const scorer = createSentimentScorer({ model: tinyModel(), sharedSlotLanguages: ['nl'], lexiconLanguages: [] });
  // nl has no slot: the shared weights give logits (2, 0, 0), as for en, whose slot is empty.
  assert.deepEqual(scorer.score('abcd', 'nl'), scorer.score('abcd', 'en'));
  assert.notDeepEqual(scorer.score('abcd', 'nl'), createLexiconScorer().score('abcd', 'nl'));
  const counts = Object.fromEntries(scorer.usage().filter((u) => u.texts > 0).map((u) => [`${u.lang}/${u.scorer}`, u.texts]));
  assert.deepEqual(counts, { 'nl/model': 2, 'en/model': 1 });
});

test('a model whose header does not match its weights or features is refused', () => {
  assert.throws(() => loadModel({ ...tinyModel(), hashBits: 3 }), /do not match/);
  assert.throws(() => loadModel({ ...tinyModel(), dense: ['bias'] }), /other dense features/);
  assert.throws(() => loadModel({ ...tinyModel(), format: 2 as 1 }), /format 2/);
});

test('text without tokens is neutral with score 0, whatever the model', () => {
  const scorer = createSentimentScorer();
  for (const t of ['', '   ', '@united http://t.co/abc', '\n\n', '?!...']) assert.deepEqual(scorer.score(t, 'en'), { score: 0, label: 'neutral', negativeIntensity: 0 });
});

test('the shipped model: clear texts get their label, and scores order negative < neutral < positive', () => {
  const scorer = createSentimentScorer();
  const cases: Array<[string, string, string, string]> = [
    ['en', 'Worst airline ever, my bag is lost and nobody answers', 'The meeting is at 3pm in room 204', 'I love this, great service!'],
    ['fr', "Je déteste ce service, c'est vraiment nul", 'Le train part à 8 heures de Lyon', "Merci beaucoup, c'est génial !"],
    ['es', 'Odio este servicio, es horrible', 'El tren sale a las ocho de Madrid', '¡Me encanta, muchas gracias!'],
    ['de', 'Das ist eine Frechheit, schon wieder Verspätung', 'Der Zug fährt um acht Uhr ab Berlin', 'Vielen Dank, super Service!'],
  ];
  for (const [lang, negative, neutral, positive] of cases) {
    const [n, z, p] = [negative, neutral, positive].map((t) => scorer.score(t, lang).score) as [number, number, number];
    assert.ok(n < z && z < p, `${lang}: ${n} < ${z} < ${p}`);
  }
  for (const [lang, text, label] of [
    ['en', 'Worst airline ever, my bag is lost and nobody answers', 'negative'],
    ['en', 'The meeting is at 3pm in room 204', 'neutral'],
    ['en', 'I love this, great service!', 'positive'],
    ['es', 'Odio este servicio, es horrible', 'negative'],
    ['es', '¡Me encanta, muchas gracias!', 'positive'],
    ['de', 'Das ist eine Frechheit, schon wieder Verspätung', 'negative'],
    ['de', 'Der Zug fährt um acht Uhr ab Berlin', 'neutral'],
    ['de', 'Vielen Dank, super Service!', 'positive'],
    ['it', 'Grazie mille, bellissimo!', 'positive'],
    ['pt', 'Adorei, muito obrigado!', 'positive'],
  ]) {
    assert.equal(scorer.score(text as string, lang).label, label, `${lang}: ${text}`);
  }
  const outrage = scorer.score('the app is down again 😡', 'en');
  assert.equal(outrage.label, 'negative');
  assert.ok(outrage.negativeIntensity > 0.5 && outrage.negativeIntensity <= 1);
});

test('English and untagged text get the lexicon result (the lexicon scores English better on val); the model keeps its en slot', () => {
  assert.deepEqual(LEXICON_LANGUAGES, ['en']);
  const scorer = createSentimentScorer();
  const lexicon = createLexiconScorer();
  const slot = createSentimentScorer({ lexiconLanguages: [] });
  for (const lang of ['en', 'en-GB', 'EN', undefined, '']) {
    assert.deepEqual(scorer.score('not bad at all, thanks', lang), lexicon.score('not bad at all, thanks', lang));
  }
  // By its slot the model scores the same text otherwise.
  assert.notDeepEqual(slot.score('not bad at all, thanks', 'en'), lexicon.score('not bad at all, thanks', 'en'));
  const counts = Object.fromEntries(scorer.usage().filter((u) => u.texts > 0).map((u) => [`${u.lang}/${u.scorer}`, u.texts]));
  assert.deepEqual(counts, { 'en/lexicon': 3, 'other/lexicon': 2 });
});

test('nl and languages without a model get the lexicon result, unchanged; usage is counted by language', () => {
  const scorer = createSentimentScorer();
  const lexicon = createLexiconScorer();
  for (const [text, lang] of [['Wat een slechte service, nooit meer!', 'nl'], ['Top, bedankt!', 'nl-BE'], ['bonjour 😡', 'xx'], ['great', 'ja']] as const) {
    assert.deepEqual(scorer.score(text, lang), lexicon.score(text, lang));
  }
  const emojiOnly = createSentimentScorer({ unsupportedLanguage: 'emoji-only' });
  assert.equal(emojiOnly.score('great', 'ja').label, 'neutral');
  assert.equal(emojiOnly.score('great', 'en').label, scorer.score('great', 'en').label);
  scorer.score('bad day', 'fr');
  scorer.score('bad day', undefined);
  scorer.score('bad day', '');
  const counts = Object.fromEntries(scorer.usage().filter((u) => u.texts > 0).map((u) => [`${u.lang}/${u.scorer}`, u.texts]));
  assert.deepEqual(counts, { 'nl/lexicon': 2, 'other/lexicon': 4, 'en/lexicon': 1, 'fr/model': 1 });
  assert.equal(scorer.usage().length, USAGE_LANGUAGES.length * 2);
});

test('bad input does not throw', () => {
  const scorer = createSentimentScorer();
  for (const t of ['\ud800', 'a\udc00b', '\u0130stanbul', 'x'.repeat(100_000), '🏳️‍🌈'.repeat(50)]) {
    const r = scorer.score(t, 'en');
    assert.ok(r.score >= -1 && r.score <= 1);
  }
  assert.equal(scorer.score(undefined as unknown as string, 'en').score, 0);
});

test('the shipped model is small', () => {
  assert.ok(shippedModel().bytes < 4 * 1024 * 1024);
  assert.deepEqual(shippedModel().languages, ['en', 'fr', 'es', 'de', 'it', 'pt']);
});
