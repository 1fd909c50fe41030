import type { DetectionParams } from '../../src/detect/params.js';
import type { RateAssessment } from '../../src/detect/rate/rate-model.js';
import { upperTailLog10 } from '../../src/detect/stats.js';

/**
 * How long an alert's strength is remembered when deciding whether a later bucket is a new onset:
 * two weekly cycles. On the NAB files 12-17 days score alike and 7 or 21 days clearly worse
 * (docs/evaluation.md); with 15 labelled windows that is a coarse choice, not a tuned one.
 */
export const DEFAULT_ONSET_MEMORY_MS = 14 * 24 * 3_600_000;

/**
 * Turns the rate model's assessment of each closed bucket into an alert score that is raised at
 * an alert's onset, not on every bucket of it: a bucket reports a score only when its residual
 * exceeds every residual seen recently (a ceiling that follows the residual up at once and
 * relaxes with a half-life of `memoryMs`), and 0 otherwise. At any alert threshold this flags
 * the first bucket that crosses it, and again only once the key is clearly worse than anything
 * it showed lately. The reported score is the rate score without its clamp: L / (L + scale) for
 * L = -log10 p, so 0.5 where the rate score reaches 1, and strictly increasing in the residual.
 * NAB scoring only (bench/nab/detector.ts): the service's alerts come from the classifier.
 */
export class AlertOnset {
  private ceiling = 0;
  private lastHighBucket = Number.NEGATIVE_INFINITY;
  private bucket = 0;
  private readonly relax: number;

  constructor(
    private readonly c: DetectionParams,
    memoryMs = DEFAULT_ONSET_MEMORY_MS,
  ) {
    this.relax = 2 ** (-c.bucketMs / Math.max(c.bucketMs, memoryMs));
  }

  /** Alert score of the next bucket, in [0, 1). */
  step(a: RateAssessment): number {
    this.bucket++;
    if (a.learning) return 0;
    const z = Math.max(0, a.volumeZ, a.weightZ);
    if (a.score >= this.c.rateExitScore) this.lastHighBucket = this.bucket;
    const onset = z > this.ceiling;
    this.ceiling = Math.max(z, this.ceiling * this.relax);
    if (!onset) return 0;
    const l = upperTailLog10(z);
    return l / (l + this.c.scoreScaleLog10);
  }

  /**
   * Whether the baseline should winsorise hard, as the engine does while its classifier is not
   * calm: the residual is high now, or the score was above the exit bar within `exitBuckets`.
   */
  elevated(a: RateAssessment): boolean {
    return a.volumeZ > this.c.baselineClipSigma || this.bucket - this.lastHighBucket < this.c.exitBuckets;
  }
}
