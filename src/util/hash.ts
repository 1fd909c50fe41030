/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so every bit is mixed. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Hash of a text's letters only, lower-cased: posts that differ only in punctuation, digits,
 * spacing or case (the usual disguise of copy-paste campaigns) hash the same.
 */
export function hashLetters(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    else if (!(c >= 97 && c <= 122) && c < 0xc0) continue;
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable 64-bit hex id from a string (two independently seeded 32-bit hashes). */
export function stableId(text: string): string {
  return hashString(text, 0x811c9dc5).toString(16).padStart(8, '0') + hashString(text, 0x9747b28c).toString(16).padStart(8, '0');
}
