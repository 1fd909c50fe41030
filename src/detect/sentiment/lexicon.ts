import type { SentimentLabel, SentimentResult, SentimentScorer } from './types.js';
import { buildPack, type LanguagePack } from './language-pack.js';
import { CLAUSE, EMOJI, F_CAPS, F_ELONGATED, F_HASHTAG, SENTENCE, TokenBuffer, WORD, tokenize } from './tokenizer.js';
import { en } from './lexicons/en.js';
import { de } from './lexicons/de.js';
import { nl } from './lexicons/nl.js';
import { courtesyWords } from './lexicons/courtesy.js';
import { hashString } from '../../util/hash.js';

/** Default half-width of the neutral band: |score| < 0.05 → neutral. */
export const DEFAULT_NEUTRAL_BAND = 0.05;
/**
 * Default least score of a positive label: one weak positive word ("ok", "cool", "wow", s ≈ 1) is
 * phatic more often than praise, so positive needs score ≥ 0.3 (s ≳ 1.2). Negative keeps the
 * neutral band.
 */
export const DEFAULT_POSITIVE_BAND = 0.3;

export interface SentimentScorerOptions {
  /** |score| below this is labelled neutral. Default {@link DEFAULT_NEUTRAL_BAND}. */
  readonly neutralBand?: number;
  /** Positive needs score ≥ max(neutralBand, positiveBand). Default {@link DEFAULT_POSITIVE_BAND}. */
  readonly positiveBand?: number;
  /**
   * Extra word (or multi-word phrase) valences on the AFINN scale (-5 .. 5), added to every
   * language of this scorer only. Other scorers and the `sentiment` package are not affected.
   */
  readonly extras?: Readonly<Record<string, number>>;
  /**
   * What to do with a language tag that has no lexicon (e.g. 'fr'): score with the English
   * lexicon (default; social text mixes in English) or with emoji and emoticons only.
   */
  readonly unsupportedLanguage?: 'english' | 'emoji-only';
}


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
const SQUASH_ALPHA = 15; // score = s / sqrt(s² + α), as in VADER
const IRREALIS_SCOPE = 3; // word tokens after "would" / "if" ...
const IRREALIS_POSITIVE = 0.3; // "would be great" ≈ 0.3 × great
const COURTESY_IN_COMPLAINT = 0.25; // "thanks" in an otherwise negative text ≈ 0.25 × thanks
const NEGATED_NEUTRAL = -0.5; // "didn't arrive", "won't let me": a negator whose scope has no valenced word
/** Distinct language tags remembered per scorer; more are resolved each time. */
export const MAX_CACHED_TAGS = 256;
// Memo of word valences (packs with stems or a fallback) and of hashtag valences, per pack:
// cleared when full, so memory stays bounded whatever the vocabulary.
const MAX_MEMO_ENTRIES = 50_000;

/** 2^16 filter bits (8 KiB per pack): about 1 in 12 absent words passes with ~5,000 indexed. */
const FILTER_MASK = 0xffff;

// What a word is in a pack, as bits: one map lookup answers every "is it a ..." of the loop.
const B_PHRASE = 1;
const B_FALLBACK_PHRASE = 2;
const B_CONTRAST = 4;
const B_IRREALIS = 8;
const B_CONCESSIVE = 16;
const B_NEGATOR = 32;
const B_BOOSTER = 64;
const B_CONTEXTUAL = 128;
const B_COURTESY = 256;

/** What the index knows of one word: its B_* bits and its own valence in the pack (NaN: none). */
interface WordEntry {
  bits: number;
  valence: number;
}

/** A pack with what the scoring loop derives from it once: the word index and the memos. */
interface Scoring {
  readonly pack: LanguagePack;
  /**
   * Word → bits and own valence: one map lookup answers the loop for most words. Words with no
   * bits and no valence of their own are absent.
   */
  readonly index: ReadonlyMap<string, WordEntry>;
  /** No stems and no fallback: a word absent from the index has no valence unless elongated. */
  readonly direct: boolean;
  /**
   * One bit per `hashString(word) & FILTER_MASK` of the index's words: most words of a text are
   * in no lexicon, and a clear bit answers them without the map lookup.
   */
  readonly filter: Uint32Array;
  /** Word → `lookup` result (NaN when unknown), for packs where a miss costs stems or a fallback. */
  readonly valences: Map<string, number> | undefined;
  /** Hashtag → `hashtagValence` result. */
  readonly hashtags: Map<string, number>;
}

