import { HARM, SYMPATHY } from './vocabulary.js';

/** What one mention says beyond its valence. */
export interface AlarmResult {
  /** Harm or alarm terms in the text. */
  readonly harm: number;
  /** Sympathy or mourning terms. */
  readonly sympathy: number;
}

const NONE: AlarmResult = Object.freeze({ harm: 0, sympathy: 0 });
const HARM_ONLY: AlarmResult = Object.freeze({ harm: 1, sympathy: 0 });
const SHORTEST_STEM = 3;
// A hashtag is searched for a stem anywhere in it (#laxshooting, #prayforboston, #terremotocr)
// from stems this long on, so short stems do not turn up inside unrelated tags.
const HASHTAG_STEM = 5;
const HASH = 0x23;

/** Does a mention carry alarm (harm or sympathy)? That is what the engine counts. */
export function alarmed(r: AlarmResult): boolean {
  return r.harm + r.sympathy > 0;
}

const enum Kind {
  Harm = 1,
  Sympathy = 2,
}

/**
 * A character trie of the vocabulary: a word is matched in one walk over its characters, with
 * no substring built. `stem`: the entry matches every word that continues here; `word`: only a
 * word that ends here; `pair`: the trie of second words for a word pair starting with this word.
 */
interface Node {
  stem: Kind | undefined;
  word: Kind | undefined;
  pair: Node | undefined;
  /** Children by a-z, in an array: nearly every step of a walk (a Map lookup each cost more than the rest of the scorer). */
  letters: Array<Node | undefined>;
  /** Children by any other code unit (digits, letters beyond ASCII). */
  next: Map<number, Node>;
}

const node = (): Node => ({ stem: undefined, word: undefined, pair: undefined, letters: new Array<Node | undefined>(26).fill(undefined), next: new Map() });

function child(n: Node, c: number): Node | undefined {
  return c >= 97 && c <= 122 ? n.letters[c - 97] : n.next.get(c);
}

function walk(root: Node, text: string): Node {
  let n = root;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let next = child(n, c);
    if (next === undefined) {
      next = node();
      if (c >= 97 && c <= 122) n.letters[c - 97] = next;
      else n.next.set(c, next);
    }
    n = next;
  }
  return n;
}

function add(root: Node, entry: string, kind: Kind): void {
  const space = entry.indexOf(' ');
  if (space > 0) {
    const first = walk(root, entry.slice(0, space));
    first.pair ??= node();
    add(first.pair, entry.slice(space + 1), kind);
  } else if (entry.endsWith('*')) walk(root, entry.slice(0, -1)).stem = kind;
  else walk(root, entry).word = kind;
}

function vocabulary(): Node {
  const root = node();
  for (const [entries, kind] of [
    [HARM, Kind.Harm],
    [SYMPATHY, Kind.Sympathy],
  ] as const) {
    for (const list of Object.values(entries)) for (const e of list) add(root, e, kind);
  }
  return root;
}

/** Letters and digits after folding: ASCII lower case and digits, and every letter beyond Latin-1's symbols. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7) || (c >= 0x3040 && c < 0xd800);
}

/**
 * Lower case without accents, per code unit, for the Latin letters the vocabulary is written in
 * ("Explosión" → "explosion", "Störung" → "storung"): the table is what NFD, dropping the marks and
 * lower-casing make of each letter below U+0250; other code units stay as they are, and combining
 * marks (U+0300–U+036F, text that arrives decomposed) are dropped.
 */
const FOLD_LIMIT = 0x250;
const FOLD = (() => {
  const table = new Uint16Array(FOLD_LIMIT);
  for (let c = 0; c < FOLD_LIMIT; c++) {
    const folded = String.fromCharCode(c).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    table[c] = folded.length === 1 ? folded.charCodeAt(0) : c;
  }
  return table;
})();
const isCombiningMark = (c: number): boolean => c >= 0x300 && c <= 0x36f;

/**
 * Scores a mention's text for harm/alarm and sympathy vocabulary in every language of
 * ./vocabulary.ts at once. Pure; one pass over the text into a reused buffer of folded code units.
 */
export class AlarmScorer {
  private readonly root = vocabulary();

  /** The folded text of the current `score` call (reused: no allocation per mention). */
  private folded = new Uint16Array(256);

  score(text: string): AlarmResult {
    if (text.length === 0) return NONE;
    if (this.folded.length < text.length) this.folded = new Uint16Array(text.length * 2);
    const t = this.folded;
    let length = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < FOLD_LIMIT) t[length++] = FOLD[c]!;
      else if (!isCombiningMark(c)) t[length++] = c;
    }
    let harm = 0;
    let sympathy = 0;
    let pair: Node | undefined;
    let i = 0;
    while (i < length) {
      if (!isWordChar(t[i]!)) {
        i++;
        continue;
      }
      const start = i;
      while (i < length && isWordChar(t[i]!)) i++;
      let kind = this.match(this.root, t, start, i, SHORTEST_STEM);
      const nextPair = this.last?.pair;
      if (kind === undefined && start > 0 && t[start - 1] === HASH) {
        for (let j = start + 1; j + HASHTAG_STEM <= i && kind === undefined; j++) kind = this.match(this.root, t, j, i, HASHTAG_STEM, true);
      }
      if (kind === undefined && pair !== undefined) kind = this.match(pair, t, start, i, SHORTEST_STEM);
      if (kind === Kind.Harm) harm++;
      else if (kind === Kind.Sympathy) sympathy++;
      pair = nextPair;
    }
    if (harm === 0 && sympathy === 0) return NONE;
    if (harm === 1 && sympathy === 0) return HARM_ONLY;
    return { harm, sympathy };
  }

  /** The node the last `match` ended on, undefined if the word left the trie (for word pairs). */
  private last: Node | undefined;

  /**
   * The kind of t[from, end) as a whole word, else of its longest stem of at least `shortest`
   * letters. `stemsOnly`: inside a hashtag, only stems count.
   */
  private match(root: Node, t: Uint16Array, from: number, end: number, shortest: number, stemsOnly = false): Kind | undefined {
    let n: Node | undefined = root;
    let found: Kind | undefined;
    for (let i = from; i < end && n !== undefined; i++) {
      n = child(n, t[i]!);
      if (n?.stem !== undefined && i - from + 1 >= shortest) found = n.stem;
    }
    this.last = n;
    return n?.word !== undefined && !stemsOnly ? n.word : found;
  }
}
