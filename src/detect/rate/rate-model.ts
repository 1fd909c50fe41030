import type { DetectionParams } from '../params.js';
import { anscombeZ, clamp01, countAtZ, upperTailLog10 } from '../stats.js';

/** What the rate detector says about one short window of one key. */
export interface RateAssessment {
  learning: boolean;
  /** Mentions in the window, and what this key usually has for the same hours. */
  mentions: number;
  expectedMentions: number;
  /** Engagement-weighted volume, and its usual value. */
  weight: number;
  expectedWeight: number;
  /** Residuals (≈ standard normal when nothing unusual happens). */
  volumeZ: number;
  weightZ: number;
  /** Calibrated anomaly score in [0, 1]: 1 at p = 10^-scoreScaleLog10 or rarer. */
  score: number;
}

export function emptyRateAssessment(): RateAssessment {
  return { learning: true, mentions: 0, expectedMentions: 0, weight: 0, expectedWeight: 0, volumeZ: 0, weightZ: 0, score: 0 };
}

const HOURS = 24;
const MIN_LEVEL = 1e-3; // expected mentions per bucket never quite reaches zero
const MAX_RESIDUAL_SQUARED = 16; // one wild window cannot blow up the dispersion estimate

/**
 * A key's own volume baseline: a deseasonalised level (follows slow growth), an hour-of-day
 * profile (daily rhythm), the usual engagement weight per mention, and the dispersion of
 * window counts beyond Poisson. Robust: counts fed to it are winsorised, harder while the key
 * is elevated, so a storm is not learned as the new normal.
 */
export class RateModel {
  level = 0;
  weightPerMention = 1;
  volumeDispersion = 1;
  weightDispersion = 1;
  bucketsSeen = 0;
  readonly season = new Float32Array(HOURS).fill(1);
  readonly seasonVisits = new Uint16Array(HOURS);
  /** Usual distinct authors and texts per mention in a window (for the coordination check). */
  authorsPerMention = 1;
  textsPerMention = 1;

  /**
   * How well the baseline is known for this hour, as a relative error: wide for an hour of the
   * day never seen (a new key's first day), narrowing with every day of it, never below a floor.
   */
  relativeUncertainty(bucket: number, c: DetectionParams): number {
    const daysSeen = this.seasonVisits[c.slotOf(bucket)]! / c.bucketsPerHour;
    return Math.max(c.baselineMinUncertainty, c.baselineUnseenUncertainty / Math.sqrt(1 + daysSeen));
  }

  /** Expected mentions over buckets first..last under the current baseline. */
  expected(first: number, last: number, c: DetectionParams): number {
    const level = Math.max(this.level, MIN_LEVEL);
    const firstSlot = c.slotOf(first);
    // Most windows lie within one hour of the day.
    if (firstSlot === c.slotOf(last)) return level * this.season[firstSlot]! * (last - first + 1);
    let total = 0;
    for (let b = first; b <= last; b++) total += level * this.season[c.slotOf(b)]!;
    return total;
  }

  assess(mentions: number, weight: number, first: number, last: number, c: DetectionParams, out: RateAssessment): RateAssessment {
    const expected = this.expected(first, last, c);
    out.learning = this.bucketsSeen < c.learningBuckets;
    out.mentions = mentions;
    out.expectedMentions = expected;
    out.weight = weight;
    out.expectedWeight = expected * this.weightPerMention;
    const kappa = this.relativeUncertainty(last, c);
    out.volumeZ = anscombeZ(mentions, expected, this.volumeDispersion, kappa);
    // Engagement in mention-equivalents, so the same Poisson-like scale applies.
    out.weightZ = anscombeZ(weight / this.weightPerMention, expected, this.weightDispersion, kappa);
    const z = Math.max(out.volumeZ, out.weightZ);
    out.score = out.learning || z <= 0 ? 0 : clamp01(upperTailLog10(z) / c.scoreScaleLog10);
    return out;
  }

  /**
   * Learns from one closed bucket (`mentions`, `weight`) and the window that ended with it
   * (`window`, already assessed; `audience`, its distinct authors and texts, NaN when not
   * estimated). `elevated` tightens winsorising and holds the dispersions, the weight per
   * mention and the audience where they are.
   */
  learn(bucket: number, mentions: number, weight: number, window: RateAssessment, audience: { authors: number; texts: number }, elevated: boolean, c: DetectionParams): void {
    const slot = c.slotOf(bucket);
    const season = this.season[slot]!;
    const expected = Math.max(this.level, MIN_LEVEL) * season;
    const clipSigma = elevated ? c.baselineClipSigmaElevated : c.baselineClipSigma;
    // While learning there is no baseline to winsorise against yet.
    const learning = this.bucketsSeen < c.learningBuckets;
    const clipped = learning ? mentions : Math.min(mentions, countAtZ(expected, clipSigma, this.volumeDispersion));

    // Warm start: a plain running mean until the half-life's weight takes over.
    const alphaLevel = Math.max(c.levelAlpha, 1 / (this.bucketsSeen + 1));
    this.level += alphaLevel * (clipped / season - this.level);

    const visits = this.seasonVisits[slot]!;
    // The flat profile counts as one hour of evidence: the first buckets of an hour never seen
    // must not set its factor alone (an incident at the top of a new hour would become usual).
    const alphaSeason = Math.max(c.seasonAlpha, 1 / (visits + 1 + c.bucketsPerHour));
    // Learn the hour's factor only once there is a level to compare with (a day's worth of data
    // spread over many hours; before that the profile stays flat).
    if (this.bucketsSeen >= c.bucketsPerHour && this.level > MIN_LEVEL) {
      const factor = Math.min(clipped / this.level, 20);
      this.season[slot] = Math.max(0.05, season + alphaSeason * (factor - season));
      if (visits < 65535) this.seasonVisits[slot] = visits + 1;
    }

    if (!elevated && window.expectedMentions > 0) {
      const alphaDispersion = alphaLevel;
      const rawVolume = anscombeZ(window.mentions, window.expectedMentions, 1);
      this.volumeDispersion += alphaDispersion * (Math.min(rawVolume * rawVolume, MAX_RESIDUAL_SQUARED) - this.volumeDispersion);
      this.volumeDispersion = Math.max(1, this.volumeDispersion);
      const rawWeight = anscombeZ(window.weight / this.weightPerMention, window.expectedMentions, 1);
      this.weightDispersion += alphaDispersion * (Math.min(rawWeight * rawWeight, MAX_RESIDUAL_SQUARED) - this.weightDispersion);
      this.weightDispersion = Math.max(1, this.weightDispersion);
      if (mentions > 0) {
        this.weightPerMention += alphaLevel * (weight / mentions - this.weightPerMention);
      }
      // Distinct counts are estimated only for some windows (src/detect/bucket-closer.ts): NaN when not.
      if (window.mentions > 0 && !Number.isNaN(audience.authors)) {
        this.authorsPerMention += alphaDispersion * (audience.authors / window.mentions - this.authorsPerMention);
        this.textsPerMention += alphaDispersion * (audience.texts / window.mentions - this.textsPerMention);
      }
    }
    this.bucketsSeen++;
  }
}