function scoringOf(pack: LanguagePack): Scoring {
  const index = new Map<string, WordEntry>();
  const entry = (w: string): WordEntry => {
    let e = index.get(w);
    if (e === undefined) index.set(w, (e = { bits: 0, valence: NO_VALUE }));
    return e;
  };
  const mark = (words: Iterable<string>, bit: number): void => {
    for (const w of words) entry(w).bits |= bit;
  };
  for (const [w, v] of pack.words) entry(w).valence = v;
  const fallback = pack.fallback;
  mark(pack.phrases.keys(), B_PHRASE);
  if (fallback !== undefined) mark(fallback.phrases.keys(), B_FALLBACK_PHRASE);
  mark(pack.contrasts, B_CONTRAST);
  if (fallback !== undefined) mark(fallback.contrasts, B_CONTRAST);
  mark(pack.irrealis, B_IRREALIS);
  mark(pack.concessives, B_CONCESSIVE);
  mark(pack.negators, B_NEGATOR);
  if (fallback !== undefined) mark([...fallback.negators].filter((w) => isNegator(w, pack)), B_NEGATOR);
  mark(pack.boosters.keys(), B_BOOSTER);
  mark(pack.contextual.keys(), B_CONTEXTUAL);
  if (fallback !== undefined) mark(fallback.contextual.keys(), B_CONTEXTUAL);
  mark(courtesyWords[pack.code] ?? [], B_COURTESY);
  if (fallback !== undefined) mark(courtesyWords[fallback.code] ?? [], B_COURTESY);
  const filter = new Uint32Array((FILTER_MASK + 1) >>> 5);
  for (const w of index.keys()) {
    const h = hashString(w) & FILTER_MASK;
    filter[h >>> 5] = (filter[h >>> 5] as number) | (1 << (h & 31));
  }
  const memo = pack.stems !== undefined || pack.fallback !== undefined;
  return { pack, index, direct: !memo, filter, valences: memo ? new Map() : undefined, hashtags: new Map() };
}

function remember(memo: Map<string, number>, key: string, value: number): number {
  if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
  memo.set(key, value);
  return value;
}

/** `lookup`, memoised for plain (not elongated) words of packs where a miss is costly. */
function valenceOf(word: string, flags: number, s: Scoring): number {
  const memo = s.valences;
  if (memo === undefined || (flags & F_ELONGATED) !== 0) return lookup(word, flags, s.pack);
  const known = memo.get(word);
  return known !== undefined ? known : remember(memo, word, lookup(word, flags, s.pack));
}

function hashtagValenceOf(tag: string, s: Scoring): number {
  const known = s.hashtags.get(tag);
  return known !== undefined ? known : remember(s.hashtags, tag, hashtagValence(tag, s.pack));
}

const NO_VALUE = Number.NaN;

/**
 * The lexicon scorer in parts, so the model scorer (scorer.ts) can reuse one tokenisation: `sum`
 * is the weighted valence sum of an already tokenised text, `result` turns a sum into a labelled
 * result with this lexicon's bands.
 */
export interface Lexicon {
  /** Valence sum; a language without a lexicon is scored as `unsupportedLanguage` says. */
  sum(buf: TokenBuffer, lang: string | undefined): number;
  /**
   * Valence sum where the language has a lexicon (and for no tag: English), else of the emoji
   * alone: the model's lexicon feature. The English lexicon on French, Spanish, Italian or
   * Portuguese text added nothing on val (mean macro-F1 0.5937 with it, 0.5944 without), for the
   * cost of a full lexicon pass.
   */
  sumOwn(buf: TokenBuffer, lang: string | undefined): number;
  result(sum: number): SentimentResult;
}

export function createLexicon(options: SentimentScorerOptions = {}): Lexicon {
  const band = options.neutralBand ?? DEFAULT_NEUTRAL_BAND;
  if (!(band >= 0 && band < 1)) throw new RangeError(`neutralBand must be in [0, 1), got ${band}`);
  const positiveBand = options.positiveBand ?? DEFAULT_POSITIVE_BAND;
  if (!(positiveBand >= 0 && positiveBand < 1)) throw new RangeError(`positiveBand must be in [0, 1), got ${positiveBand}`);
  const posBand = Math.max(band, positiveBand);
  const extras = options.extras;
  const englishPack = buildPack(en, extras, undefined);
  const english = scoringOf(englishPack);
  const packs = new Map<string, Scoring | null>([
    ['en', english],
    ['nl', scoringOf(buildPack(nl, extras, englishPack))],
    ['de', scoringOf(buildPack(de, extras, englishPack))],
  ]);

  /** Tag → pack (null: emoji only), remembered per distinct tag. */
  const resolver = (emojiOnly: boolean): ((lang: string | undefined) => Scoring | null) => {
    const byTag = new Map<string, Scoring | null>();
    return (lang) => {
      if (lang === undefined || lang === '') return english;
      let pack = byTag.get(lang);
      if (pack !== undefined) return pack;
      const primary = primarySubtag(lang);
      const known = packs.get(primary);
      pack = known !== undefined ? known : /^[a-z]{2,3}$/.test(primary) && emojiOnly ? null : english;
      if (byTag.size < MAX_CACHED_TAGS) byTag.set(lang, pack);
      return pack;
    };
  };
  const resolve = resolver(options.unsupportedLanguage === 'emoji-only');
  const resolveOwn = resolver(true);
  const sumWith = (pack: Scoring | null, buf: TokenBuffer): number => (pack === null ? sumEmoji(buf) : sumTokens(buf, pack));

  return {
    sum: (buf, lang) => sumWith(resolve(lang), buf),
    sumOwn: (buf, lang) => sumWith(resolveOwn(lang), buf),
    result: (sum) => toResult(sum, band, posBand),
  };
}

