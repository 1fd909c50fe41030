import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Configuration of the mention simulator. One TypeBox schema gives the defaults, the runtime check
 * and the TypeScript type. Config is strict (unknown keys are errors); units are in the names.
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const incidentKinds = ['storm', 'drizzle', 'surge', 'bot_burst'] as const;
export type IncidentKind = (typeof incidentKinds)[number];

export const sectors = ['airline', 'bank', 'telecom', 'cloud', 'food', 'phones', 'generic'] as const;
export type Sector = (typeof sectors)[number];

export const timestampFormats = ['iso', 'epochMs', 'mixed'] as const;
export type TimestampFormat = (typeof timestampFormats)[number];

export const BrandSchema = Type.Object(
  {
    /** The mention key (Kafka message key): a brand or topic slug such as `acme-air`. */
    key: Type.String({ minLength: 1, maxLength: 256 }),
    /** Mean background mentions per minute over a day (the daily rhythm averages to 1). */
    baseRatePerMinute: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    /** Vocabulary family for products and crisis topics; guessed from the key when absent. */
    sector: Type.Optional(Type.Union(sectors.map((s) => Type.Literal(s)))),
    /** Human name used in texts; derived from the key when absent (`acme-air` → `Acme Air`). */
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type BrandConfig = Static<typeof BrandSchema>;

export const IncidentSchema = Type.Object(
  {
    kind: Type.Union(incidentKinds.map((k) => Type.Literal(k))),
    /** The brand key the incident happens to; must be one of `brands[].key`. */
    key: Type.String({ minLength: 1, maxLength: 256 }),
    /** Start, in event time, relative to `startMs`; must be at least `warmupMs`. */
    startOffsetMs: Type.Integer({ minimum: 0 }),
    durationMs: Type.Integer({ minimum: MINUTE_MS, maximum: 7 * 24 * HOUR_MS }),
    /**
     * 0..1 within the kind's range. Peak volume multiplier: storm 5..15x, surge 5..10x,
     * drizzle 1.1..1.3x (negative share 50..70 %), bot_burst 3..8x of the brand's usual rate.
     */
    intensity: Type.Number({ minimum: 0, maximum: 1 }),
    /** Crisis topic for a storm (`outage`, `data_breach`, `flights_cancelled`, `refund`, …) or theme of a surge (`launch`, `funny_ad`); picked from the sector when absent. */
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type IncidentConfig = Static<typeof IncidentSchema>;

export const defaultBrands: readonly BrandConfig[] = [
  { key: 'acme-air', baseRatePerMinute: 40, sector: 'airline' },
  { key: 'northwind-bank', baseRatePerMinute: 25, sector: 'bank' },
  { key: 'globex-telecom', baseRatePerMinute: 20, sector: 'telecom' },
  { key: 'hooli-phones', baseRatePerMinute: 30, sector: 'phones' },
  { key: 'initech-cloud', baseRatePerMinute: 10, sector: 'cloud' },
  { key: 'umbrella-foods', baseRatePerMinute: 6, sector: 'food' },
];

/** Default start of event time: Monday 2025-03-03 06:00 UTC, so the first storm lands at noon. */
export const DEFAULT_START_MS = Date.UTC(2025, 2, 3, 6, 0, 0);
export const DEFAULT_WARMUP_MS = 6 * HOUR_MS;

/**
 * The default schedule, relative to the end of the warm-up: a storm first, then the other kinds,
 * all within ~7.5 h after the warm-up (a 12-14 h event-time run covers them).
 */
export function defaultIncidents(warmupMs: number = DEFAULT_WARMUP_MS): IncidentConfig[] {
  const at = (minutes: number): number => warmupMs + minutes * MINUTE_MS;
  return [
    { kind: 'storm', key: 'acme-air', startOffsetMs: at(0), durationMs: 90 * MINUTE_MS, intensity: 0.5, topic: 'flights_cancelled' },
    { kind: 'drizzle', key: 'northwind-bank', startOffsetMs: at(30), durationMs: 4 * HOUR_MS, intensity: 0.5 },
    { kind: 'surge', key: 'hooli-phones', startOffsetMs: at(120), durationMs: 60 * MINUTE_MS, intensity: 0.5, topic: 'launch' },
    { kind: 'bot_burst', key: 'globex-telecom', startOffsetMs: at(180), durationMs: 30 * MINUTE_MS, intensity: 0.5 },
    { kind: 'storm', key: 'initech-cloud', startOffsetMs: at(240), durationMs: 120 * MINUTE_MS, intensity: 0.7, topic: 'outage' },
    { kind: 'storm', key: 'umbrella-foods', startOffsetMs: at(390), durationMs: 75 * MINUTE_MS, intensity: 0.6, topic: 'recall' },
  ];
}

export const defaultLanguages: Readonly<Record<string, number>> = { en: 0.7, nl: 0.12, de: 0.1, fr: 0.05, es: 0.03 };
export const defaultPlatforms: Readonly<Record<string, number>> = {
  x: 0.42,
  instagram: 0.14,
  facebook: 0.12,
  reddit: 0.1,
  tiktok: 0.09,
  mastodon: 0.06,
  forum: 0.07,
};

export const SimulatorConfigSchema = Type.Object(
  {
    /** Same seed, same stream. */
    seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 42 }),
    /** Event time of the start of the stream, epoch ms. */
    startMs: Type.Integer({ minimum: Date.UTC(2000, 0, 1), maximum: Date.UTC(2099, 0, 1), default: DEFAULT_START_MS }),
    /** Event time at which the stream ends (exclusive), epoch ms; absent = endless. */
    endMs: Type.Optional(Type.Integer({ minimum: Date.UTC(2000, 0, 1), maximum: Date.UTC(2100, 0, 1) })),
    brands: Type.Array(BrandSchema, { minItems: 1, maxItems: 1_000_000, default: defaultBrands }),
    /** Relative weights of `lang` tags; texts exist for en, nl, de, fr, es. Default `defaultLanguages`. */
    languages: Type.Record(Type.String({ minLength: 2, maxLength: 35 }), Type.Number({ minimum: 0 })),
    /** Relative weights of platforms. Default `defaultPlatforms`. */
    platforms: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Number({ minimum: 0 })),
    /** No incident starts before this much event time has passed (baselines learn first). */
    warmupMs: Type.Integer({ minimum: 0, default: DEFAULT_WARMUP_MS }),
    /** Defaults to `defaultIncidents(warmupMs)`; `[]` for background only. */
    incidents: Type.Array(IncidentSchema, { maxItems: 100_000 }),
    /** Daily rhythm: quiet nights, a daytime plateau and an evening peak. Off = flat rate. */
    dailyRhythm: Type.Boolean({ default: true }),
    /** Local time of the audience for the rhythm, minutes east of UTC. */
    utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, default: 60 }),
    /** Slow organic growth of every brand's rate: 0.02 = +2 % per day (compounded). */
    growthPerDay: Type.Number({ minimum: -0.5, maximum: 10, default: 0 }),
    /** Share of background mentions that are mild complaints. */
    negativeShare: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
    /** How `ts` is written: ISO 8601 strings, epoch ms numbers, or a mix of both. */
    timestampFormat: Type.Union(timestampFormats.map((f) => Type.Literal(f)), { default: 'iso' }),
  },
  { additionalProperties: false },
);

