import type { LanguagePack } from './language-pack.js';
import { F_ELONGATED } from './tokenizer.js';
import { courtesyWords } from './lexicons/courtesy.js';
import { hashString } from '../../util/hash.js';

// Memo of word valences (packs with stems or a fallback) and of hashtag valences, per pack:
// cleared when full, so memory stays bounded whatever the vocabulary.
const MAX_MEMO_ENTRIES = 50_000;

/** 2^16 filter bits (8 KiB per pack): about 1 in 12 absent words passes with ~5,000 indexed. */
const FILTER_MASK = 0xffff;

// What a word is in a pack, as bits: one map lookup answers every "is it a ..." of the loop.
export const B_PHRASE = 1;
export const B_FALLBACK_PHRASE = 2;
export const B_CONTRAST = 4;
export const B_IRREALIS = 8;
export const B_CONCESSIVE = 16;
export const B_NEGATOR = 32;
export const B_BOOSTER = 64;
export const B_CONTEXTUAL = 128;
export const B_COURTESY = 256;

/** The valence of a word with none. */
export const NO_VALUE = Number.NaN;

/** What the index knows of one word: its B_* bits and its own valence in the pack (NaN: none). */
export interface WordEntry {
  bits: number;
  valence: number;
}

/** A pack with what the scoring loop derives from it once: the word index and the memos. */
export interface Scoring {
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

export function scoringOf(pack: LanguagePack): Scoring {
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

/** The index entry of `word` (whose hashString is `hash`), past the filter. */
export function entryOf(word: string, hash: number, s: Scoring): WordEntry | undefined {
  const bit = hash & FILTER_MASK;
  return ((s.filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0 ? s.index.get(word) : undefined;
}

export function remember(memo: Map<string, number>, key: string, value: number): number {
  if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
  memo.set(key, value);
  return value;
}

/** `lookup`, memoised for plain (not elongated) words of packs where a miss is costly. */
export function valenceOf(word: string, flags: number, s: Scoring): number {
  const memo = s.valences;
  if (memo === undefined || (flags & F_ELONGATED) !== 0) return lookup(word, flags, s.pack);
  const known = memo.get(word);
  return known !== undefined ? known : remember(memo, word, lookup(word, flags, s.pack));
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

function isNegator(word: string, pack: LanguagePack): boolean {
  return pack.negators.has(word) || (pack.fallback !== undefined && pack.fallback.negators.has(word) && !(pack.fallbackStop?.has(word) ?? false));
}

/** Collapses "sooo" → "so" when the collapsed form is a known function word of the pack. */
export function collapse(word: string, pack: LanguagePack): string {
  const two = word.replace(/(.)\1{2,}/g, '$1$1');
  if (pack.boosters.has(two) || pack.negators.has(two) || pack.words.has(two)) return two;
  const one = word.replace(/(.)\1{2,}/g, '$1');
  if (pack.boosters.has(one) || pack.negators.has(one) || pack.words.has(one)) return one;
  return word;
}
