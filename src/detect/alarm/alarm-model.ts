import type { DetectionParams } from '../params.js';
import { wilsonInterval, type Interval } from '../stats.js';

/** What the alarm signal says about a key's short window. */
export interface AlarmAssessment {
  /** Share of mentions with harm/alarm or sympathy terms, and its 95 % Wilson lower bound. */
  share: number;
  low: number;
  /** This key's usual alarm share. */
  usualShare: number;
}

export function emptyAlarmAssessment(): AlarmAssessment {
  return { share: 0, low: 0, usualShare: 0 };
}

// Prior for a key with little history: a brand's mentions rarely carry harm words, worth this
// many mentions of evidence. A keyword stream about earthquakes learns its own higher share.
export const PRIOR_SHARE = 0.05;
const PRIOR_WEIGHT = 20;
const SCRATCH: Interval = { low: 0, high: 1 };

/** A key's usual alarm share, learned only while calm (a crisis must not become normal). */
export class AlarmModel {
  usualMentions = 0;
  usualAlarmed = 0;

  usualShare(): number {
    return (this.usualAlarmed + PRIOR_SHARE * PRIOR_WEIGHT) / (this.usualMentions + PRIOR_WEIGHT);
  }

  assess(windowMentions: number, windowAlarmed: number, out: AlarmAssessment): AlarmAssessment {
    out.share = windowMentions > 0 ? windowAlarmed / windowMentions : 0;
    out.low = wilsonInterval(windowAlarmed, windowMentions, SCRATCH).low;
    out.usualShare = this.usualShare();
    return out;
  }

  /** Folds one closed bucket in, when the key is calm. */
  learn(mentions: number, alarmedMentions: number, calm: boolean, c: DetectionParams): void {
    if (!calm) return;
    const decay = 1 - c.levelAlpha;
    this.usualMentions = this.usualMentions * decay + mentions;
    this.usualAlarmed = this.usualAlarmed * decay + alarmedMentions;
  }
}
