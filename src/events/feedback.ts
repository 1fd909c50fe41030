import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { levels } from './classification.js';

/** A person's verdict on an episode: was the alert right? */
export const verdicts = ['confirmed', 'false_alarm', 'wrong_level'] as const;
export type Verdict = (typeof verdicts)[number];

const Iso = Type.String({ format: 'date-time', description: 'ISO 8601 UTC timestamp' });

/** One feedback record: the value of every record of the feedback topic and every line of the feedback file. */
export const FeedbackSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, description: 'random, unique per feedback' }),
    episodeId: Type.String({ minLength: 1, maxLength: 200 }),
    key: Type.String({ minLength: 1 }),
    level: Type.Union(levels.map((l) => Type.Literal(l)), { description: 'the level the episode was announced at' }),
    verdict: Type.Union(verdicts.map((v) => Type.Literal(v))),
    by: Type.String({ minLength: 1, maxLength: 100 }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    at: { ...Iso, description: 'wall-clock time the feedback was given' },
    peakSeverity: Type.Integer({ minimum: 0, maximum: 100, description: "the episode's peak severity when the feedback was given" }),
  },
  { additionalProperties: false },
);
export type Feedback = Static<typeof FeedbackSchema>;

const checker = TypeCompiler.Compile(FeedbackSchema);

export function isFeedback(value: unknown): value is Feedback {
  return checker.Check(value);
}
