import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';

/** Bumped on any change a consumer could notice; additive fields keep the major number. */
export const SCHEMA_VERSION = '1.3.0';

export const levels = ['storm', 'drizzle', 'surge'] as const;
export type Level = (typeof levels)[number];

export const classificationTypes = [
  'storm.started',
  // A surge or drizzle that turned into a storm: the same incident (same episodeId), now worse.
  'storm.level_changed',
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
  negativeShare: { ...Share, description: 'share of the read mentions (readMentions) that are negative' },
  negativeShareLow: Share,
  negativeShareHigh: Share,
  usualNegativeShare: Share,
  negativeIntensity: Share,
  alarmShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share of the read mentions in the window with harm/alarm or sympathy terms (set by 1.1.0 and later)' })),
  readMentions: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'mentions of the window in a script the scorers read; the negative and alarm shares are of these, the others (Cyrillic, Greek, Arabic, CJK, ...) count towards volume only (set by 1.3.0 and later)',
    }),
  ),
  usualAlarmShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "this key's usual alarm share" })),
  authors: Type.Integer({ minimum: 0, description: 'distinct authors in the window (estimate)' }),
  coordination: Type.Object({
    suspected: Type.Boolean({ description: 'few accounts carry the extra volume (judged by accounts, not by repeated text)' }),
    authorShare: Type.Number({ minimum: 0, maximum: 1, description: 'new distinct authors per extra mention' }),
    distinctTextShare: Type.Number({ minimum: 0, maximum: 1, description: 'new distinct texts per extra mention' }),
    noAudienceShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share of the burst from accounts with fewer than 10 followers; only when most mentions carry follower counts (set by 1.2.0 and later)' })),
    reason: Type.Optional(Type.String()),
  }),
  amplification: Type.Optional(
    Type.Object(
      {
        detected: Type.Boolean({ description: 'many distinct accounts repeat a few texts (retweets, quotes, copy-paste): reach and speed, not coordination' }),
        reason: Type.Optional(Type.String()),
      },
      { description: 'set by 1.1.0 and later' },
    ),
  ),
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
  readMentions: Type.Optional(Type.Integer({ minimum: 0, description: 'mentions in a script the scorers read: negativeMentions and the course\'s negative shares are of these (set by 1.3.0 and later)' })),
  escalations: Type.Integer({ minimum: 0 }),
  openedAs: Type.Optional(Type.Union(levels.map((l) => Type.Literal(l)), { description: 'level the episode started at (set by 1.1.0 and later)' })),
  levelChangedAt: Type.Optional({ ...Iso, description: 'when it became a storm, for an episode that opened as a surge or drizzle' }),
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
    level: Type.Union(levels.map((l) => Type.Literal(l)), { description: "the episode's level at this event; it can rise to storm within an episode" }),
    previousLevel: Type.Optional(Type.Union(levels.map((l) => Type.Literal(l)), { description: 'storm.level_changed only: the level before' })),
    severity: Type.Integer({ minimum: 0, maximum: 100 }),
    evidence: EvidenceSchema,
    drivers: Type.Optional(DriversSchema),
    explanation: Type.String(),
    playbook: Type.Array(Type.String()),
    postMortem: Type.Optional(PostMortemSchema),
    expected: Type.Optional(
      Type.Object(
        {
          note: Type.String({ maxLength: 500 }),
          from: Type.String({ description: 'the planned window (policies.expected), ISO 8601' }),
          to: Type.String(),
        },
        { additionalProperties: false, description: 'a planned event (policies.expected in the config): this surge or drizzle was expected; storms are never marked' },
      ),
    ),
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
