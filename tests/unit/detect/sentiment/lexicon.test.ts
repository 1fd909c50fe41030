import { test } from 'node:test';
import assert from 'node:assert/strict';
import Sentiment from 'sentiment';
import { createLexiconScorer, DEFAULT_NEUTRAL_BAND, DEFAULT_POSITIVE_BAND } from '../../../../src/detect/sentiment/lexicon.js';

const scorer = createLexiconScorer();
const en = (t: string): number => scorer.score(t, 'en').score;
/** score = s / sqrt(s² + 15) for a summed valence s. */
const squash = (s: number): number => s / Math.sqrt(s * s + 15);

test('single words follow the AFINN valence through the squash', () => {
  assert.equal(en('good'), squash(2));
  assert.equal(en('terrible'), squash(-3));
  assert.deepEqual(scorer.score('good', 'en'), { score: squash(2), label: 'positive', negativeIntensity: 0 });
  const bad = scorer.score('terrible', 'en');
  assert.equal(bad.label, 'negative');
  assert.equal(bad.negativeIntensity, -squash(-3));
});

test('empty, blank and valence-free text is neutral with score 0', () => {
  for (const t of ['', '   ', '\n\n', 'the flight to Boston', '12345', '@united http://t.co/abc']) {
    assert.deepEqual(scorer.score(t, 'en'), { score: 0, label: 'neutral', negativeIntensity: 0 });
  }
});

test('neutral band: |score| below the band is neutral', () => {
  assert.equal(DEFAULT_NEUTRAL_BAND, 0.05);
  const wide = createLexiconScorer({ neutralBand: 0.5 });
  assert.equal(wide.score('good', 'en').label, 'neutral'); // 0.459
  assert.equal(wide.score('good', 'en').score, squash(2));
  assert.equal(wide.score('great', 'en').label, 'positive'); // 0.612
  assert.throws(() => createLexiconScorer({ neutralBand: 1 }), RangeError);
});

test('positive band: one weak positive word is not yet positive', () => {
  assert.equal(DEFAULT_POSITIVE_BAND, 0.3);
  assert.equal(scorer.score('wow', 'en').label, 'neutral'); // s = 1, score 0.25
  assert.equal(scorer.score('wow', 'en').score, squash(1));
  assert.equal(scorer.score('good', 'en').label, 'positive'); // 0.459
  assert.equal(scorer.score('late', 'en').label, 'negative'); // the negative side keeps the neutral band
  assert.equal(createLexiconScorer({ positiveBand: 0 }).score('wow', 'en').label, 'positive');
  assert.equal(createLexiconScorer({ positiveBand: 0, neutralBand: 0.5 }).score('good', 'en').label, 'neutral');
  assert.throws(() => createLexiconScorer({ positiveBand: -0.1 }), RangeError);
});

test('negation flips and damps, with a scope of up to three words', () => {
  assert.equal(en('not good'), squash(-2)); // AFINN phrase
  assert.equal(en('not very nice'), squash(3 * 1.3 * -0.75));
  assert.equal(en("don't really like it"), squash(2 * -0.75)); // phrase "really like", negated
  assert.equal(en('not bad'), squash(-3 * -0.5));
  assert.equal(en('never was very helpful'), squash(2 * 1.3 * -0.75));
  // out of scope; the negation of neutral words counts -0.5 ("never was the crew")
  assert.equal(en('never was the crew very helpful'), squash(-0.5 + 2 * 1.3));
  // scope ends at punctuation and after three words
  assert.equal(en('not. good'), squash(-0.5 + 2));
  assert.equal(en('not the one that was good'), squash(-0.5 + 2));
});

test('a negation of neutral words is a mild complaint', () => {
  assert.equal(en("my bag didn't arrive"), squash(-0.5));
  assert.equal(scorer.score("the app won't let me log in", 'en').label, 'negative');
  assert.equal(scorer.score('nobody answers the phone', 'en').label, 'negative');
  // once per scope, and not when the negation meets a valenced word
  assert.equal(en("didn't didn't arrive"), squash(-0.5));
  assert.equal(en('not good'), squash(-2));
  assert.equal(en('never was very helpful'), squash(2 * 1.3 * -0.75));
  assert.equal(en("didn't like the food"), squash(-2)); // a phrase, not a negation
});

