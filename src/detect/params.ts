import type { DetectionConfig } from './config.js';
import { ewmaAlpha } from './stats.js';
import { hourOfDay } from './time.js';

/** The detection config plus the constants derived from it, computed once per engine. */
export interface DetectionParams extends DetectionConfig {
  readonly windowBuckets: number;
  readonly learningBuckets: number;
  readonly bucketsPerHour: number;
  /** EWMA weight per bucket of the level, dispersions and usual negative share. */
  readonly levelAlpha: number;
  /** EWMA weight of an hour-of-day factor per bucket spent in that hour. */
  readonly seasonAlpha: number;
  /** Per-bucket decay of the slow (drizzle) window. */
  readonly slowDecay: number;
  /** Hour of day (0-23) of a bucket index. */
  slotOf(bucket: number): number;
}

export function deriveParams(c: DetectionConfig): DetectionParams {
  const bucketsPerHour = 3_600_000 / c.bucketMs;
  return Object.freeze({
    ...c,
    windowBuckets: c.shortWindowMs / c.bucketMs,
    learningBuckets: Math.ceil(c.learningMs / c.bucketMs),
    bucketsPerHour,
    levelAlpha: ewmaAlpha(c.bucketMs, c.levelHalfLifeMs),
    seasonAlpha: ewmaAlpha(1, c.seasonHalfLifeDays * bucketsPerHour),
    slowDecay: 2 ** (-c.bucketMs / c.drizzleHalfLifeMs),
    slotOf: (bucket: number) => hourOfDay(bucket * c.bucketMs, c.utcOffsetMinutes),
  });
}
