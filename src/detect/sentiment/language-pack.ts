/**
 * Everything the scoring loop needs to know about one language. Built once per scorer; the maps
 * are owned by the scorer (copies), so extras given to one scorer never leak into another.
 */
export interface LanguagePack {
  readonly code: string;
  /** Word → valence on the AFINN scale (-5 .. 5). */
  readonly words: ReadonlyMap<string, number>;
  /**
   * Multi-word expressions, keyed by their first word: each entry is the remaining words and the
   * valence of the whole phrase. Longest phrases first. A phrase inside a negation scope is negated.
   */
  readonly phrases: ReadonlyMap<string, ReadonlyArray<Phrase>>;
  /** Words that open a negation scope ("not", "never", "niet", "kein"). */
  readonly negators: ReadonlySet<string>;
  /** Intensifiers (> 0) and diminishers (< 0): relative change applied to the next valenced word. */
  readonly boosters: ReadonlyMap<string, number>;
  /** "but"-like words: what precedes weighs less, what follows weighs more. */
  readonly contrasts: ReadonlySet<string>;
  /** "although"-like words: the clause they open weighs less. */
  readonly concessives: ReadonlySet<string>;
  /** Irrealis markers ("would", "wish", "if"): a positive word right after them is damped. */
  readonly irrealis: ReadonlySet<string>;
  /** Words whose negator status is cancelled by the next word ("not only", "no doubt"). */
  readonly negationBreakers: ReadonlySet<string>;
  /** Optional stemming fallback for inflected languages: candidate lookup keys for an unknown word. */
  readonly stems?: (word: string) => readonly string[];
  /**
   * Words that carry valence only after a negator or an intensifier ("don't really like it"),
   * because their bare use is mostly not evaluative ("like" as a preposition).
   */
  readonly contextual: ReadonlyMap<string, number>;
  /** Fallback lexicon (English, minus false friends) for words unknown in this language. */
  readonly fallback?: LanguagePack;
  /** Words of the fallback lexicon that must not be used in this language (false friends). */
  readonly fallbackStop?: ReadonlySet<string>;
}

export interface Phrase {
  readonly rest: readonly string[];
  readonly value: number;
}

/** Raw material of a language pack, as written in the lexicon modules. */
export interface LanguageSource {
  readonly code: string;
  readonly words: Readonly<Record<string, number>>;
  readonly negators: readonly string[];
  readonly boosters: Readonly<Record<string, number>>;
  readonly contrasts: readonly string[];
  readonly concessives: readonly string[];
  readonly negationBreakers?: readonly string[];
  readonly irrealis?: readonly string[];
  readonly contextual?: Readonly<Record<string, number>>;
  readonly stems?: (word: string) => readonly string[];
  readonly fallbackStop?: readonly string[];
}

/** Builds a pack with fresh maps; multi-word keys of `words` become phrases. */
export function buildPack(
  source: LanguageSource,
  extras: Readonly<Record<string, number>> | undefined,
  fallback: LanguagePack | undefined,
): LanguagePack {
  const words = new Map<string, number>();
  const phraseLists = new Map<string, Phrase[]>();
  const add = (key: string, value: number): void => {
    const k = key.toLowerCase().replaceAll('\u2019', "'").trim();
    if (k.includes(' ')) {
      const parts = k.split(/\s+/);
      const first = parts[0] as string;
      let list = phraseLists.get(first);
      if (list === undefined) phraseLists.set(first, (list = []));
      const rest = parts.slice(1);
      const existing = list.findIndex((p) => p.rest.join(' ') === rest.join(' '));
      if (existing >= 0) list.splice(existing, 1);
      list.push({ rest, value });
    } else words.set(k, value);
  };
  for (const [k, v] of Object.entries(source.words)) add(k, v);
  if (extras !== undefined) for (const [k, v] of Object.entries(extras)) if (Number.isFinite(v)) add(k, v);
  for (const list of phraseLists.values()) list.sort((a, b) => b.rest.length - a.rest.length);
  const pack: LanguagePack = {
    code: source.code,
    words,
    phrases: phraseLists,
    negators: new Set(source.negators),
    boosters: new Map(Object.entries(source.boosters)),
    contrasts: new Set(source.contrasts),
    concessives: new Set(source.concessives),
    negationBreakers: new Set(source.negationBreakers ?? []),
    irrealis: new Set(source.irrealis ?? []),
    contextual: new Map(Object.entries(source.contextual ?? {})),
    ...(source.stems !== undefined ? { stems: source.stems } : {}),
    ...(fallback !== undefined ? { fallback, fallbackStop: new Set(source.fallbackStop ?? []) } : {}),
  };
  return pack;
}
