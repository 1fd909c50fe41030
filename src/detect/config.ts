import { Type, type Static } from '@sinclair/typebox';

/**
 * Detection settings. Units are in the names. Defaults are the service's defaults (config/
 * default.json repeats them for operators, generated from the schemas). The cross-field rules
 * are `detectionConfigProblems` below, which `loadConfig` (src/config/load.ts) runs after the schema
 * check, with the service's own rules.
 */
export const DetectionConfigSchema = Type.Object(
  {
    bucketMs: Type.Integer({ minimum: 1000, default: 60_000, description: 'width of one time bucket' }),
    shortWindowMs: Type.Integer({ minimum: 1000, default: 300_000, description: 'window compared against the baseline' }),
    allowedLatenessMs: Type.Integer({ minimum: 0, default: 120_000, description: 'how late (event time) a mention may arrive and still count' }),
    utcOffsetMinutes: Type.Integer({ minimum: -840, maximum: 840, default: 0, description: 'time zone of the daily rhythm' }),
    learningMs: Type.Integer({ minimum: 0, default: 3 * 3_600_000, description: 'history a key needs before it may alert' }),
    levelHalfLifeMs: Type.Integer({ minimum: 60_000, default: 24 * 3_600_000, description: 'how fast the baseline follows slow growth' }),
    seasonHalfLifeDays: Type.Number({ exclusiveMinimum: 0, default: 7, description: 'memory of the hour-of-day profile' }),
    baselineClipSigma: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'winsorising of counts fed to the baseline, calm key' }),
    baselineClipSigmaElevated: Type.Number({ exclusiveMinimum: 0, default: 0.5, description: 'winsorising while elevated or in an episode, so the storm is not learned' }),
    baselineUnseenUncertainty: Type.Number({ minimum: 0, default: 0.5, description: 'relative error of the baseline for an hour of the day not seen yet' }),
    baselineMinUncertainty: Type.Number({ minimum: 0, default: 0.1, description: 'relative error the baseline always keeps' }),
    scoreScaleLog10: Type.Number({ exclusiveMinimum: 0, default: 8, description: 'anomaly score 1 at p-value 10^-scale' }),
    minMentions: Type.Integer({ minimum: 1, default: 6, description: 'mentions above the usual in the short window before any episode but drizzle: the floor scales with the key\'s usual volume' }),
    minAuthors: Type.Integer({ minimum: 1, default: 6, description: 'absolute floor of distinct authors in the short window' }),
    rateEnterScore: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
    rateExitScore: Type.Number({ minimum: 0, maximum: 1, default: 0.25 }),
    minRateRatio: Type.Number({ minimum: 1, default: 2, description: 'a storm must also be this many times the usual volume' }),
    surgeMinRateRatio: Type.Number({ minimum: 1, default: 3, description: 'a non-negative surge must be this many times the usual volume' }),
    stormMinNegativeShare: Type.Number({ minimum: 0, maximum: 1, default: 0.4 }),
    stormMinNegativeShift: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'lower bound of the negative share above the usual share' }),
    stormMinAlarmShift: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'lower bound of the harm/alarm share above the usual share: a spike with it is a storm whatever its valence' }),
    drizzleHalfLifeMs: Type.Integer({ minimum: 60_000, default: 30 * 60_000, description: 'memory of the slow negative-share window' }),
    drizzleMinMentions: Type.Number({ minimum: 1, default: 12, description: 'effective mentions in the slow window' }),
    drizzleMinNegativeShare: Type.Number({ minimum: 0, maximum: 1, default: 0.45 }),
    drizzleMinNegativeShift: Type.Number({ minimum: 0, maximum: 1, default: 0.12 }),
    enterBuckets: Type.Integer({ minimum: 1, default: 2, description: 'consecutive buckets a storm or surge must hold before it starts' }),
    drizzleEnterBuckets: Type.Integer({ minimum: 1, default: 10 }),
    exitBuckets: Type.Integer({ minimum: 1, default: 10, description: 'consecutive quiet buckets before an episode ends' }),
    exitQuietFraction: Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'an episode ends after exitBuckets quiet buckets, or (when longer) this fraction of how long it had lasted when the calm began, at most cooldownMs: a long incident\'s lull is not its end' }),
    minDwellMs: Type.Integer({ minimum: 0, default: 15 * 60_000, description: 'an episode lasts at least this long' }),
    cooldownMs: Type.Integer({ minimum: 0, default: 30 * 60_000, description: 'after an end, no new episode of the same level for this long' }),
    escalateSeverityStep: Type.Integer({ minimum: 1, maximum: 100, default: 15 }),
    subsideSeverityFraction: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.6 }),
    coordinationMaxAuthorShare: Type.Number({ minimum: 0, maximum: 1, default: 0.15, description: 'new distinct authors per extra mention at or below which a burst looks coordinated' }),
    coordinationMinNoAudienceShare: Type.Number({ minimum: 0, maximum: 1, default: 0.8, description: 'share of a burst\'s mentions from accounts with no audience (fewer than 10 followers) at or above which it looks coordinated; judged only when most mentions carry follower counts' }),
    amplificationMaxTextShare: Type.Number({ minimum: 0, maximum: 1, default: 0.15, description: 'new distinct texts per extra mention at or below which a burst from many accounts is called amplification (retweets, quotes)' }),
    idleEvictMs: Type.Integer({ minimum: 60_000, default: 7 * 24 * 3_600_000, description: 'keys with no mention for this long are forgotten' }),
    maxKeys: Type.Integer({
      minimum: 1,
      default: 500_000,
      description: 'keys kept at most (about 2 KB each: 1 GB); past it the least recently seen keys outside an episode are forgotten, and a new key is refused (key_limit) when every key is in an episode',
    }),
    maxSamples: Type.Integer({ minimum: 0, maximum: 20, default: 5 }),
    maxTerms: Type.Integer({ minimum: 0, maximum: 50, default: 8 }),
  },
  { additionalProperties: false },
);
export type DetectionConfig = Static<typeof DetectionConfigSchema>;

/** Cross-field rules the schema cannot say; returns every problem, empty when fine. */
export function detectionConfigProblems(c: DetectionConfig): string[] {
  const problems: string[] = [];
  if (c.shortWindowMs % c.bucketMs !== 0) problems.push('detection.shortWindowMs must be a multiple of detection.bucketMs');
  if (c.shortWindowMs < c.bucketMs) problems.push('detection.shortWindowMs must be at least detection.bucketMs');
  if (c.rateExitScore > c.rateEnterScore) problems.push('detection.rateExitScore must not exceed detection.rateEnterScore');
  if (c.learningMs > c.idleEvictMs) problems.push('detection.learningMs must not exceed detection.idleEvictMs');
  if (c.shortWindowMs / c.bucketMs > 120) problems.push('detection.shortWindowMs / bucketMs must be at most 120 buckets');
  return problems;
}
