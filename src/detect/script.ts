/**
 * Whether a mention's text is in a script stormwatch reads. The sentiment scorer and the alarm
 * vocabulary cover Latin-script languages only (English, French, Spanish, German, Italian,
 * Portuguese, Dutch), so a text mostly in Cyrillic, Greek, Arabic, Hebrew, CJK, Thai or
 * Devanagari says nothing we can measure about its tone: it counts towards volume, not towards
 * the negative or alarm shares. @handles, links and the "RT" marker are not the text's language.
 */

const LATIN = 1;
const OTHER = 2;

// Greek starts here: everything before it is Latin, or not a letter.
const FIRST_NON_LATIN = 0x370;

/**
 * Letter class of every BMP code unit (0: not a letter), from Unicode's own properties, built
 * when the module loads (about 10 ms) rather than inside the first ingest that needs it. The
 * vowel signs of Devanagari, Thai and the like are marks, not letters, but they are the
 * script's text: they count as its letters.
 */
const CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  const letter = /\p{L}/u;
  const mark = /\p{M}/u;
  const latin = /\p{Script=Latin}/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: astral symbols, mostly emoji
    const ch = String.fromCharCode(c);
    if (letter.test(ch)) table[c] = c < FIRST_NON_LATIN || latin.test(ch) ? LATIN : OTHER;
    else if (c >= FIRST_NON_LATIN && mark.test(ch) && !latin.test(ch)) table[c] = OTHER;
  }
  return table;
})();

const AT = 64;
const OPENERS: readonly number[] = [0x28, 0x5b, 0x3c, 0x22, 0x27, 0xab, 0x201c, 0x2018]; // ( [ < " ' « “ ‘

/** The separators the tokenizer splits on (src/detect/sentiment/tokenizer.ts). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** Does the token at `i` (a link or an @handle, perhaps in brackets or quotes) say nothing of the text's language? */
function skippable(text: string, i: number): boolean {
  while (i < text.length && OPENERS.includes(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === AT) return true;
  return startsWithFolded(text, i, 'http') || startsWithFolded(text, i, 'www.');
}

/** `text` has `lower` (lower-case ASCII) at `i`, in any case. */
function startsWithFolded(text: string, i: number, lower: string): boolean {
  if (i + lower.length > text.length) return false;
  for (let k = 0; k < lower.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

/**
 * True when letters of scripts we do not read outnumber Latin letters, not counting links and
 * @handles. A text of emoji, digits or nothing is read (the scorer reads emoji). O(length), no
 * allocation.
 */
export function unreadScript(text: string): boolean {
  // Most texts have nothing past Latin: read, in one tight pass.
  let i = 0;
  const n = text.length;
  while (i < n && text.charCodeAt(i) < FIRST_NON_LATIN) i++;
  if (i === n) return false;
  const table = CLASSES;
  let latin = 0;
  let other = 0;
  i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (skippable(text, i)) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    const start = i;
    let tokenLatin = 0;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const k = table[text.charCodeAt(i)];
      if (k === LATIN) tokenLatin++;
      else if (k === OTHER) other++;
      i++;
    }
    // The retweet marker is Latin in every language.
    if (!(i - start === 2 && text.startsWith('RT', start))) latin += tokenLatin;
  }
  return other > latin;
}
