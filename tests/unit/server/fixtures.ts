import type { ClassificationEvent, ClassificationType } from '../../../src/events/classification.js';
import { SCHEMA_VERSION } from '../../../src/events/classification.js';

/** A schema-valid classification event for tests of the sinks and the server. */
export function fakeEvent(type: ClassificationType, overrides: Partial<ClassificationEvent> = {}): ClassificationEvent {
  const level = type.split('.')[0] as ClassificationEvent['level'];
  const episodeId = overrides.episodeId ?? `${level}-0000000000000001`;
  const sequence = overrides.sequence ?? 1;
  return {
    id: `${episodeId}-${sequence}`,
    type,
    key: 'acme-air',
    episodeId,
    sequence,
    at: '2025-03-03T12:08:00.000Z',
    emittedAt: '2025-03-03T12:08:00.000Z',
    schemaVersion: SCHEMA_VERSION,
    level,
    severity: 60,
    evidence: {
      windowMs: 300_000,
      mentions: 500,
      usualMentions: 50,
      rateRatio: 10,
      engagement: 900,
      usualEngagement: 90,
      engagementRatio: 10,
      anomalyScore: 1,
      negativeShare: 0.8,
      negativeShareLow: 0.75,
      negativeShareHigh: 0.85,
      usualNegativeShare: 0.2,
      negativeIntensity: 0.6,
      authors: 300,
      coordination: { suspected: false, authorShare: 0.6, distinctTextShare: 0.9 },
    },
    explanation: 'test event',
    playbook: ['acknowledge publicly'],
    ...overrides,
  };
}
