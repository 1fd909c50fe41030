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
const WORDS = /(#?)([\p{L}\p{N}]+)/gu;

/** Does a mention carry alarm (harm or sympathy)? That is what the engine counts. */
export function alarmed(r: AlarmResult): boolean {
  return r.harm + r.sympathy > 0;
}

const enum Kind {
  Harm = 1,
  Sympathy = 2,
}

/** A character trie of the stems: a word is matched in one walk, without slicing it. */
interface StemNode {
  kind: Kind | undefined;
  next: Map<number, StemNode>;
}

interface Tables {
  words: Map<string, Kind>;
  stems: StemNode;
  /** First word → second word → kind. */
  pairs: Map<string, Map<string, Kind>>;
}

function addStem(root: StemNode, stem: string, kind: Kind): void {
  let node = root;
  for (let i = 0; i < stem.length; i++) {
    const c = stem.charCodeAt(i);
    let child = node.next.get(c);
    if (child === undefined) node.next.set(c, (child = { kind: undefined, next: new Map() }));
    node = child;
  }
  node.kind = kind;
}

function tables(): Tables {
  const t: Tables = { words: new Map(), stems: { kind: undefined, next: new Map() }, pairs: new Map() };
  const add = (entries: Readonly<Record<string, readonly string[]>>, kind: Kind) => {
    for (const list of Object.values(entries)) {
      for (const e of list) {
        const space = e.indexOf(' ');
        if (space > 0) {
          const first = e.slice(0, space);
          if (!t.pairs.has(first)) t.pairs.set(first, new Map());
          t.pairs.get(first)!.set(e.slice(space + 1), kind);
        }
        else if (e.endsWith('*')) addStem(t.stems, e.slice(0, -1), kind);
        else t.words.set(e, kind);
      }
    }
  };
  add(HARM, Kind.Harm);
  add(SYMPATHY, Kind.Sympathy);
  return t;
}

/** Lower case without accents ("explosión" → "explosion", "Störung" → "storung"). */
function fold(text: string): string {
  // Most mentions are ASCII: no normalisation needed.
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Scores a mention's text for harm/alarm and sympathy vocabulary in every language of
 * ./vocabulary.ts at once. Pure and allocation-light: one pass over the words.
 */
export class AlarmScorer {
  private readonly t = tables();

  score(text: string): AlarmResult {
    if (text.length === 0) return NONE;
    let harm = 0;
    let sympathy = 0;
    let pair: Map<string, Kind> | undefined;
    for (const m of fold(text).matchAll(WORDS)) {
      const word = m[2]!;
      let kind = this.t.words.get(word) ?? this.stemOf(word, 0);
      if (kind === undefined && m[1] === '#') {
        for (let i = 1; i + HASHTAG_STEM <= word.length && kind === undefined; i++) kind = this.stemOf(word, i, HASHTAG_STEM);
      }
      if (kind === undefined && pair !== undefined) kind = pair.get(word);
      if (kind === Kind.Harm) harm++;
      else if (kind === Kind.Sympathy) sympathy++;
      pair = this.t.pairs.get(word);
    }
    if (harm === 0 && sympathy === 0) return NONE;
    if (harm === 1 && sympathy === 0) return HARM_ONLY;
    return { harm, sympathy };
  }

  /** The kind of the longest stem that starts `word` at `from` (at least `shortest` letters). */
  private stemOf(word: string, from: number, shortest = SHORTEST_STEM): Kind | undefined {
    let node: StemNode | undefined = this.t.stems;
    let found: Kind | undefined;
    for (let i = from; i < word.length && node !== undefined; i++) {
      node = node.next.get(word.charCodeAt(i));
      if (node?.kind !== undefined && i - from + 1 >= shortest) found = node.kind;
    }
    return found;
  }
}
