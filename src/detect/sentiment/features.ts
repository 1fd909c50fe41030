import { EMOJI, WORD, type TokenBuffer } from './tokenizer.js';
import { squash } from './lexicon.js';
import { fmix32, hashString } from '../../util/hash.js';

/**
 * Features of one tokenised text for the trained model (model.ts), the same at training and at
 * scoring time. Two kinds:
 * - hashed: words, emoji and emoticons, and the character 4-grams of each word with its
 *   boundaries, hashed into 2^bits buckets. Shared by every language: a hashtag, an emoji or a
 *   loan word means much the same in all of them. Pairs of adjacent words were tried and left
 *   out: mean val macro-F1 0.5944 with them, 0.5995 without, for a sixth more features.
 * - dense: a few numbers from the lexicon scorer and the text's form (DENSE_FEATURES). The lexicon
 *   sum is AFINN-165 (from the `sentiment` package) with the project's words and rules on top; a
 *   second, plain AFINN sum added nothing on val (mean macro-F1 0.5954 with it, 0.5937 without)
 *   and cost about a tenth of the scorer's time, so it is left out.
 */

/** Names of the dense features, in their order in {@link Features.dense}. */
export const DENSE_FEATURES = [
  'bias',
  'lexicon-negative', // the lexicon scorer's squashed score, below zero
  'lexicon-positive', // ... and above zero
  'emoji-negative', // squashed sum of negative emoji and emoticon valences
  'emoji-positive',
  'exclamations', // "!" count, at most 4, / 4
  'caps', // 1 when some but not all words are in capitals
] as const;
export const DENSE_COUNT = DENSE_FEATURES.length;

// Hash seeds per feature family, so a word and a character n-gram with the same letters hash apart.
const SEED_WORD = 0x811c9dc5; // hashString's default, as the tokenizer hashes words
const SEED_CHARS = 0x1b873593;
const GRAM_BASE = 0x01000193;
const GRAM_BASE_CUBED = Math.imul(Math.imul(GRAM_BASE, GRAM_BASE), GRAM_BASE);
/** Characters per n-gram, word boundaries included: 4 scored as 3–4 and 3–5 did on val, at half the grams. */
const NGRAM = 4;
const WORD_START = 2; // boundary code units: not letters, so they match no text
const WORD_END = 3;

/** Feature values of one text, in reusable arrays owned by one scorer or one training run. */
export class Features {
  /** Bucket of each hashed feature occurrence (repeats allowed), `hashedCount` of them. */
  hashed: Int32Array = new Int32Array(256);
  hashedCount = 0;
  readonly dense = new Float64Array(DENSE_COUNT);

  push(bucket: number): void {
    this.reserve(1)[this.hashedCount++] = bucket;
  }

  /** The bucket array, grown if needed so that `n` more buckets fit after `hashedCount`. */
  reserve(n: number): Int32Array {
    let hashed = this.hashed;
    if (this.hashedCount + n > hashed.length) {
      hashed = new Int32Array(Math.max(2 * hashed.length, this.hashedCount + n));
      hashed.set(this.hashed);
      this.hashed = hashed;
    }
    return hashed;
  }
}

/**
 * Fills `out` from the tokens in `buf` and the lexicon scorer's valence sum `lexiconSum` for the
 * same text. `mask` = 2^bits − 1 of the model's hash table.
 */
export function extractFeatures(buf: TokenBuffer, lexiconSum: number, mask: number, out: Features): void {
  out.hashedCount = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const kind = buf.kinds[i];
    if (kind === EMOJI) out.push(emojiBucket(buf.words[i] as string, mask));
    else if (kind === WORD) pushWord(buf.words[i] as string, buf.hashes[i] as number, mask, out);
  }
  denseFeatures(buf, lexiconSum, out.dense);
}

/** The bucket of an emoji or emoticon token. */
export function emojiBucket(emoji: string, mask: number): number {
  return hashString(emoji, SEED_WORD) & mask;
}

/** The dense features (DENSE_FEATURES) of the tokens in `buf` into `d`, with the lexicon's sum for the text. */
export function denseFeatures(buf: TokenBuffer, lexiconSum: number, d: Float64Array): void {
  let emojiNegative = 0;
  let emojiPositive = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf.kinds[i] !== EMOJI) continue;
    const v = buf.values[i] as number;
    if (v < 0) emojiNegative += v;
    else emojiPositive += v;
  }
  const lexicon = squash(lexiconSum);
  d[0] = 1;
  d[1] = lexicon < 0 ? lexicon : 0;
  d[2] = lexicon > 0 ? lexicon : 0;
  d[3] = squash(emojiNegative);
  d[4] = squash(emojiPositive);
  d[5] = Math.min(buf.exclamations, 4) / 4;
  d[6] = buf.capsWords > 0 && buf.capsWords < buf.letterWords ? 1 : 0;
}

/**
 * Pushes the word's bucket (from its `hash`) and its character 4-grams framed by boundary marks
 * ("^good$" → "^goo", "good", "ood$"). The grams are a rolling polynomial over the code units: two
 * multiplications per gram, then fmix32 for the bucket (GRAM_BASE_CUBED is GRAM_BASE^(NGRAM − 1),
 * the weight of the code unit that leaves).
 */
export function pushWord(word: string, hash: number, mask: number, out: Features): void {
  const n = word.length;
  const grams = out.reserve(n + 1);
  let c = out.hashedCount;
  grams[c++] = hash & mask;
  if (n >= 2) {
    // "^a$" is shorter than a gram
    let h = WORD_START;
    for (let k = 1; k < NGRAM; k++) h = (Math.imul(h, GRAM_BASE) + (k <= n ? word.charCodeAt(k - 1) : WORD_END)) | 0;
    grams[c++] = fmix32(h ^ SEED_CHARS) & mask;
    let leaving = WORD_START;
    for (let k = NGRAM; k <= n + 1; k++) {
      const entering = k <= n ? word.charCodeAt(k - 1) : WORD_END;
      h = (Math.imul((h - Math.imul(leaving, GRAM_BASE_CUBED)) | 0, GRAM_BASE) + entering) | 0;
      leaving = word.charCodeAt(k - NGRAM);
      grams[c++] = fmix32(h ^ SEED_CHARS) & mask;
    }
  }
  out.hashedCount = c;
}