test('"but" clauses: what follows weighs more than what precedes', () => {
  assert.equal(en('the food was good but the service was terrible'), squash(2 * 0.5 + -3 * 1.5));
  assert.equal(en('the service was terrible but the food was good'), squash(-3 * 0.5 + 2 * 1.5));
  assert.equal(scorer.score('great seats but delayed again, rude staff', 'en').label, 'negative');
  // "although" opens a clause that weighs less
  assert.equal(en('although it was late, great crew'), squash(-1 * 0.5 + 3));
});

test('intensifiers, diminishers, ALL CAPS, elongation and exclamation marks', () => {
  assert.equal(en('very good'), squash(2 * 1.3));
  assert.equal(en('extremely bad'), squash(-3 * 1.6));
  assert.equal(en('slightly annoying'), squash(-2 * 0.5));
  assert.equal(en('this is TERRIBLE'), squash(-3 * 1.5));
  assert.equal(en('TERRIBLE'), squash(-3)); // all-caps text: no extra emphasis
  assert.equal(en('sooo baaad'), squash(-3 * 1.2 * (1 + 0.4 * 1.3)));
  assert.equal(en('terrible!!!'), squash(-3 - 0.9));
  assert.equal(en('terrible!!!!!!!!'), squash(-3 - 1.2));
  assert.ok(en('awful') > en('AWFUL service'));
});

test('emoji and emoticons carry valence in any language', () => {
  assert.equal(en('😡'), squash(-4));
  assert.equal(en('🤬👎'), squash(-8));
  assert.equal(en('😭💩'), squash(-6));
  assert.equal(en(':('), squash(-2));
  assert.equal(en(':-('), squash(-2));
  assert.equal(en('>:('), squash(-4));
  assert.equal(en('😍❤️👍🙏'), squash(4 + 3 + 2 + 1));
  assert.equal(en(':) :D'), squash(5));
  assert.equal(en('👍🏽'), squash(2)); // skin tone modifier ignored
  assert.equal(scorer.score('🤬', 'ja').label, 'negative');
  assert.equal(en('re:play'), 0); // no emoticon inside words
});

test('crisis and service-failure vocabulary is negative', () => {
  for (const t of [
    'flight cancelled',
    'my flight got delayed again',
    'still waiting for my refund',
    'the site is down',
    'massive outage this morning',
    'data breach exposed customer emails',
    'time to boycott them',
    'this is a scam',
    'stuck on the tarmac',
    'they lost my luggage',
    'rude staff at the counter',
    'worst airline ever',
    'never again',
    'on hold for an hour',
    'no response from support',
    'my account was hacked',
    'product recall announced',
    'class action lawsuit filed',
    '#fail',
    '#boycott',
    '#customerservicefail',
    '#nothappy',
  ]) {
    assert.equal(scorer.score(t, 'en').label, 'negative', t);
  }
  assert.equal(en('#fail'), squash(-2 * 1.2));
});

test('courtesy: thanks count in full unless the rest of the text is negative', () => {
  assert.equal(en('thanks'), squash(2));
  assert.equal(en('thanks, great crew'), squash(3 + 2));
  // polite closing of a complaint: a quarter of its valence
  assert.equal(en('still no refund, thanks'), squash(-2 - 1 + 2 * 0.25)); // "still no" + refund
  assert.equal(en('thank you for the delay'), squash(-2 + 2 * 0.25));
  assert.equal(scorer.score('my bag is lost. thanks', 'en').label, 'negative');
  // "thanks for nothing" is a complaint phrase, counted as is
  assert.equal(en('thanks for nothing'), squash(-3));
  // contrast halves courtesy before "but" like everything else
  assert.equal(en('thanks but the seat was broken'), squash(2 * 0.5 * 0.25 + -2 * 1.5));
});

test('mentions and URLs are neutral noise', () => {
  assert.equal(en('@awesomeairline http://great.example/love'), 0);
  assert.equal(en('@united thanks'), en('thanks'));
});

test('Dutch lexicon, negation and stems', () => {
  const nl = (t: string): number => scorer.score(t, 'nl').score;
  assert.equal(nl('goed'), squash(2));
  assert.equal(nl('niet goed'), squash(2 * -0.75));
  assert.equal(nl('heel slechte service'), squash(-3 * 1.3));
  assert.equal(scorer.score('Mijn vlucht is geannuleerd, echt schandalig', 'nl-NL').label, 'negative');
  assert.equal(scorer.score('Geweldige service, dank jullie wel!', 'nl').label, 'positive');
  assert.equal(scorer.score('geen reactie van de klantenservice', 'nl').label, 'negative');
  assert.equal(nl('die'), 0); // English false friend of the fallback lexicon
  assert.equal(scorer.score('die', 'en').label, 'negative');
});

