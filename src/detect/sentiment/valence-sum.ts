import type { LanguagePack } from './language-pack.js';
import { CLAUSE, EMOJI, F_CAPS, F_ELONGATED, F_HASHTAG, SENTENCE, WORD, type TokenBuffer } from './tokenizer.js';
import {
  B_BOOSTER,
  B_CONCESSIVE,
  B_CONTEXTUAL,
  B_CONTRAST,
  B_COURTESY,
  B_FALLBACK_PHRASE,
  B_IRREALIS,
  B_NEGATOR,
  B_PHRASE,
  NO_VALUE,
  collapse,
  entryOf,
  remember,
  valenceOf,
  type Scoring,
} from './word-index.js';
import { hashString } from '../../util/hash.js';

// Scoring constants (see docs/sentiment.md).
const NEGATION_SCOPE = 3; // word tokens after a negator
const NEGATE_POSITIVE = -0.75; // "not good" ≈ -0.75 × good
const NEGATE_NEGATIVE = -0.5; // "not bad" ≈ +0.5 × |bad|
const CAPS_BOOST = 0.5; // "GREAT" when the rest of the text is not all caps
const ELONGATION_BOOST = 0.2; // "baaad"
const HASHTAG_BOOST = 0.2; // "#fail"
const CONTRAST_BEFORE = 0.5; // what precedes "but" ...
const CONTRAST_AFTER = 1.5; // ... and what follows it
const CONCESSIVE_WEIGHT = 0.5; // the clause opened by "although"
const EXCLAMATION_STEP = 0.3; // added to |sum| per "!" (at most 4)
const IRREALIS_SCOPE = 3; // word tokens after "would" / "if" ...
const IRREALIS_POSITIVE = 0.3; // "would be great" ≈ 0.3 × great
const COURTESY_IN_COMPLAINT = 0.25; // "thanks" in an otherwise negative text ≈ 0.25 × thanks
const NEGATED_NEUTRAL = -0.5; // "didn't arrive", "won't let me": a negator whose scope has no valenced word

/**
 * The weighted valence sum of a tokenised text with one pack's words and rules. One function with
 * its state in locals: split into steps over a shared state object it ran about a tenth slower
 * (V8 then inlines the smaller body into its callers and runs out of inlining budget for the steps).
 */
export function sumTokens(buf: TokenBuffer, scoring: Scoring): number {
  const pack = scoring.pack;
  const emphasiseCaps = buf.capsWords > 0 && buf.capsWords < buf.letterWords;
  const fallback = pack.fallback;
  let sum = 0;
  let courtesy = 0; // positive valence of courtesy words, added at the end
  let weight = 1; // becomes CONTRAST_AFTER after "but"
  let concessive = false;
  let negLeft = 0;
  let negStub = 0; // NEGATED_NEUTRAL already added for the open negation scope, until a valenced word takes it
  let boost = 0;
  let boostLeft = 0;
  let irrealisLeft = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const kind = buf.kinds[i];
    if (kind === SENTENCE || kind === CLAUSE) {
      negLeft = 0;
      negStub = 0;
      boost = 0;
      boostLeft = 0;
      irrealisLeft = 0;
      concessive = false;
      continue;
    }
    if (kind === EMOJI) {
      sum += (buf.values[i] as number) * weight;
      continue;
    }
    let word = buf.words[i] as string;
    const flags = buf.flags[i] as number;
    let hash = buf.hashes[i] as number;
    if ((flags & F_ELONGATED) !== 0) {
      const collapsed = collapse(word, pack);
      if (collapsed !== word) hash = hashString((word = collapsed));
    }
    const known = entryOf(word, hash, scoring);
    const bits = known === undefined ? 0 : known.bits;

    // multi-word expressions first
    let list = (bits & B_PHRASE) !== 0 ? pack.phrases.get(word) : undefined;
    let p = list === undefined ? -1 : matchPhrase(buf, i, list);
    if (p < 0 && (bits & B_FALLBACK_PHRASE) !== 0) {
      list = fallback!.phrases.get(word);
      p = list === undefined ? -1 : matchPhrase(buf, i, list);
    }
    if (p >= 0 && list !== undefined) {
      const phrase = list[p] as { rest: readonly string[]; value: number };
      let v = phrase.value;
      if (boost !== 0) v *= 1 + boost;
      if (emphasiseCaps && (flags & F_CAPS) !== 0) v *= 1 + CAPS_BOOST;
      if (negLeft > 0) {
        v *= v > 0 ? NEGATE_POSITIVE : NEGATE_NEGATIVE;
        sum -= negStub;
      }
      negStub = 0;
      if (v > 0 && (bits & B_COURTESY) !== 0) courtesy += v * weight * (concessive ? CONCESSIVE_WEIGHT : 1);
      else sum += v * weight * (concessive ? CONCESSIVE_WEIGHT : 1);
      i += phrase.rest.length;
      negLeft = 0;
      boost = 0;
      boostLeft = 0;
      continue;
    }
    if (bits === 0) {
      // Most words: nothing but a possible valence.
    } else if ((bits & B_CONTRAST) !== 0) {
      sum *= CONTRAST_BEFORE;
      courtesy *= CONTRAST_BEFORE;
      weight = CONTRAST_AFTER;
      negLeft = 0;
      negStub = 0;
      concessive = false;
      continue;
    } else if ((bits & B_IRREALIS) !== 0) {
      irrealisLeft = IRREALIS_SCOPE;
      continue;
    } else if ((bits & B_CONCESSIVE) !== 0) {
      concessive = true;
      continue;
    } else if ((bits & B_NEGATOR) !== 0) {
      const next = i + 1 < n && buf.kinds[i + 1] === WORD ? (buf.words[i + 1] as string) : '';
      negLeft = pack.negationBreakers.has(next) ? 0 : NEGATION_SCOPE;
      if (negLeft > 0 && negStub === 0) {
        negStub = NEGATED_NEUTRAL * weight;
        sum += negStub;
      }
      continue;
    }
    const b = (bits & B_BOOSTER) !== 0 ? pack.boosters.get(word) : undefined;
    if (b !== undefined) {
      // A word that is both booster and valenced ("erg", "super") boosts only before a valenced word.
      const own = pack.words.get(word);
      const next = i + 1 < n && buf.kinds[i + 1] === WORD ? valenceOf(buf.words[i + 1] as string, buf.flags[i + 1] as number, scoring) : NO_VALUE;
      if (own === undefined || (next === next && next !== 0)) {
        boost = (flags & F_CAPS) !== 0 && emphasiseCaps ? b * 1.5 : b;
        if ((flags & F_ELONGATED) !== 0) boost *= 1.3;
        boostLeft = 2;
        if (negLeft > 0) negLeft++;
        continue;
      }
    }
    let v = known !== undefined && known.valence === known.valence ? known.valence : scoring.direct && (flags & F_ELONGATED) === 0 ? NO_VALUE : valenceOf(word, flags, scoring);
    if (v !== v && (flags & F_HASHTAG) !== 0) v = hashtagValenceOf(word, scoring);
    if ((v !== v || v === 0) && (negLeft > 0 || boost !== 0) && (bits & B_CONTEXTUAL) !== 0) {
      const c = pack.contextual.get(word) ?? fallback?.contextual.get(word);
      if (c !== undefined) v = c;
    }
    if (v !== v || v === 0) {
      if (irrealisLeft > 0) irrealisLeft--;
      if (negLeft > 0) negLeft--;
      if (boostLeft > 0 && --boostLeft === 0) boost = 0;
      continue;
    }
    let mult = 1;
    if (emphasiseCaps && (flags & F_CAPS) !== 0) mult += CAPS_BOOST;
    if ((flags & F_ELONGATED) !== 0) mult += ELONGATION_BOOST;
    if ((flags & F_HASHTAG) !== 0) mult += HASHTAG_BOOST;
    v *= mult * (1 + boost);
    boost = 0;
    boostLeft = 0;
    if (negLeft > 0) {
      v *= v > 0 ? NEGATE_POSITIVE : NEGATE_NEGATIVE;
      negLeft--;
      sum -= negStub;
      negStub = 0;
    }
    if (irrealisLeft > 0) {
      if (v > 0) v *= IRREALIS_POSITIVE;
      irrealisLeft--;
    }
    if (v > 0 && (bits & B_COURTESY) !== 0) courtesy += v * weight * (concessive ? CONCESSIVE_WEIGHT : 1);
    else sum += v * weight * (concessive ? CONCESSIVE_WEIGHT : 1);
  }
  // Courtesy in a complaint ("still no refund, thanks") is politeness, not praise.
  if (courtesy !== 0) sum += sum < 0 ? courtesy * COURTESY_IN_COMPLAINT : courtesy;
  return withExclamations(sum, buf);
}

