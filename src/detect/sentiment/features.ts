import afinn from 'sentiment/languages/en/labels.json' with { type: 'json' };
import { EMOJI, SENTENCE, WORD, type TokenBuffer } from './tokenizer.js';
import { squash } from './lexicon.js';
import { fmix32, hashString } from '../hash.js';

/**
 * Features of one tokenised text for the trained model (model.ts), the same at training and at
 * scoring time. Two kinds:
 * - hashed: word unigrams and bigrams (within a sentence), emoji and emoticons, and character
 *   3- and 4-grams of each word with its boundaries, hashed into 2^bits buckets. Shared by every
 *   language: a hashtag, an emoji or a loan word means much the same in all of them.
 * - dense: a few numbers from the lexicon scorer and the text's form (DENSE_FEATURES).
 */

/** Names of the dense features, in their order in {@link Features.dense}. */
export const DENSE_FEATURES = [
  'bias',
  'lexicon-negative', // the lexicon scorer's squashed score, below zero
  'lexicon-positive', // ... and above zero
  'afinn-negative', // plain AFINN-165 sum of the words, squashed, below zero
  'afinn-positive',
  'emoji-negative', // squashed sum of negative emoji and emoticon valences
  'emoji-positive',
  'exclamations', // "!" count, at most 4, / 4
  'caps', // 1 when some but not all words are in capitals
] as const;
export const DENSE_COUNT = DENSE_FEATURES.length;

const afinnWords: ReadonlyMap<string, number> = new Map(Object.entries(afinn as Record<string, number>));

// Hash seeds per feature family, so a word and a character n-gram with the same letters hash apart.
const SEED_WORD = 0x811c9dc5;
const SEED_CHARS = 0x1b873593;
const FNV_PRIME = 0x01000193;
const BIGRAM_MIX = 0x9e3779b1;
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
    if (this.hashedCount === this.hashed.length) {
      const grown = new Int32Array(this.hashed.length * 2);
      grown.set(this.hashed);
      this.hashed = grown;
    }
    this.hashed[this.hashedCount++] = bucket;
  }
}

/**
 * Fills `out` from the tokens in `buf` and the lexicon scorer's valence sum `lexiconSum` for the
 * same text. `mask` = 2^bits − 1 of the model's hash table.
 */
export function extractFeatures(buf: TokenBuffer, lexiconSum: number, mask: number, out: Features): void {
  out.hashedCount = 0;
  let afinnSum = 0;
  let emojiNegative = 0;
  let emojiPositive = 0;
  let previous = 0; // hash of the previous word in the sentence, 0 at a sentence start
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const kind = buf.kinds[i];
    if (kind === SENTENCE) {
      previous = 0;
      continue;
    }
    if (kind === EMOJI) {
      const v = buf.values[i] as number;
      if (v < 0) emojiNegative += v;
      else emojiPositive += v;
      out.push(hashString(buf.words[i] as string, SEED_WORD) & mask);
      continue;
    }
    if (kind !== WORD) continue;
    const word = buf.words[i] as string;
    const a = afinnWords.get(word);
    if (a !== undefined) afinnSum += a;
    const h = hashString(word, SEED_WORD);
    out.push(h & mask);
    if (previous !== 0) out.push(fmix32(Math.imul(previous, BIGRAM_MIX) ^ h) & mask);
    previous = h | 1;
    pushCharGrams(word, mask, out);
  }
  const d = out.dense;
  const lexicon = squash(lexiconSum);
  const plain = squash(afinnSum);
  d[0] = 1;
  d[1] = lexicon < 0 ? lexicon : 0;
  d[2] = lexicon > 0 ? lexicon : 0;
  d[3] = plain < 0 ? plain : 0;
  d[4] = plain > 0 ? plain : 0;
  d[5] = squash(emojiNegative);
  d[6] = squash(emojiPositive);
  d[7] = Math.min(buf.exclamations, 4) / 4;
  d[8] = buf.capsWords > 0 && buf.capsWords < buf.letterWords ? 1 : 0;
}

/** Character 4-grams of `word` framed by boundary marks ("^good$" → "^goo", "good", "ood$"). */
function pushCharGrams(word: string, mask: number, out: Features): void {
  const len = word.length + 2;
  for (let s = 0; s + NGRAM <= len; s++) {
    let h = SEED_CHARS;
    for (let k = s; k < s + NGRAM; k++) h = Math.imul(h ^ (k === 0 ? WORD_START : k === len - 1 ? WORD_END : word.charCodeAt(k - 1)), FNV_PRIME);
    out.push(fmix32(h) & mask);
  }
}