test('German lexicon, negation and stems', () => {
  const de = (t: string): number => scorer.score(t, 'de').score;
  assert.equal(de('gut'), squash(2));
  assert.equal(de('nicht gut'), squash(2 * -0.75));
  assert.equal(de('kein gutes Zeichen'), squash(2 * -0.75));
  assert.equal(de('sehr schlechter Service'), squash(-3 * 1.3));
  assert.equal(scorer.score('Schon wieder Verspätung, eine Frechheit!', 'de-DE').label, 'negative');
  assert.equal(scorer.score('Super Service, vielen Dank :)', 'de-AT').label, 'positive');
  assert.equal(scorer.score('Die Seite ist gut aber die App ist eine Katastrophe', 'de').label, 'negative');
  assert.equal(de('die war'), 0); // "die", "war" are not English here
  assert.equal(de('awesome'), squash(4)); // English words in German tweets still count
});

test('language tags: region subtags, case, unknown and undefined fall back to English', () => {
  assert.deepEqual(scorer.score('terrible', 'en-US'), scorer.score('terrible', undefined));
  assert.deepEqual(scorer.score('terrible', 'EN'), scorer.score('terrible', 'en'));
  assert.deepEqual(scorer.score('terrible', 'fr'), scorer.score('terrible', 'en'));
  assert.deepEqual(scorer.score('gut', 'DE_de'), scorer.score('gut', 'de'));
  const emojiOnly = createLexiconScorer({ unsupportedLanguage: 'emoji-only' });
  assert.equal(emojiOnly.score('terrible', 'fr').score, 0);
  assert.equal(emojiOnly.score('terrible 😡', 'fr').score, squash(-4));
  assert.equal(emojiOnly.score('terrible', 'en').score, squash(-3));
  assert.equal(emojiOnly.score('terrible', undefined).score, squash(-3));
});

test('huge text stays bounded and fast', () => {
  const text = 'the flight was delayed and the crew was rude but the food was good. '.repeat(20_000);
  const t0 = process.hrtime.bigint();
  const r = scorer.score(text, 'en');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(r.score >= -1 && r.score <= 1);
  assert.ok(Number.isFinite(r.score));
  assert.ok(r.negativeIntensity >= 0 && r.negativeIntensity <= 1);
  assert.ok(ms < 2000, `took ${ms} ms`);
});

test('invalid surrogates and odd code points do not throw and are ignored', () => {
  assert.equal(en('\uD83D'), 0);
  assert.equal(en('\uDE21'), 0);
  assert.equal(en('bad\uD83Dgood'), en('bad good'));
  assert.equal(en('\uDE21\uD83D terrible \uD83D'), squash(-3));
  assert.equal(en('\u0000\uFFFF\uFEFF'), 0);
  assert.equal(en('İstanbul is great'), squash(3)); // length-changing lower case
});

test('scores are always in range and deterministic', () => {
  for (const t of ['😡'.repeat(1000), 'love '.repeat(500), 'NOT GOOD!!!!!!', '...', 'x']) {
    const a = scorer.score(t, 'en');
    assert.ok(a.score >= -1 && a.score <= 1, t);
    assert.deepEqual(scorer.score(t, 'en'), a);
  }
});

test('extras belong to one scorer: no shared mutation', () => {
  const before = scorer.score('the flight was meh and quite stormy', 'en');
  const custom = createLexiconScorer({ extras: { stormy: -5, 'quite stormy': -5, good: 5 } });
  assert.equal(custom.score('stormy', 'en').score, squash(-5));
  assert.equal(custom.score('good', 'de').score, squash(5)); // extras apply to every language pack
  assert.deepEqual(scorer.score('the flight was meh and quite stormy', 'en'), before);
  assert.equal(scorer.score('good', 'en').score, squash(2));
  assert.equal(createLexiconScorer().score('stormy', 'en').score, 0);
  // the plain `sentiment` package mutating its own lexicon does not reach us either
  new Sentiment().analyze('stormy', { extras: { stormy: -5, good: -5 } });
  assert.equal(scorer.score('good', 'en').score, squash(2));
  assert.equal(createLexiconScorer().score('good', 'en').score, squash(2));
});