/** The resolved configuration (every default applied). */
export type SimulatorConfig = Static<typeof SimulatorConfigSchema>;
/** What callers pass: any top-level field may be left out. */
export type SimulatorConfigInput = Partial<SimulatorConfig>;

/** Thrown by `resolveSimulatorConfig`; lists every problem, not only the first. */
export class SimulatorConfigError extends Error {
  readonly code = 'SW_ERR_SIMULATOR_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid simulator config:\n  ${problems.join('\n  ')}`);
    this.name = 'SimulatorConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Applies defaults, checks the schema and cross-field rules, and returns a deep-frozen copy. */
export function resolveSimulatorConfig(input: SimulatorConfigInput = {}): SimulatorConfig {
  const candidate = Value.Clone(input) as Record<string, unknown>;
  const warmup = typeof candidate.warmupMs === 'number' ? candidate.warmupMs : DEFAULT_WARMUP_MS;
  // Filled here rather than by schema defaults: Value.Default would merge default entries into a
  // given record (a configured { en: 1 } would keep de, fr, … from the defaults).
  if (candidate.incidents === undefined) candidate.incidents = defaultIncidents(warmup);
  if (candidate.languages === undefined) candidate.languages = { ...defaultLanguages };
  if (candidate.platforms === undefined) candidate.platforms = { ...defaultPlatforms };
  const withDefaults = Value.Default(SimulatorConfigSchema, candidate);
  const problems = [...Value.Errors(SimulatorConfigSchema, withDefaults)].map(
    (e) => `${e.path === '' ? '(root)' : e.path}: ${e.message}`,
  );
  if (problems.length > 0) throw new SimulatorConfigError(problems);
  const config = withDefaults as SimulatorConfig;

  const keys = new Set<string>();
  for (const brand of config.brands) {
    if (keys.has(brand.key)) problems.push(`/brands: duplicate key ${brand.key}`);
    keys.add(brand.key);
  }
  config.incidents.forEach((incident, i) => {
    if (!keys.has(incident.key)) problems.push(`/incidents/${i}/key: ${incident.key} is not one of brands[].key`);
    if (incident.startOffsetMs < config.warmupMs) {
      problems.push(`/incidents/${i}/startOffsetMs: ${incident.startOffsetMs} starts inside the warm-up (warmupMs ${config.warmupMs})`);
    }
  });
  if (!Object.values(config.languages).some((w) => w > 0)) problems.push('/languages: needs a positive weight');
  if (!Object.values(config.platforms).some((w) => w > 0)) problems.push('/platforms: needs a positive weight');
  if (config.endMs !== undefined && config.endMs <= config.startMs) problems.push('/endMs: must be after startMs');
  if (problems.length > 0) throw new SimulatorConfigError(problems);
  return deepFreeze(config);
}
