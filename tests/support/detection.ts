import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, type DetectionConfig } from '../../src/detect/config.js';
import { deriveParams, type DetectionParams } from '../../src/detect/params.js';
import type { SentimentScorer } from '../../src/detect/sentiment/types.js';

/** The detection defaults with some settings changed, with their derived constants. */
export function detectionConfig(overrides: Partial<DetectionConfig> = {}): DetectionParams {
  return deriveParams({ ...(Value.Default(DetectionConfigSchema, {}) as DetectionConfig), ...overrides });
}

/** Negative when the text says "bad", positive when "good": for tests of the engine's logic, not the scorer's. */
export const keywordScorer: SentimentScorer = {
  score: (text) =>
    text.includes('bad')
      ? { score: -0.6, label: 'negative', negativeIntensity: 0.6 }
      : text.includes('good')
        ? { score: 0.5, label: 'positive', negativeIntensity: 0 }
        : { score: 0, label: 'neutral', negativeIntensity: 0 },
};
