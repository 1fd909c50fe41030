import type { SentimentLabel, SentimentResult, SentimentScorer } from './types.js';
import { buildPack } from './language-pack.js';
import { TokenBuffer, tokenize } from './tokenizer.js';
import { en } from './lexicons/en.js';
import { de } from './lexicons/de.js';
import { nl } from './lexicons/nl.js';
import { scoringOf, type Scoring } from './word-index.js';
import { sumEmoji, sumTokens } from './valence-sum.js';

/** Default half-width of the neutral band: |score| < 0.05 → neutral. */
export const DEFAULT_NEUTRAL_BAND = 0.05;
/**
 * Default least score of a positive label: one weak positive word ("ok", "cool", "wow", s ≈ 1) is
 * phatic more often than praise, so positive needs score ≥ 0.3 (s ≳ 1.2). Negative keeps the
 * neutral band.
 */
export const DEFAULT_POSITIVE_BAND = 0.3;

export interface SentimentScorerOptions {
  /** |score| below this is labelled neutral. Default {@link DEFAULT_NEUTRAL_BAND}. */
  readonly neutralBand?: number;
  /** Positive needs score ≥ max(neutralBand, positiveBand). Default {@link DEFAULT_POSITIVE_BAND}. */
  readonly positiveBand?: number;
  /**
   * Extra word (or multi-word phrase) valences on the AFINN scale (-5 .. 5), added to every
   * language of this scorer only. Other scorers and the `sentiment` package are not affected.
   */
  readonly extras?: Readonly<Record<string, number>>;
  /**
   * What to do with a language tag that has no lexicon (e.g. 'fr'): score with the English
   * lexicon (default; social text mixes in English) or with emoji and emoticons only.
   */
  readonly unsupportedLanguage?: 'english' | 'emoji-only';
}

const SQUASH_ALPHA = 15; // score = s / sqrt(s² + α), as in VADER
/** Distinct language tags remembered per scorer; more are resolved each time. */
export const MAX_CACHED_TAGS = 256;

/**
 * The lexicon scorer in parts, so the model scorer (scorer.ts) can reuse one tokenisation: `sum`
 * is the weighted valence sum of an already tokenised text, `result` turns a sum into a labelled
 * result with this lexicon's bands.
 */
export interface Lexicon {
  /** Valence sum; a language without a lexicon is scored as `unsupportedLanguage` says. */
  sum(buf: TokenBuffer, lang: string | undefined): number;
  /**
   * Valence sum where the language has a lexicon (and for no tag: English), else of the emoji
   * alone: the model's lexicon feature. The English lexicon on French, Spanish, Italian or
   * Portuguese text added nothing on val (mean macro-F1 0.5937 with it, 0.5944 without), for the
   * cost of a full lexicon pass.
   */
  sumOwn(buf: TokenBuffer, lang: string | undefined): number;
  result(sum: number): SentimentResult;
}

export function createLexicon(options: SentimentScorerOptions = {}): Lexicon {
  const band = options.neutralBand ?? DEFAULT_NEUTRAL_BAND;
  if (!(band >= 0 && band < 1)) throw new RangeError(`neutralBand must be in [0, 1), got ${band}`);
  const positiveBand = options.positiveBand ?? DEFAULT_POSITIVE_BAND;
  if (!(positiveBand >= 0 && positiveBand < 1)) throw new RangeError(`positiveBand must be in [0, 1), got ${positiveBand}`);
  const posBand = Math.max(band, positiveBand);
  const extras = options.extras;
  const englishPack = buildPack(en, extras, undefined);
  const english = scoringOf(englishPack);
  const packs = new Map<string, Scoring | null>([
    ['en', english],
    ['nl', scoringOf(buildPack(nl, extras, englishPack))],
    ['de', scoringOf(buildPack(de, extras, englishPack))],
  ]);

  /** Tag → pack (null: emoji only), remembered per distinct tag. */
  const resolver = (emojiOnly: boolean): ((lang: string | undefined) => Scoring | null) => {
    const byTag = new Map<string, Scoring | null>();
    return (lang) => {
      if (lang === undefined || lang === '') return english;
      let pack = byTag.get(lang);
      if (pack !== undefined) return pack;
      const primary = primarySubtag(lang);
      const known = packs.get(primary);
      pack = known !== undefined ? known : /^[a-z]{2,3}$/.test(primary) && emojiOnly ? null : english;
      if (byTag.size < MAX_CACHED_TAGS) byTag.set(lang, pack);
      return pack;
    };
  };
  const resolve = resolver(options.unsupportedLanguage === 'emoji-only');
  const resolveOwn = resolver(true);
  const sumWith = (pack: Scoring | null, buf: TokenBuffer): number => (pack === null ? sumEmoji(buf) : sumTokens(buf, pack));

  return {
    sum: (buf, lang) => sumWith(resolve(lang), buf),
    sumOwn: (buf, lang) => sumWith(resolveOwn(lang), buf),
    result: (sum) => toResult(sum, band, posBand),
  };
}

/** "pt-BR" → "pt", "EN" → "en". */
export function primarySubtag(tag: string): string {
  const dash = tag.search(/[-_]/);
  return (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
}

/** The hand-written lexicon and rules alone: the scorer before the trained model, and its fallback. */
export function createLexiconScorer(options: SentimentScorerOptions = {}): SentimentScorer {
  const lexicon = createLexicon(options);
  const buf = new TokenBuffer();
  return {
    score(text: string, lang: string | undefined): SentimentResult {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), buf);
      return lexicon.result(lexicon.sum(buf, lang));
    },
  };
}

/** score = s / √(s² + α): a valence sum squashed into (-1, 1). */
export function squash(sum: number): number {
  return sum / Math.sqrt(sum * sum + SQUASH_ALPHA);
}

function toResult(sum: number, band: number, posBand: number): SentimentResult {
  const score = squash(sum);
  const label: SentimentLabel = score <= -band && score < 0 ? 'negative' : score >= posBand && score > 0 ? 'positive' : 'neutral';
  const negativeIntensity = label === 'negative' ? Math.min(1, -score) : 0;
  return { score, label, negativeIntensity };
}
