import type { DetectionParams } from '../params.js';
import type { RateAssessment } from './rate-model.js';

/**
 * Turns the rate score of each closed bucket into an alert score that is raised at an alert's
 * onset, not on every bucket of it: a bucket reports its score only when that score exceeds
 * everything reported recently (a ceiling that follows the score up at once and relaxes with
 * the cooldown half-life), and 0 otherwise. At any alert threshold this flags the first bucket
 * that crosses it, and again only when the key gets clearly worse or after it has calmed down.
 */
export class AlertOnset {
  private ceiling = 0;
  private readonly relax: number;

  constructor(private readonly c: DetectionParams) {
    this.relax = 2 ** (-c.bucketMs / Math.max(c.bucketMs, c.cooldownMs));
  }

  /** Alert score of this bucket in [0, 1]. */
  step(a: RateAssessment): number {
    const s = a.learning ? 0 : a.score;
    const out = s > this.ceiling ? s : 0;
    this.ceiling = Math.max(s, this.ceiling * this.relax);
    return out;
  }

  /** Whether the baseline should winsorise hard (the key is, or just was, alerting). */
  elevated(a: RateAssessment): boolean {
    return this.ceiling >= this.c.rateExitScore || a.volumeZ > this.c.baselineClipSigma;
  }
}
