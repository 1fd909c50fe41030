import type { DetectionParams } from '../params.js';
import { clamp01, wilsonInterval, type Interval } from '../stats.js';

/** What the sentiment detector says about a key's recent mentions. */
export interface NegativityAssessment {
  /** Short window: share of negative mentions with its 95 % Wilson interval. */
  share: number;
  low: number;
  high: number;
  /** Mean negative intensity (0-1) of the negative mentions in the short window. */
  intensity: number;
  /** Slow window (exponentially decayed, for drizzles): effective mentions, share and interval. */
  slowMentions: number;
  slowShare: number;
  slowLow: number;
  /** This key's usual negative share. */
  usualShare: number;
  /**
   * Is the usual share learned (enough calm mentions) rather than the prior? Brands differ too
   * much in their usual negativity (an airline's is 60 %) to judge a new key's against a prior.
   */
  usualKnown: boolean;
}

export function emptyNegativityAssessment(): NegativityAssessment {
  return { share: 0, low: 0, high: 1, intensity: 0, slowMentions: 0, slowShare: 0, slowLow: 0, usualShare: 0, usualKnown: false };
}

// Prior for a key with little history: a typical brand's share of negative mentions, worth
// this many mentions of evidence.
const PRIOR_SHARE = 0.2;
const PRIOR_WEIGHT = 20;
// Calm mentions (decayed) after which the usual share is the key's own.
const KNOWN_AFTER = 3 * PRIOR_WEIGHT;
// Scratch for interval arithmetic: assess() runs synchronously, one call at a time.
const SCRATCH: Interval = { low: 0, high: 1 };

/**
 * A key's usual negative share (learned only while calm, so a storm does not become normal)
 * and a slow, exponentially decayed window for low-volume negative chatter (drizzle).
 */
export class NegativityModel {
  usualMentions = 0; // decayed totals over the baseline's memory
  usualNegative = 0;
  slowMentions = 0;
  slowNegative = 0;

  /** After a storm or surge: what follows is judged on its own, not on the spike's memory. */
  forgetSlowWindow(): void {
    this.slowMentions = 0;
    this.slowNegative = 0;
  }

  usualShare(): number {
    return (this.usualNegative + PRIOR_SHARE * PRIOR_WEIGHT) / (this.usualMentions + PRIOR_WEIGHT);
  }

  assess(windowMentions: number, windowNegative: number, windowIntensity: number, out: NegativityAssessment): NegativityAssessment {
    const interval = wilsonInterval(windowNegative, windowMentions, SCRATCH);
    out.share = windowMentions > 0 ? windowNegative / windowMentions : 0;
    out.low = interval.low;
    out.high = interval.high;
    out.intensity = windowNegative > 0 ? clamp01(windowIntensity / windowNegative) : 0;
    out.slowMentions = this.slowMentions;
    out.slowShare = this.slowMentions > 0 ? this.slowNegative / this.slowMentions : 0;
    out.slowLow = wilsonInterval(this.slowNegative, this.slowMentions, interval).low;
    out.usualShare = this.usualShare();
    out.usualKnown = this.usualMentions >= KNOWN_AFTER;
    return out;
  }

  /**
   * Folds one closed bucket in; the usual share learns only when `calm`. In the slow window a
   * bucket weighs at most `usualMentions` mentions: a drizzle is about the share of negative
   * chatter at ordinary volume, and a spike must not dominate the window for hours after.
   */
  learn(mentions: number, negative: number, usualMentions: number, calm: boolean, c: DetectionParams): void {
    const slowDecay = c.slowDecay;
    const scale = mentions > usualMentions && mentions > 0 ? usualMentions / mentions : 1;
    this.slowMentions = this.slowMentions * slowDecay + mentions * scale;
    this.slowNegative = this.slowNegative * slowDecay + negative * scale;
    if (calm) {
      const usualDecay = 1 - c.levelAlpha;
      this.usualMentions = this.usualMentions * usualDecay + mentions;
      this.usualNegative = this.usualNegative * usualDecay + negative;
    }
  }
}