/** Matches a phrase starting at token i; returns its index in the list or -1. */
function matchPhrase(buf: TokenBuffer, i: number, list: ReadonlyArray<{ rest: readonly string[] }>): number {
  outer: for (let p = 0; p < list.length; p++) {
    const rest = (list[p] as { rest: readonly string[] }).rest;
    if (i + rest.length >= buf.length) continue;
    for (let k = 0; k < rest.length; k++) {
      if (buf.kinds[i + 1 + k] !== WORD || buf.words[i + 1 + k] !== rest[k]) continue outer;
    }
    return p;
  }
  return -1;
}

function hashtagValenceOf(tag: string, s: Scoring): number {
  const known = s.hashtags.get(tag);
  return known !== undefined ? known : remember(s.hashtags, tag, hashtagValence(tag, s.pack));
}

/**
 * Valence of an unknown hashtag from its parts: "#nothappy" → negated "happy", "#worstflightever"
 * → "worst", "#customerservicefail" → "fail". Only strong words (|v| ≥ 2) of 4+ letters count.
 */
function hashtagValence(tag: string, pack: LanguagePack): number {
  const n = tag.length;
  if (n < 6) return NO_VALUE;
  for (const neg of ['not', 'no', 'never']) {
    if (tag.startsWith(neg)) {
      const v = pack.words.get(tag.slice(neg.length));
      if (v !== undefined && Math.abs(v) >= 2) return v * (v > 0 ? NEGATE_POSITIVE : NEGATE_NEGATIVE);
    }
  }
  for (let len = n - 2; len >= 4; len--) {
    const prefix = pack.words.get(tag.slice(0, len));
    if (prefix !== undefined && Math.abs(prefix) >= 2) return prefix;
    const suffix = pack.words.get(tag.slice(n - len));
    if (suffix !== undefined && Math.abs(suffix) >= 2) return suffix;
  }
  return NO_VALUE;
}

/** The valence sum of the emoji and emoticons alone (a language without a lexicon). */
export function sumEmoji(buf: TokenBuffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i++) if (buf.kinds[i] === EMOJI) sum += buf.values[i] as number;
  return withExclamations(sum, buf);
}

function withExclamations(sum: number, buf: TokenBuffer): number {
  if (sum === 0 || buf.exclamations === 0) return sum;
  const step = EXCLAMATION_STEP * Math.min(buf.exclamations, 4);
  return sum > 0 ? sum + step : sum - step;
}
