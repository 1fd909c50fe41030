import { Type, type Static } from '@sinclair/typebox';
import type { ClassificationEvent } from '../../events/classification.js';
import type { DetectionConfig } from '../config.js';

/**
 * Per-brand sensitivity: a preset and overrides of the classifier's floors, thresholds and
 * cooldowns, by key pattern; and a calendar of expected events (a launch), whose surges are
 * marked `expected`. Windows, buckets, lateness and baselines stay the same for every key.
 */
export const presets = ['conservative', 'balanced', 'sensitive'] as const;
export type Preset = (typeof presets)[number];

/** Settings a key's policy may change: the classifier's, not the windows' or baselines'. */
const OverridesSchema = Type.Object(
  {
    minMentions: Type.Optional(Type.Integer({ minimum: 1 })),
    minAuthors: Type.Optional(Type.Integer({ minimum: 1 })),
    rateEnterScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    rateExitScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    minRateRatio: Type.Optional(Type.Number({ minimum: 1 })),
    surgeMinRateRatio: Type.Optional(Type.Number({ minimum: 1 })),
    stormMinNegativeShift: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    stormMinAlarmShift: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    enterBuckets: Type.Optional(Type.Integer({ minimum: 1 })),
    exitBuckets: Type.Optional(Type.Integer({ minimum: 1 })),
    cooldownMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type PolicyOverrides = Static<typeof OverridesSchema>;

const KeyPattern = Type.String({ minLength: 1, maxLength: 256, description: 'a key, or a pattern with * for any run of characters (acme-*)' });

export const PoliciesConfigSchema = Type.Object(
  {
    preset: Type.Union(
      presets.map((p) => Type.Literal(p)),
      { default: 'balanced', description: 'sensitivity of every key no rule matches' },
    ),
    keys: Type.Array(
      Type.Object(
        {
          match: KeyPattern,
          preset: Type.Optional(Type.Union(presets.map((p) => Type.Literal(p)))),
          overrides: Type.Optional(OverridesSchema),
        },
        { additionalProperties: false },
      ),
      { default: [], maxItems: 1000, description: 'per-key rules, the first that matches a key wins (set them in the STORMWATCH_CONFIG file)' },
    ),
    expected: Type.Array(
      Type.Object(
        {
          match: KeyPattern,
          from: Type.String({ format: 'date-time', description: 'start, ISO 8601 with a zone' }),
          to: Type.String({ format: 'date-time', description: 'end, ISO 8601 with a zone' }),
          levels: Type.Array(Type.Union([Type.Literal('surge'), Type.Literal('drizzle')]), { minItems: 1, default: ['surge'], description: 'levels marked expected; a storm is never muted' }),
          note: Type.String({ maxLength: 500, default: '', description: 'what is planned (shown with the event)' }),
        },
        { additionalProperties: false },
      ),
      { default: [], maxItems: 1000, description: 'planned events (a launch, a campaign): their surges are marked expected (set them in the STORMWATCH_CONFIG file)' },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type PoliciesConfig = Static<typeof PoliciesConfigSchema>;

/**
 * A preset relative to the service's detection settings: `sensitive` halves the floors, lowers
 * the score and ratio a spike needs and enters a bucket sooner; `conservative` doubles the floors,
 * raises them and waits a bucket longer. `balanced` is the settings as they are.
 */
export function presetConfig(base: DetectionConfig, preset: Preset): DetectionConfig {
  switch (preset) {
    case 'balanced':
      return base;
    case 'sensitive':
      return {
        ...base,
        minMentions: Math.max(1, Math.round(base.minMentions / 2)),
        minAuthors: Math.max(2, Math.round(base.minAuthors / 2)),
        rateEnterScore: base.rateEnterScore * 0.8,
        rateExitScore: Math.min(base.rateExitScore, base.rateEnterScore * 0.8),
        minRateRatio: Math.max(1, base.minRateRatio * 0.75),
        surgeMinRateRatio: Math.max(1, base.surgeMinRateRatio * 0.75),
        stormMinNegativeShift: base.stormMinNegativeShift * 0.7,
        stormMinAlarmShift: base.stormMinAlarmShift * 0.7,
        enterBuckets: Math.max(1, base.enterBuckets - 1),
      };
    case 'conservative':
      return {
        ...base,
        minMentions: base.minMentions * 2,
        minAuthors: base.minAuthors * 2,
        rateEnterScore: Math.min(1, base.rateEnterScore * 1.2),
        minRateRatio: base.minRateRatio * 1.5,
        surgeMinRateRatio: base.surgeMinRateRatio * 1.5,
        stormMinNegativeShift: Math.min(1, base.stormMinNegativeShift * 1.5),
        stormMinAlarmShift: Math.min(1, base.stormMinAlarmShift * 1.5),
        enterBuckets: base.enterBuckets + 1,
      };
  }
}

/** A key pattern as a regular expression: `*` is any run of characters, everything else literal. */
function patternOf(match: string): RegExp {
  return new RegExp(`^${match.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** What the engine asks per key: its detection settings under the policy. */
export type KeyPolicy = (key: string) => DetectionConfig;

/**
 * The policy of every key: the first matching rule's preset (else the default preset) with the
 * rule's overrides on top; the exit score never above the enter score. One settings object per
 * rule, shared by its keys.
 */
export function keyPolicy(base: DetectionConfig, policies: PoliciesConfig): KeyPolicy {
  const fallback = presetConfig(base, policies.preset);
  const rules = policies.keys.map((rule) => {
    const config = { ...presetConfig(base, rule.preset ?? policies.preset), ...rule.overrides };
    config.rateExitScore = Math.min(config.rateExitScore, config.rateEnterScore);
    return { pattern: patternOf(rule.match), config };
  });
  return (key) => {
    for (const rule of rules) if (rule.pattern.test(key)) return rule.config;
    return fallback;
  };
}

/** An event's planned-event marker, if the calendar expects its key and level at its time. */
export interface ExpectedMark {
  readonly note: string;
  readonly from: string;
  readonly to: string;
}

/** The calendar as a lookup: events of an expected level, key and time are marked; storms never. */
export function expectedEvents(policies: PoliciesConfig): (event: Pick<ClassificationEvent, 'key' | 'level' | 'at'>) => ExpectedMark | undefined {
  const windows = policies.expected.map((w) => ({ pattern: patternOf(w.match), fromMs: Date.parse(w.from), toMs: Date.parse(w.to), levels: new Set<string>(w.levels), mark: { note: w.note, from: w.from, to: w.to } }));
  return (event) => {
    if (event.level === 'storm') return undefined;
    const atMs = Date.parse(event.at);
    for (const w of windows) if (w.levels.has(event.level) && atMs >= w.fromMs && atMs <= w.toMs && w.pattern.test(event.key)) return w.mark;
    return undefined;
  };
}
