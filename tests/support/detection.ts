import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, type DetectionConfig } from '../../src/detect/config.js';
import { deriveParams, type DetectionParams } from '../../src/detect/params.js';
import type { SentimentScorer } from '../../src/detect/sentiment/types.js';
import { classificationEventErrors, type ClassificationEvent } from '../../src/events/classification.js';

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

/** Fails at once on an emitted event that breaks ClassificationEventSchema (what consumers validate against). */
export function assertValidEvent(event: ClassificationEvent): void {
  assert.deepEqual(classificationEventErrors(event), [], `${event.type} ${event.id} breaks ClassificationEventSchema`);
}

/** An engine listener that checks every event against the schema and keeps it. */
export function collectEvents(events: ClassificationEvent[] = []): { events: ClassificationEvent[]; onEvent: (event: ClassificationEvent) => void } {
  return {
    events,
    onEvent: (event) => {
      assertValidEvent(event);
      events.push(event);
    },
  };
}
