/**
 * The service's rate detector over one volume series (one count per fixed step), turned into a
 * NAB anomaly score per row. Causal: row i's score is computed from rows 0..i only, and the
 * model learns row i after scoring it, exactly as the engine closes a bucket.
 */
import { readFileSync, existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, detectionConfigProblems, type DetectionConfig } from '../../src/detect/config.js';
import { deriveParams } from '../../src/detect/params.js';
import { emptyRateAssessment, RateModel } from '../../src/detect/rate/rate-model.js';
import { AlertOnset } from './onset.js';

/**
 * The service's detection defaults (config/default.json's `detection` section when present,
 * else the schema's defaults), re-bucketed to the series' step: bucketMs = step, shortWindowMs
 * = the default window rounded to whole steps (at least one).
 */
export function detectionConfigForStep(stepMs: number, defaultsPath?: string): DetectionConfig {
  let base = Value.Default(DetectionConfigSchema, {}) as DetectionConfig;
  if (defaultsPath !== undefined && existsSync(defaultsPath)) {
    const file = JSON.parse(readFileSync(defaultsPath, 'utf8')) as { detection?: Partial<DetectionConfig> };
    base = Value.Default(DetectionConfigSchema, { ...(file.detection ?? {}) }) as DetectionConfig;
  }
  const windows = Math.max(1, Math.round(base.shortWindowMs / stepMs));
  const config: DetectionConfig = { ...base, bucketMs: stepMs, shortWindowMs: windows * stepMs };
  const problems = detectionConfigProblems(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return config;
}

/** The series' step: the most common gap between consecutive timestamps. */
export function stepOf(timesMs: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < timesMs.length; i++) {
    const d = timesMs[i]! - timesMs[i - 1]!;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [d, n] of counts) if (n > bestCount) (best = d), (bestCount = n);
  return best;
}

export interface SeriesScores {
  /** NAB anomaly score per row: the alert's strength at its onset, 0 elsewhere. */
  readonly anomaly: Float64Array;
  /** The rate model's raw score per row (for analysis). */
  readonly raw: Float64Array;
}

/** Runs the rate model (with the given detection config) over a series. */
export function scoreSeries(timesMs: ArrayLike<number>, values: ArrayLike<number>, config: DetectionConfig, onsetMemoryMs?: number): SeriesScores {
  const c = deriveParams(config);
  const model = new RateModel();
  const onset = new AlertOnset(c, onsetMemoryMs);
  const a = emptyRateAssessment();
  const n = values.length;
  const anomaly = new Float64Array(n);
  const raw = new Float64Array(n);
  const W = c.windowBuckets;
  const ring = new Float64Array(W);
  const ringBucket = new Float64Array(W).fill(Number.NaN);
  const audience = { authors: Number.NaN, texts: Number.NaN };
  let lastBucket = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const bucket = Math.floor(timesMs[i]! / c.bucketMs);
    if (bucket <= lastBucket) throw new Error(`row ${i}: bucket does not advance`);
    lastBucket = bucket;
    const count = Math.max(0, values[i]!);
    ring[bucket % W] = count;
    ringBucket[bucket % W] = bucket;
    let sum = 0;
    for (let k = 0; k < W; k++) if (ringBucket[k]! > bucket - W) sum += ring[k]!;
    // Volume only: the series has no engagement, so the weight is the count itself.
    model.assess(sum, sum, bucket - W + 1, bucket, c, a);
    raw[i] = a.score;
    anomaly[i] = onset.step(a);
    model.learn(bucket, count, count, a, audience, onset.elevated(a), c);
  }
  return { anomaly, raw };
}
