import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';

/** Bumped on any change a consumer could notice; additive fields keep the major number. */
export const SCHEMA_VERSION = '1.1.0';

export const levels = ['storm', 'drizzle', 'surge'] as const;
export type Level = (typeof levels)[number];

export const classificationTypes = [
  'storm.started',
  'storm.escalated',
  'storm.subsided',
  'storm.ended',
  'drizzle.started',
  'drizzle.ended',
  'surge.started',
  'surge.ended',
  // Published by the service, not the detector, when a person acknowledges an open episode.
  'storm.acknowledged',
  'drizzle.acknowledged',
  'surge.acknowledged',
] as const;
export type ClassificationType = (typeof classificationTypes)[number];

// TypeBox checks formats only when they are registered.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));

const Iso = Type.String({ format: 'date-time', description: 'ISO 8601 UTC timestamp' });
const Share = Type.Number({ minimum: 0, maximum: 1 });

export const EvidenceSchema = Type.Object({
  windowMs: Type.Integer({ description: 'length of the short window the figures describe' }),
  mentions: Type.Integer({ minimum: 0 }),
  usualMentions: Type.Number({ minimum: 0, description: 'expected mentions in the window for this key, weekday and hour' }),
  rateRatio: Type.Number({ minimum: 0 }),
  engagement: Type.Number({ minimum: 0, description: 'engagement-weighted volume in the window' }),
  usualEngagement: Type.Number({ minimum: 0 }),
  engagementRatio: Type.Number({ minimum: 0 }),
  anomalyScore: Share,
  negativeShare: Share,
  negativeShareLow: Share,
  negativeShareHigh: Share,
  usualNegativeShare: Share,
  negativeIntensity: Share,
  authors: Type.Integer({ minimum: 0, description: 'distinct authors in the window (estimate)' }),
  coordination: Type.Object({
    suspected: Type.Boolean(),
    authorShare: Type.Number({ minimum: 0, maximum: 1, description: 'distinct authors per mention in the window' }),
    distinctTextShare: Share,
    reason: Type.Optional(Type.String()),
  }),
});
export type Evidence = Static<typeof EvidenceSchema>;

export const DriversSchema = Type.Object({
  terms: Type.Array(Type.Object({ term: Type.String(), count: Type.Number(), lift: Type.Number() })),
  hashtags: Type.Array(Type.Object({ term: Type.String(), count: Type.Number(), lift: Type.Number() })),
  samples: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String({ maxLength: 281 }),
      authorId: Type.Optional(Type.String()),
      reach: Type.Number(),
      sentiment: Type.Number(),
      url: Type.Optional(Type.String()),
    }),
  ),
  authors: Type.Array(Type.Object({ id: Type.String(), mentions: Type.Number(), followers: Type.Number() })),
});
export type Drivers = Static<typeof DriversSchema>;

export const PostMortemSchema = Type.Object({
  startedAt: Iso,
  endedAt: Iso,
  durationMs: Type.Integer({ minimum: 0 }),
  onsetAt: Iso,
  timeToDetectMs: Type.Integer({ minimum: 0, description: 'from the first anomalous bucket to the started event' }),
  peakMentionsPerMinute: Type.Number({ minimum: 0 }),
  peakRateRatio: Type.Number({ minimum: 0 }),
  peakSeverity: Type.Integer({ minimum: 0, maximum: 100 }),
  totalMentions: Type.Integer({ minimum: 0 }),
  negativeMentions: Type.Integer({ minimum: 0 }),
  escalations: Type.Integer({ minimum: 0 }),
  sentimentCourse: Type.Array(Type.Object({ at: Iso, mentions: Type.Integer({ minimum: 0 }), negativeShare: Share })),
  timeToAcknowledgeMs: Type.Optional(Type.Integer({ minimum: 0, description: 'wall-clock time from the started event being sent to the first acknowledgement; absent when nobody acknowledged' })),
});
export type PostMortem = Static<typeof PostMortemSchema>;

export const AcknowledgementSchema = Type.Object({
  by: Type.String({ minLength: 1, maxLength: 100, description: 'who acknowledged (as they gave it)' }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  at: { ...Iso, description: 'wall-clock time of the acknowledgement (ISO 8601 UTC)' },
  timeToAcknowledgeMs: Type.Optional(Type.Integer({ minimum: 0, description: "wall-clock time from the episode's started event being sent to the acknowledgement" })),
});
export type Acknowledgement = Static<typeof AcknowledgementSchema>;

export const ClassificationEventSchema = Type.Object(
  {
    id: Type.String({ description: 'deterministic: episodeId + sequence; duplicates of one id are the same event' }),
    type: Type.Union(classificationTypes.map((t) => Type.Literal(t))),
    key: Type.String(),
    episodeId: Type.String(),
    sequence: Type.Integer({ minimum: 1, description: 'position of this event within its episode' }),
    at: Iso,
    emittedAt: Iso,
    schemaVersion: Type.Literal(SCHEMA_VERSION),
    level: Type.Union(levels.map((l) => Type.Literal(l))),
    severity: Type.Integer({ minimum: 0, maximum: 100 }),
    evidence: EvidenceSchema,
    drivers: Type.Optional(DriversSchema),
    explanation: Type.String(),
    playbook: Type.Array(Type.String()),
    postMortem: Type.Optional(PostMortemSchema),
    acknowledgement: Type.Optional({ ...AcknowledgementSchema, description: "the episode's first acknowledgement: on the acknowledged event and on every later event of the episode, its end included" }),
  },
  { additionalProperties: false },
);
export type ClassificationEvent = Static<typeof ClassificationEventSchema>;

const checker = TypeCompiler.Compile(ClassificationEventSchema);

/** Lists what is wrong with a classification event; empty when it matches the schema. */
export function classificationEventErrors(value: unknown): string[] {
  return [...checker.Errors(value)].map((e) => `${e.path || '(root)'}: ${e.message}`);
}
