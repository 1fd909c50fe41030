import type { MentionInput } from '../../events/mention.js';
import { brandProfile, type BrandProfile } from './brands.js';
import { resolveSimulatorConfig, type SimulatorConfig, type SimulatorConfigInput } from './config.js';
import { prepareIncident, type IncidentRuntime } from './incident-runtime.js';
import type { ScheduledIncident } from './incidents.js';
import { AliasTable, Rng } from './prng.js';
import { RateShape } from './rhythm.js';
import { MentionWriter, type SimulatedMention } from './writer.js';

/**
 * The mention simulator: a non-homogeneous Poisson process per brand (base rate × daily rhythm ×
 * growth) plus one per scheduled incident, merged by thinning, so mentions come out in event-time
 * order. No I/O and no clock: time starts at `config.startMs` and only moves with the stream.
 * This file decides when a mention happens and whose it is; writer.ts writes it, and
 * incident-runtime.ts prepares each incident's rate, topic and tags.
 */

export interface Simulator extends Iterable<MentionInput> {
  readonly config: SimulatorConfig;
  /** The next mention, or undefined once `config.endMs` is reached (never, without endMs). */
  next(): MentionInput | undefined;
  /** The next mention with its ground truth. */
  nextLabelled(): SimulatedMention | undefined;
  /** Event time (epoch ms) of the mention `next()` will return, so an adapter can wait for it. */
  peekNextTs(): number | undefined;
  /** The incidents with their event-time windows, in config order. */
  scheduledIncidents(): readonly ScheduledIncident[];
  /** Expected mentions per minute for a brand at an event time (background plus incidents). */
  expectedRatePerMinute(key: string, tMs: number): number;
  /**
   * Expected number of mentions over [fromMs, toMs) for one key, or for all keys when `key` is
   * undefined: the rate integrated numerically in `stepMs` steps (midpoint rule).
   */
  expectedMentions(fromMs: number, toMs: number, key?: string, stepMs?: number): number;
  /** Mentions returned so far. */
  readonly emitted: number;
  labelled(): IterableIterator<SimulatedMention>;
}

/** Thinning works in chunks of event time; bounds are recomputed per chunk. */
const CHUNK_MS = 5 * 60_000;

class MentionSimulator implements Simulator {
  readonly config: SimulatorConfig;
  private readonly rng: Rng;
  private readonly shape: RateShape;
  private readonly brands: readonly BrandProfile[];
  private readonly brandByKey = new Map<string, BrandProfile>();
  private readonly brandPicker: AliasTable;
  private readonly totalRatePerMs: number;
  private readonly writer: MentionWriter;
  private readonly incidents: readonly IncidentRuntime[];
  private readonly schedule: readonly ScheduledIncident[];
  private readonly byStart: readonly IncidentRuntime[];

  private t: number;
  private chunkEndMs: number;
  private boundPerMs = 0;
  private nextIncident = 0;
  private active: IncidentRuntime[] = [];
  private pending: SimulatedMention | undefined;
  private done = false;
  emitted = 0;

  constructor(config: SimulatorConfig) {
    this.config = config;
    this.rng = new Rng(config.seed, 1);
    this.shape = new RateShape(config.startMs, config.dailyRhythm, config.utcOffsetMinutes, config.growthPerDay);
    this.brands = config.brands.map((b, i) => brandProfile(b, i));
    for (const brand of this.brands) this.brandByKey.set(brand.key, brand);
    this.brandPicker = new AliasTable(this.brands.map((b) => b.ratePerMs));
    this.totalRatePerMs = this.brands.reduce((sum, b) => sum + b.ratePerMs, 0);
    this.writer = new MentionWriter(config, this.brands, this.rng);
    this.incidents = config.incidents.map((incident, index) => prepareIncident(config, index, this.brandByKey.get(incident.key)!));
    this.schedule = Object.freeze(this.incidents.map((i) => i.scheduled));
    this.byStart = [...this.incidents].sort((a, b) => a.scheduled.startMs - b.scheduled.startMs || a.scheduled.index - b.scheduled.index);
    this.t = config.startMs;
    this.chunkEndMs = config.startMs;
  }

  scheduledIncidents(): readonly ScheduledIncident[] {
    return this.schedule;
  }

  expectedRatePerMinute(key: string, tMs: number): number {
    const brand = this.brandByKey.get(key);
    if (!brand) return 0;
    let perMs = brand.ratePerMs;
    for (const incident of this.incidents) {
      if (incident.brand === brand) perMs += incident.extraPerMs * incident.profile.at(tMs);
    }
    return perMs * this.shape.at(tMs) * 60_000;
  }

