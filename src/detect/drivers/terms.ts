/**
 * Words and hashtags of a post, for finding what a burst is about. Lower-cased letters and
 * digits; URLs and @handles skipped; stop words of the supported languages dropped.
 */
const STOP_WORDS = new Set(
  (
    'the and for are but not you your with this that have has had was were will would can could just from they them their there ' +
    'what when where who why how all any been being more most very too out about into over than then its it\'s our ours his her ' +
    'she him her one two get got also still even only some such off yet via amp rt dont didnt doesnt cant wont im ive youre its ' +
    'een het van dat die niet ook maar met voor zijn naar als bij nog wel dan heb hebben wordt kan mijn jullie deze dit wat ' +
    'der die das und nicht ist ich mit den dem ein eine einen auch sich auf für von wie bei noch nur aber wird hat sind war mein'
  ).split(' '),
);

export interface TermVisitor {
  (term: string, isHashtag: boolean): void;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0xc0 || c === 95;
}

/** Calls `visit` for each term of `text` in order. */
export function forEachTerm(text: string, visit: TermVisitor): void {
  const lower = text.toLowerCase();
  let i = 0;
  const n = lower.length;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (c === 104 /* h */ && lower.startsWith('http', i)) {
      while (i < n && lower.charCodeAt(i) > 32) i++;
      continue;
    }
    if (c === 64 /* @ */) {
      i++;
      while (i < n && isWordChar(lower.charCodeAt(i))) i++;
      continue;
    }
    const hashtag = c === 35; /* # */
    const start = hashtag ? i + 1 : i;
    let end = start;
    while (end < n && isWordChar(lower.charCodeAt(end))) end++;
    if (end === start) {
      i++;
      continue;
    }
    const term = lower.slice(start, end);
    if (hashtag) visit('#' + term, true);
    else if (term.length >= 3 && !STOP_WORDS.has(term) && !/^\d+$/.test(term)) visit(term, false);
    i = end;
  }
}
