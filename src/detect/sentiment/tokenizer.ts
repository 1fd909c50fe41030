import { emojiValence, emoticonsByFirstChar } from './lexicons/emoji.js';
import { fmix32, hashString } from '../../util/hash.js';

// FNV-1a as `hashString` computes it (tests/unit/detect/sentiment/features.test.ts checks they agree).
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Token kinds produced by {@link tokenize}. */
export const WORD = 1;
export const EMOJI = 2;
/** A clause break (`,` `;` `:` `-` between words, `(`, `)`): ends a negation scope. */
export const CLAUSE = 3;
/** A sentence break (`.` `!` `?` newline): ends negation scope and concessive clauses. */
export const SENTENCE = 4;

/** Token flags (bit set). */
export const F_CAPS = 1;
export const F_ELONGATED = 2;
export const F_HASHTAG = 4;

/** Words a token buffer remembers (direct-mapped on the word's hash: a colliding word replaces the entry). */
const RECENT_WORDS = 1 << 14;

/**
 * A reusable token buffer: parallel arrays plus a length, so that tokenising a text allocates
 * only the token strings themselves, and not even those for a word seen recently. Owned by one
 * scorer; never shared between scorers.
 */
export class TokenBuffer {
  length = 0;
  readonly kinds: number[] = [];
  /** WORD: the lower-cased word; EMOJI: the emoji or emoticon as written; breaks: ''. */
  readonly words: string[] = [];
  readonly flags: number[] = [];
  /** WORD: `hashString(word)` (util/hash.ts), the lexicon's prefilter key and the model's word feature; others: 0. */
  readonly hashes: number[] = [];
  /** Valence of EMOJI tokens. */
  readonly values: number[] = [];
  /** Number of `!` seen in the text. */
  exclamations = 0;
  /** Number of word tokens with at least two letters in upper case only. */
  capsWords = 0;
  /** Number of word tokens with at least two letters. */
  letterWords = 0;
  /**
   * Recent words by hash: a word that recurs is the same string object each time (no slice or
   * lower-cased copy; maps keyed by it hash it once; the model's word memo compares it by identity).
   */
  readonly recent = new Array<string | undefined>(RECENT_WORDS).fill(undefined);

  reset(): void {
    this.length = 0;
    this.exclamations = 0;
    this.capsWords = 0;
    this.letterWords = 0;
  }

  push(kind: number, word: string, flags: number, value: number, hash = 0): void {
    const i = this.length++;
    this.kinds[i] = kind;
    this.words[i] = word;
    this.flags[i] = flags;
    this.values[i] = value;
    this.hashes[i] = hash;
  }
}

/** Letters and digits of Latin scripts (ASCII, Latin-1, Latin Extended A/B), and Greek and Cyrillic. */
function isWordCharSlow(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
  return (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x52f);
}