/** "pt-BR" → "pt", "EN" → "en". */
export function primarySubtag(tag: string): string {
  const dash = tag.search(/[-_]/);
  return (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
}

/** The hand-written lexicon and rules alone: the scorer before the trained model, and its fallback. */
export function createLexiconScorer(options: SentimentScorerOptions = {}): SentimentScorer {
  const lexicon = createLexicon(options);
  const buf = new TokenBuffer();
  return {
    score(text: string, lang: string | undefined): SentimentResult {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), buf);
      return lexicon.result(lexicon.sum(buf, lang));
    },
  };
}

/** score = s / √(s² + α): a valence sum squashed into (-1, 1). */
export function squash(sum: number): number {
  return sum / Math.sqrt(sum * sum + SQUASH_ALPHA);
}

function toResult(sum: number, band: number, posBand: number): SentimentResult {
  const score = squash(sum);
  const label: SentimentLabel = score <= -band && score < 0 ? 'negative' : score >= posBand && score > 0 ? 'positive' : 'neutral';
  const negativeIntensity = label === 'negative' ? Math.min(1, -score) : 0;
  return { score, label, negativeIntensity };
}

function sumEmoji(buf: TokenBuffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i++) if (buf.kinds[i] === EMOJI) sum += buf.values[i] as number;
  return withExclamations(sum, buf);
}

function withExclamations(sum: number, buf: TokenBuffer): number {
  if (sum === 0 || buf.exclamations === 0) return sum;
  const step = EXCLAMATION_STEP * Math.min(buf.exclamations, 4);
  return sum > 0 ? sum + step : sum - step;
}

/** Valence of one word in `pack`, or NaN when unknown. Tries elongation collapse and stems. */
function lookup(word: string, flags: number, pack: LanguagePack): number {
  let v = pack.words.get(word);
  if (v !== undefined) return v;
  if ((flags & F_ELONGATED) !== 0) {
    const two = word.replace(/(.)\1{2,}/g, '$1$1');
    v = pack.words.get(two);
    if (v !== undefined) return v;
    const one = word.replace(/(.)\1{2,}/g, '$1');
    v = pack.words.get(one);
    if (v !== undefined) return v;
    if (pack.stems !== undefined || pack.fallback !== undefined) return lookup(one, 0, pack);
  }
  if (pack.stems !== undefined) {
    for (const stem of pack.stems(word)) {
      v = pack.words.get(stem);
      if (v !== undefined) return v;
    }
  }
  const fallback = pack.fallback;
  if (fallback !== undefined && !(pack.fallbackStop?.has(word) ?? false)) {
    v = fallback.words.get(word);
    if (v !== undefined) return v;
  }
  return NO_VALUE;
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

function isNegator(word: string, pack: LanguagePack): boolean {
  return pack.negators.has(word) || (pack.fallback !== undefined && pack.fallback.negators.has(word) && !(pack.fallbackStop?.has(word) ?? false));
}

/** Collapses "sooo" → "so" when the collapsed form is a known function word of the pack. */
function collapse(word: string, pack: LanguagePack): string {
  const two = word.replace(/(.)\1{2,}/g, '$1$1');
  if (pack.boosters.has(two) || pack.negators.has(two) || pack.words.has(two)) return two;
  const one = word.replace(/(.)\1{2,}/g, '$1');
  if (pack.boosters.has(one) || pack.negators.has(one) || pack.words.has(one)) return one;
  return word;
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

function sumTokens(buf: TokenBuffer, scoring: Scoring): number {
  const pack = scoring.pack;
  const index = scoring.index;
  const filter = scoring.filter;
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
    const bit = hash & FILTER_MASK;
    const known = ((filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0 ? index.get(word) : undefined;
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
