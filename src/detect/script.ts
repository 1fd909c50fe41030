/**
 * Whether a mention's text is in a script stormwatch reads. The sentiment scorer and the alarm
 * vocabulary cover Latin-script languages only (English, French, Spanish, German, Italian,
 * Portuguese, Dutch), so a text mostly in Cyrillic, Greek, Arabic, Hebrew, CJK, Thai or
 * Devanagari says nothing we can measure about its tone: it counts towards volume, not towards
 * the negative or alarm shares. @handles, links and the "RT" marker are not the text's language.
 */

const LATIN = 1;
const OTHER = 2;

let classes: Uint8Array | undefined;

/** Letter class of every BMP code unit (0: not a letter), from Unicode's own properties (built once, on first use). */
function letterClasses(): Uint8Array {
  if (classes !== undefined) return classes;
  const table = new Uint8Array(0x10000);
  const letter = /\p{L}/u;
  const latin = /\p{Script=Latin}/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: astral symbols, mostly emoji
    const ch = String.fromCharCode(c);
    if (letter.test(ch)) table[c] = latin.test(ch) ? LATIN : OTHER;
  }
  return (classes = table);
}

const SPACE = 32;
const FIRST_NON_LATIN = 0x370;
const AT = 64;

function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000;
}

/** Does the token at `i` (a link or an @handle) say nothing of the text's language? */
function skippable(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === AT) return true;
  return text.startsWith('http', i) || text.startsWith('www.', i);
}

/**
 * True when letters of scripts we do not read outnumber Latin letters, not counting links and
 * @handles. A text of emoji, digits or nothing is read (the scorer reads emoji). O(length), no
 * allocation.
 */
export function unreadScript(text: string): boolean {
  // Most texts have nothing past Latin (Greek starts at U+0370): read, in one tight pass.
  let i = 0;
  const n = text.length;
  while (i < n && text.charCodeAt(i) < FIRST_NON_LATIN) i++;
  if (i === n) return false;
  const table = letterClasses();
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