/** Latin letters (not Greek or Cyrillic: their words are tokens, but not counted for capitals). */
function isLetterSlow(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

function isUpperSlow(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
}

// One table lookup per code unit instead of a chain of range tests: the tokenizer's inner loop.
const C_WORD = 1;
const C_LETTER = 2;
const C_UPPER = 4;
/** Changed by toLowerCase (capitals of every script here, not only those counted as C_UPPER). */
const C_CASED = 8;
const CLASS_LIMIT = 0x530;
const CHAR_CLASS = new Uint8Array(CLASS_LIMIT);
for (let c = 0; c < CLASS_LIMIT; c++) {
  const ch = String.fromCharCode(c);
  CHAR_CLASS[c] = (isWordCharSlow(c) ? C_WORD : 0) | (isLetterSlow(c) ? C_LETTER : 0) | (isUpperSlow(c) ? C_UPPER : 0) | (ch.toLowerCase() !== ch ? C_CASED : 0);
}

function classOf(c: number): number {
  return c < CLASS_LIMIT ? (CHAR_CLASS[c] as number) : 0;
}

function isWordChar(c: number): boolean {
  return (classOf(c) & C_WORD) !== 0;
}

function isLetter(c: number): boolean {
  return (classOf(c) & C_LETTER) !== 0;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;

/**
 * Splits `text` into tokens in one pass. Words are lower-cased; `@mentions` and URLs are
 * skipped as neutral noise; emoji and emoticons become EMOJI tokens carrying their valence;
 * punctuation becomes CLAUSE / SENTENCE breaks. Lone surrogates and unknown symbols are ignored.
 */
export function tokenize(text: string, out: TokenBuffer): void {
  out.reset();
  const n = text.length;
  let i = 0;
  let hashtag = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      hashtag = false;
      if (isSpace(c)) {
        if (c === 10 || c === 13) pushBreak(out, SENTENCE);
        i++;
      } else if (c === 64 /* @ */) {
        i = skipToSpace(text, i);
      } else if (c === 35 /* # */) {
        hashtag = true;
        i++;
      } else i = scanSymbol(text, i, c, out);
      continue;
    }
    if (isUrlAt(text, i, c)) {
      i = skipToSpace(text, i);
      hashtag = false;
      continue;
    }
    // A word, scanned here rather than in a function of its own: the tokenizer's inner loop.
    const start = i;
    let upper = 0;
    let cased = false;
    let letters = 0;
    let run = 1;
    let elongated = false;
    let curly = false;
    let prev = -1;
    // hashString of the word as it will be stored, folded in while scanning; a capital outside
    // ASCII (its lower case may differ in length) hashes the stored word afterwards instead.
    let hash = FNV_OFFSET;
    let foldLater = false;
    while (i < n) {
      const d = text.charCodeAt(i);
      const cls = classOf(d);
      if ((cls & C_WORD) !== 0) {
        if ((cls & C_LETTER) !== 0) {
          letters++;
          if ((cls & C_UPPER) !== 0) upper++;
        }
        if ((cls & C_CASED) !== 0) {
          cased = true;
          if (d >= 128) foldLater = true;
        }
        hash = Math.imul(hash ^ (d <= 90 && d >= 65 ? d + 32 : d), FNV_PRIME);
        if (d === prev) {
          if (++run === 3 && (cls & C_LETTER) !== 0) elongated = true;
        } else run = 1;
        prev = d;
        i++;
      } else if (i > start && isInnerMark(text, i, d)) {
        if (d === RIGHT_QUOTE) curly = true;
        hash = Math.imul(hash ^ (d === RIGHT_QUOTE ? APOSTROPHE : d), FNV_PRIME);
        prev = d;
        run = 1;
        i++;
      } else break;
    }
    if (foldLater) {
      const word = wordOf(text, start, i, cased, curly);
      pushWord(out, word, letters, upper, elongated, hashtag, hashString(word));
    } else {
      hash = fmix32(hash);
      pushWord(out, recentWord(out, text, start, i, cased, curly, hash), letters, upper, elongated, hashtag, hash);
    }
    hashtag = false;
  }
}

/** Does a URL start at `i` (whose code unit is `c`)? "http…" is a URL cut short by the platform. */
function isUrlAt(text: string, i: number, c: number): boolean {
  if (c === 104 || c === 72) return text.startsWith('http://', i) || text.startsWith('https://', i) || (text.startsWith('http', i) && text.startsWith('…', i + 4));
  return (c === 119 || c === 87) && text.startsWith('www.', i);
}

/** An apostrophe or hyphen at `i` followed by a word character: part of the word ("don't", "e-mail"). */
function isInnerMark(text: string, i: number, d: number): boolean {
  return (d === APOSTROPHE || d === RIGHT_QUOTE || d === 45) && i + 1 < text.length && isWordChar(text.charCodeAt(i + 1));
}

/** The word as stored: lower case (a word without capitals is sliced as it is), straight apostrophes. */
function wordOf(text: string, start: number, end: number, cased: boolean, curly: boolean): string {
  const word = cased ? text.slice(start, end).toLowerCase() : text.slice(start, end);
  return curly ? word.replaceAll('\u2019', "'") : word;
}

/**
 * The stored form of text[start, end) (a word with no capital outside ASCII, whose hash is `hash`):
 * the buffer's string for it if it has one, else a new one, remembered.
 */
