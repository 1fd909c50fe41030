/** Three-way polarity of one text. */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** What the engine needs to know about one mention's sentiment. */
export interface SentimentResult {
  /** Polarity in [-1, 1]: below zero negative, above zero positive. */
  readonly score: number;
  /** Label after the neutral band is applied to `score`. */
  readonly label: SentimentLabel;
  /** How strongly negative, in [0, 1]: 0 for neutral or positive text, near 1 for outrage. */
  readonly negativeIntensity: number;
}

/** No evidence either way: a text without words or emoji, or one nobody scored. */
export const NO_SENTIMENT: SentimentResult = Object.freeze({ score: 0, label: 'neutral', negativeIntensity: 0 });

/** Scores one text; `lang` is the mention's BCP 47 language tag (or undefined when unknown). */
export interface SentimentScorer {
  score(text: string, lang: string | undefined): SentimentResult;
}
