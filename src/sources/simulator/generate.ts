import type { MentionInput } from '../../events/mention.js';
import { manyBrandKeys } from './brands.js';
import { defaultBrands, type IncidentConfig, type IncidentKind, type SimulatorConfigInput } from './config.js';
import { Rng } from './prng.js';
import { createSimulator } from './simulator.js';
import type { SimulatedMention } from './writer.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Every mention with event time before `untilMs`, in order. Synchronous and lazy. */
export function* generateMentions(config: SimulatorConfigInput, untilMs: number): Generator<MentionInput, void, undefined> {
  for (const labelled of generateLabelledMentions(config, untilMs)) yield labelled.mention;
}

/** As `generateMentions`, with the simulator's ground truth for each mention. */
export function* generateLabelledMentions(config: SimulatorConfigInput, untilMs: number): Generator<SimulatedMention, void, undefined> {
  const endMs = config.endMs === undefined ? untilMs : Math.min(config.endMs, untilMs);
  const simulator = createSimulator({ ...config, endMs });
  for (let m = simulator.nextLabelled(); m !== undefined; m = simulator.nextLabelled()) yield m;
}

export interface ManyKeysOptions {
  /** Number of brand keys (the six default brands come first). */
  readonly keys: number;
  readonly seed?: number;
  readonly startMs?: number;
  /** Mean total background mentions per minute over all keys. */
  readonly totalRatePerMinute: number;
  /** Event time the run is meant to cover; incidents are spread over it after the warm-up. */
  readonly spanMs: number;
  /** Popularity skew: key of rank r gets a rate ∝ 1 / r^s. */
  readonly zipfExponent?: number;
  /** How many incidents; default 6 plus one per 500 keys, at most 40. */
  readonly incidents?: number;
}

const incidentPattern: readonly IncidentKind[] = ['storm', 'storm', 'drizzle', 'storm', 'surge', 'storm', 'bot_burst'];
const durationsMs: Readonly<Record<IncidentKind, number>> = {
  storm: 90 * MINUTE_MS,
  drizzle: 3 * HOUR_MS,
  surge: 60 * MINUTE_MS,
  bot_burst: 30 * MINUTE_MS,
};

/**
 * A configuration for large benchmarks: many keys with a Zipf-like popularity, and incidents on
 * popular and mid-ranked keys spread over the span after a warm-up (the lesser of 6 h and a third
 * of the span).
 */
export function manyKeysConfig(options: ManyKeysOptions): SimulatorConfigInput {
  const keys = Math.max(1, Math.floor(options.keys));
  const s = options.zipfExponent ?? 1.1;
  const names = manyBrandKeys(keys, defaultBrands.map((b) => b.key));
  const weights = names.map((_, rank) => 1 / Math.pow(rank + 1, s));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const brands = names.map((key, rank) => ({ key, baseRatePerMinute: (options.totalRatePerMinute * (weights[rank] as number)) / weightSum }));
  const warmupMs = Math.floor(Math.min(6 * HOUR_MS, options.spanMs / 3));
  const count = options.incidents ?? Math.min(40, 6 + Math.floor(keys / 500));
  const rng = new Rng(options.seed ?? 42, 3);
  const window = Math.max(MINUTE_MS, options.spanMs - warmupMs - durationsMs.storm);
  const candidates = Math.min(keys, 300);
  const incidents: IncidentConfig[] = [];
  // Keys whose incident is still running, by end offset, to avoid overlapping incidents on one key.
  const busyUntil = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const kind = incidentPattern[i % incidentPattern.length] as IncidentKind;
    const startOffsetMs = warmupMs + Math.floor((window * i) / count);
    const durationMs = durationsMs[kind];
    let key = names[0] as string;
    for (let attempt = 0; attempt < 20; attempt++) {
      const u = rng.next();
      key = names[Math.floor(candidates * u * u)] as string;
      if ((busyUntil.get(key) ?? 0) <= startOffsetMs) break;
    }
    busyUntil.set(key, startOffsetMs + durationMs);
    incidents.push({ kind, key, startOffsetMs, durationMs, intensity: Math.round(rng.next() * 100) / 100 });
  }
  const config: SimulatorConfigInput = { seed: options.seed ?? 42, brands, warmupMs, incidents };
  if (options.startMs !== undefined) config.startMs = options.startMs;
  return config;
}
