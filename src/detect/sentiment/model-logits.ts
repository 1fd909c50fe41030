import { EMOJI, WORD, type TokenBuffer } from './tokenizer.js';
import { DENSE_COUNT, Features, denseFeatures, emojiBucket, pushWord } from './features.js';
import { CLASSES, logitsFromSums, type Model } from './model.js';

/**
 * Words whose summed weights are remembered per scorer (direct-mapped on the word's hash: a colliding
 * word replaces the entry): 256 KiB of sums and 128 KiB of slots; 86 % of the word tokens of the
 * labelled sets hit, 99 % of the simulator's.
 */
const WORD_SLOTS = 1 << 14;

/**
 * The model's class scores for tokenised texts, as `logits` of `extractFeatures` gives them, with
 * less work per text: a word's hashed features (its bucket and character grams) always add the same
 * integer weights, so their sum per class is remembered per word and a word seen before is neither
 * hashed into grams nor looked up bucket by bucket again. Sums of int8 weights are exact in any order,
 * so the scores are the same to the bit. One per scorer.
 */
export class ModelLogits {
  private readonly words = new Array<string | undefined>(WORD_SLOTS).fill(undefined);
  /** Per slot: the word's weight sum for each class, then its bucket count. */
  private readonly sums = new Int32Array(WORD_SLOTS * 4);
  private readonly grams = new Features();
  private readonly dense = new Float64Array(DENSE_COUNT);

  constructor(private readonly model: Model) {}

  /** Class scores of the text in `buf` into `out`; false (and `out` untouched) when it has no hashed feature. */
  of(buf: TokenBuffer, lexiconSum: number, slot: number, out: Float64Array): boolean {
    const { hashed, mask } = this.model;
    const sums = this.sums;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let count = 0;
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      const kind = buf.kinds[i];
      if (kind === WORD) {
        const at = this.wordEntry(buf.words[i] as string, buf.hashes[i] as number);
        z0 += sums[at] as number;
        z1 += sums[at + 1] as number;
        z2 += sums[at + 2] as number;
        count += sums[at + 3] as number;
      } else if (kind === EMOJI) {
        const j = emojiBucket(buf.words[i] as string, mask) * CLASSES;
        z0 += hashed[j] as number;
        z1 += hashed[j + 1] as number;
        z2 += hashed[j + 2] as number;
        count++;
      }
    }
    if (count === 0) return false;
    denseFeatures(buf, lexiconSum, this.dense);
    logitsFromSums(this.model, z0, z1, z2, count, this.dense, slot, out);
    return true;
  }

  /** Index in `sums` of the entry of `word` (whose tokenizer hash is `hash`), computed on a miss. */
  private wordEntry(word: string, hash: number): number {
    const slot = hash & (WORD_SLOTS - 1);
    const at = slot * 4;
    if (this.words[slot] === word) return at;
    const f = this.grams;
    f.hashedCount = 0;
    pushWord(word, hash, this.model.mask, f);
    const hashed = this.model.hashed;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < f.hashedCount; k++) {
      const j = (f.hashed[k] as number) * CLASSES;
      s0 += hashed[j] as number;
      s1 += hashed[j + 1] as number;
      s2 += hashed[j + 2] as number;
    }
    const sums = this.sums;
    sums[at] = s0;
    sums[at + 1] = s1;
    sums[at + 2] = s2;
    sums[at + 3] = f.hashedCount;
    this.words[slot] = word;
    return at;
  }
}