function recentWord(out: TokenBuffer, text: string, start: number, end: number, cased: boolean, curly: boolean, hash: number): string {
  const slot = hash & (RECENT_WORDS - 1);
  const known = out.recent[slot];
  if (known !== undefined && isStoredAs(text, start, end, known)) return known;
  const word = wordOf(text, start, end, cased, curly);
  out.recent[slot] = word;
  return word;
}

/** Is `word` what text[start, end) is stored as (ASCII capitals lowered, curly apostrophes straight)? */
function isStoredAs(text: string, start: number, end: number, word: string): boolean {
  if (word.length !== end - start) return false;
  for (let k = 0; k < word.length; k++) {
    const d = text.charCodeAt(start + k);
    if (word.charCodeAt(k) !== (d <= 90 && d >= 65 ? d + 32 : d === RIGHT_QUOTE ? APOSTROPHE : d)) return false;
  }
  return true;
}

/** Pushes a scanned word with its flags and counts it for the text's capitals. */
function pushWord(out: TokenBuffer, word: string, letters: number, upper: number, elongated: boolean, hashtag: boolean, hash: number): void {
  let flags = 0;
  if (letters >= 2) {
    out.letterWords++;
    if (upper === letters) {
      flags |= F_CAPS;
      out.capsWords++;
    }
  }
  if (elongated) flags |= F_ELONGATED;
  if (hashtag) flags |= F_HASHTAG;
  out.push(WORD, word, flags, 0, hash);
}

/**
 * Handles the code unit `c` at `i` that is neither a word character, a space, `@` nor `#`: an
 * emoji, an emoticon, a break, or nothing. Returns the index after what it consumed.
 */
function scanSymbol(text: string, i: number, c: number, out: TokenBuffer): number {
  if (c >= 0xd800 && c <= 0xdbff) return scanSurrogatePair(text, i, c, out);
  if (c >= 0x2190 && c <= 0x2bff) {
    const v = emojiValence.get(c);
    if (v !== undefined) out.push(EMOJI, text[i] as string, 0, v);
    return i + 1;
  }
  // Emoticons start with punctuation.
  const candidates = emoticonsByFirstChar.get(c);
  if (candidates !== undefined) {
    const length = pushEmoticon(text, i, candidates, out);
    if (length > 0) return i + length;
  }
  if (c === 33 /* ! */) {
    out.exclamations++;
    pushBreak(out, SENTENCE);
  } else if (c === 46 || c === 63 || c === 0x2026 || c === 0xff01 || c === 0xff1f) {
    pushBreak(out, SENTENCE);
  } else if (c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 45 || c === 0x2013 || c === 0x2014 || c === 34 || c === 0x201c || c === 0x201d) {
    pushBreak(out, CLAUSE);
  }
  return i + 1;
}

/** An emoji outside the BMP (high surrogate `c` at `i`); a lone high surrogate is skipped. */
function scanSurrogatePair(text: string, i: number, c: number, out: TokenBuffer): number {
  const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
  if (d < 0xdc00 || d > 0xdfff) return i + 1;
  const v = emojiValence.get(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
  if (v !== undefined) out.push(EMOJI, text.slice(i, i + 2), 0, v);
  return i + 2;
}

/** Pushes the first of `candidates` written at `i` and not followed by a letter or digit; its length, or 0. */
function pushEmoticon(text: string, i: number, candidates: ReadonlyArray<readonly [string, number]>, out: TokenBuffer): number {
  const n = text.length;
  for (const [face, v] of candidates) {
    if (text.startsWith(face, i)) {
      const after = i + face.length < n ? text.charCodeAt(i + face.length) : 32;
      if (!isLetter(after) && !(after >= 48 && after <= 57)) {
        out.push(EMOJI, face, 0, v);
        return face.length;
      }
    }
  }
  return 0;
}

function pushBreak(out: TokenBuffer, kind: number): void {
  const last = out.length - 1;
  if (last >= 0) {
    const k = out.kinds[last];
    if (k === SENTENCE) return;
    if (k === CLAUSE) {
      if (kind === SENTENCE) out.kinds[last] = SENTENCE;
      return;
    }
  }
  out.push(kind, '', 0, 0);
}

function skipToSpace(text: string, i: number): number {
  const n = text.length;
  while (i < n && !isSpace(text.charCodeAt(i))) i++;
  return i;
}