  expectedMentions(fromMs: number, toMs: number, key?: string, stepMs = 60_000): number {
    const brand = key === undefined ? undefined : this.brandByKey.get(key);
    if (key !== undefined && brand === undefined) return 0;
    const basePerMs = brand === undefined ? this.totalRatePerMs : brand.ratePerMs;
    const incidents = this.incidents.filter((i) => (brand === undefined || i.brand === brand) && i.scheduled.endMs > fromMs && i.scheduled.startMs < toMs);
    let total = 0;
    for (let a = fromMs; a < toMs; a += stepMs) {
      const width = Math.min(stepMs, toMs - a);
      const mid = a + width / 2;
      let perMs = basePerMs;
      for (const incident of incidents) perMs += incident.extraPerMs * incident.profile.at(mid);
      total += perMs * this.shape.at(mid) * width;
    }
    return total;
  }

  private startChunk(): void {
    const from = this.t;
    const to = from + CHUNK_MS;
    this.chunkEndMs = to;
    if (this.active.some((i) => i.scheduled.endMs <= from)) this.active = this.active.filter((i) => i.scheduled.endMs > from);
    while (this.nextIncident < this.byStart.length && this.byStart[this.nextIncident]!.scheduled.startMs < to) {
      const incident = this.byStart[this.nextIncident++]!;
      if (incident.scheduled.endMs > from) this.active.push(incident);
    }
    const shapeMax = this.shape.maxRhythmBetween(from, to) * Math.max(this.shape.growth(from), this.shape.growth(to));
    let bound = this.totalRatePerMs;
    for (const incident of this.active) bound += incident.extraPerMs * incident.profile.maxBetween(from, to);
    // A hair above the exact bound guards against rounding at the chunk's edges.
    this.boundPerMs = bound * shapeMax * 1.000001;
  }

  private generate(): SimulatedMention | undefined {
    const rng = this.rng;
    const endMs = this.config.endMs;
    for (;;) {
      if (this.t >= this.chunkEndMs) this.startChunk();
      this.t += rng.exponential(this.boundPerMs);
      if (this.t >= this.chunkEndMs) {
        this.t = this.chunkEndMs;
        if (endMs !== undefined && this.t >= endMs) return undefined;
        continue;
      }
      if (endMs !== undefined && this.t >= endMs) return undefined;
      const shape = this.shape.at(this.t);
      let x = rng.next() * this.boundPerMs - this.totalRatePerMs * shape;
      if (x < 0) {
        const brand = this.brands[this.brandPicker.sample(rng.next())]!;
        return this.writer.background(brand, this.t, this.backgroundNegativeShare(brand));
      }
      for (const incident of this.active) {
        x -= incident.extraPerMs * shape * incident.profile.at(this.t);
        if (x < 0) return this.writer.fromIncident(incident, this.t);
      }
      // Rejected candidate: thinning.
    }
  }

  private backgroundNegativeShare(brand: BrandProfile): number {
    let share = this.config.negativeShare;
    for (const incident of this.active) {
      if (incident.brand === brand && incident.scheduled.kind === 'drizzle') {
        const p = incident.profile.at(this.t);
        if (p > 0) share = Math.max(share, share + (incident.backgroundNegativeShare - share) * p);
      }
    }
    return share;
  }

  nextLabelled(): SimulatedMention | undefined {
    if (this.pending === undefined && !this.done) {
      this.pending = this.generate();
      if (this.pending === undefined) this.done = true;
    }
    const out = this.pending;
    this.pending = undefined;
    if (out !== undefined) this.emitted++;
    return out;
  }

  next(): MentionInput | undefined {
    return this.nextLabelled()?.mention;
  }

  peekNextTs(): number | undefined {
    if (this.pending === undefined && !this.done) {
      this.pending = this.generate();
      if (this.pending === undefined) this.done = true;
    }
    return this.pending?.tsMs;
  }

  *[Symbol.iterator](): IterableIterator<MentionInput> {
    for (let m = this.next(); m !== undefined; m = this.next()) yield m;
  }

  *labelled(): IterableIterator<SimulatedMention> {
    for (let m = this.nextLabelled(); m !== undefined; m = this.nextLabelled()) yield m;
  }
}

/** Builds a simulator; throws `SimulatorConfigError` listing every config problem. */
export function createSimulator(config: SimulatorConfigInput = {}): Simulator {
  return new MentionSimulator(resolveSimulatorConfig(config));
}
