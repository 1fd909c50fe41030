import { classificationEventErrors, type ClassificationEvent } from '../events/classification.js';
import type { Mention } from '../events/mention.js';
import { AlarmModel, emptyAlarmAssessment } from './alarm/alarm-model.js';
import { AlarmScorer, alarmed } from './alarm/alarm-scorer.js';
import { KeyClassifier, type Observation, type Transition } from './classifier/classifier.js';
import { buildEvent, severityOf } from './classifier/event-builder.js';
import { repeatedText } from './classifier/retweet.js';
import type { DetectionConfig } from './config.js';
import type { KeyPolicy } from './policy/policy.js';
import { deriveParams, type DetectionParams } from './params.js';
import { Episode } from './classifier/episode.js';
import { DriverTracker, TermBackground } from './drivers/driver-tracker.js';
import { hashLetters, hashString } from '../util/hash.js';
import { HLL_REGISTERS } from './hll.js';
import { emptyNegativityAssessment, NegativityModel } from './negativity/negativity-model.js';
import { emptyRateAssessment, RateModel } from './rate/rate-model.js';
import type { SentimentScorer } from './sentiment/types.js';
import { decodeKeySnapshot, encodeKeySnapshot, SnapshotError, type KeySnapshot, type RingBucketSnapshot } from './snapshot.js';
import { BucketRing, emptySums, Field, FIELDS, RingPool } from './window/bucket-ring.js';
import { withHourSlotTable } from './window/hour-slots.js';

/** `refused`: a new key past `maxKeys` with every tracked key in an episode (nothing to forget). */
export type IngestOutcome = 'accepted' | 'late' | 'refused';

/** Where an episode's volume stands against the usual: the engine answers for each key. */
export interface WindowRates {
  windowRate(key: string): { observedPerMs: number; usualPerMs: number } | undefined;
}

/** Called with each classification event, and the engine that emitted it (for the key's rates now). */
export interface EngineListener {
  (event: ClassificationEvent, rates: WindowRates): void;
}

/** Counters the adapters turn into metrics. */
export interface EngineStats {
  accepted: number;
  late: number;
  keysTracked: number;
  keysActive: number;
  /** Keys forgotten after `idleEvictMs` without a mention. */
  keysEvicted: number;
  /** Keys forgotten to make room under `maxKeys`, and new keys refused for lack of it. */
  keysEvictedForRoom: number;
  keysRefused: number;
  /** The engine's clock (advanceTo) less the allowed lateness; -Infinity before the first advance. */
  watermarkMs: number;
}

// Drivers are tracked for keys whose short window already looks unusual, before a start.
const DRIVER_TRACKING_SCORE = 0.2;
// Usual distinct authors and texts per mention are learned from one calm window in this many.
const AUDIENCE_SAMPLE_EVERY = 8;
// One mention in this many feeds the background vocabulary.
const BACKGROUND_SAMPLE_EVERY = 8;
const NO_AUDIENCE = { authors: Number.NaN, texts: Number.NaN };
const EVICTION_SWEEP_MS = 3_600_000;
// Quiet gaps longer than this are not replayed bucket by bucket into the baseline.
const MAX_CATCH_UP_MS = 7 * 24 * 3_600_000;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** The latest event a snapshot carries, if it is one of this episode that matches the schema. */
function decodeLastEvent(bytes: Uint8Array, episodeId: string): ClassificationEvent | undefined {
  if (bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(bytes));
  } catch {
    throw new SnapshotError('malformed', 'the episode\'s latest event is not JSON');
  }
  if (classificationEventErrors(value).length > 0 || (value as ClassificationEvent).episodeId !== episodeId) {
    throw new SnapshotError('malformed', 'the episode\'s latest event does not match the schema or the episode');
  }
  return value as ClassificationEvent;
}

/** Engagement weight of one mention: 1 plus log-scaled reach and interactions. */
export function mentionWeight(m: Mention): number {
  return 1 + 0.5 * Math.log10(1 + m.followers) + Math.log10(1 + m.likes + 2 * m.shares + m.replies);
}

/** All detection state of one key. */
class KeyState {
  ring: BucketRing | undefined;
  readonly rate = new RateModel();
  readonly negativity = new NegativityModel();
  readonly alarm = new AlarmModel();
  readonly classifier: KeyClassifier;
  drivers: DriverTracker | undefined;
  /** Last bucket folded into the baseline and classified. */
  closedThrough: number;
  /** Latest bucket holding data. */
  lastDataBucket: number;
  /** The open episode's latest event (handed to the instance that takes the key over). */
  lastEvent: ClassificationEvent | undefined;
  /** The key's own stream time: the latest event time of its accepted mentions. */
  streamMs = Number.NEGATIVE_INFINITY;
  /** The engine's accepted count at this key's latest mention: recency for `maxKeys`. */
  lastSeen = 0;
  /** Restored keys only: the exporter's closed buckets for this key; mentions at or before are late. */
  lateThrough = Number.NEGATIVE_INFINITY;

  constructor(
    readonly key: string,
    /** The key's settings under its policy (thresholds, floors, cooldowns). */
    public config: DetectionConfig,
    firstBucket: number,
  ) {
    this.classifier = new KeyClassifier(key, config);
    this.closedThrough = firstBucket - 1;
    this.lastDataBucket = firstBucket;
  }
}

/**
 * The per-key detection engine: pure, single-threaded, driven by event time. `ingest` takes
 * one scored mention. Each key keeps its own stream time (the latest event time of its own
 * mentions, as Kafka Streams keeps stream time per task): a key's bucket closes once its stream
 * time less the allowed lateness passes it, so no other key's mentions, order or timestamps can
 * make this key's mentions late. `advanceTo` moves a shared clock (live mode's wall-clock tick)
 * that closes the buckets of quiet keys too, in slices of bounded work. Classification events go
 * to the listener synchronously, in order.
 */
export class DetectionEngine implements WindowRates {
  private readonly keys = new Map<string, KeyState>();
  /** Keys that may change state at the next bucket close; others are caught up lazily. */
  private readonly active = new Set<KeyState>();
  private readonly background = new TermBackground();
  private readonly params: DetectionParams;
  private readonly windowBuckets: number;
  private readonly ringSize: number;
  /** The shared clock (advanceTo): live mode's wall clock. */
  private clockMs = Number.NEGATIVE_INFINITY;
  /** Buckets up to this index are closed by the clock for every key (lazily for inactive keys). */
  private clockClosedThrough = Number.NEGATIVE_INFINITY;
  /** Latest event time of any accepted mention (for `finish` and the stats). */
  private latestMs = Number.NEGATIVE_INFINITY;
  /** The pass over active keys that brings them to `catchUpThrough`, resumed by the next advanceTo. */
  private catchUpPass: Iterator<KeyState> | undefined;
  private catchUpThrough = Number.NEGATIVE_INFINITY;
  private catchUpPending = false;
  private nextSweepMs = Number.NEGATIVE_INFINITY;
  private acceptedCount = 0;
  private lateCount = 0;
  private evictedCount = 0;
  private evictedForRoomCount = 0;
  private refusedCount = 0;
  /** After a sweep for room found none, new keys are refused without another sweep until this accepted count. */
  private noRoomUntil = 0;

  // Scratch space reused for every bucket close: no allocation on the hot path.
  private readonly sums = emptySums();
  private readonly windowScratch = emptySums();
  private readonly hllScratch = new Uint8Array(HLL_REGISTERS);
  private readonly offsets: number[] = [];
  private readonly rateScratch = emptyRateAssessment();
  private readonly negativityScratch = emptyNegativityAssessment();
  private readonly alarmScratch = emptyAlarmAssessment();
  private readonly alarmScorer = new AlarmScorer();
  private readonly transitions: Transition[] = [];
  /** Rings of keys with data in their windows, from shared chunks: no typed arrays per key. */
  private readonly rings: RingPool;
  private readonly observation: Observation = {
    bucketStartMs: 0,
    bucketEndMs: 0,
    rate: this.rateScratch,
    negativity: this.negativityScratch,
    alarm: this.alarmScratch,
    authors: 0,
    texts: 0,
    usualAuthors: 0,
    usualTexts: 0,
    severity: 0,
    bucketMentions: 0,
    bucketNegative: 0,
    windowNegative: 0,
  };

  constructor(
    private readonly config: DetectionConfig,
    private readonly scorer: SentimentScorer,
    private readonly listener: EngineListener,
    /** Each key's settings (docs: per-brand policy); default: `config` for every key. */
    private policy: KeyPolicy = () => config,
  ) {
    this.params = withHourSlotTable(deriveParams(config));
    this.windowBuckets = this.params.windowBuckets;
    this.ringSize = this.windowBuckets + Math.ceil(config.allowedLatenessMs / config.bucketMs) + 2;
    this.rings = new RingPool(this.ringSize);
  }

  stats(): EngineStats {
    return {
      accepted: this.acceptedCount,
      late: this.lateCount,
      keysTracked: this.keys.size,
      keysActive: this.active.size,
      keysEvicted: this.evictedCount,
      keysEvictedForRoom: this.evictedForRoomCount,
      keysRefused: this.refusedCount,
      watermarkMs: this.clockMs - this.config.allowedLatenessMs,
    };
  }

  /** The last bucket that event time `ms` closes: the one ending before `ms` less the allowed lateness. */
  private closableAt(ms: number): number {
    return Math.floor((ms - this.config.allowedLatenessMs) / this.config.bucketMs) - 1;
  }

  /** How far a key's buckets must be closed: by its own stream time or by the clock, whichever is later. */
  private targetOf(state: KeyState): number {
    return Math.max(this.closableAt(state.streamMs), this.clockClosedThrough);
  }

  /**
   * Usual mentions per millisecond at event time `nowMs`, summed over every tracked key (each
   * key's baseline level times its factor for that hour of the day): what the input carries when
   * nothing unusual happens. Lets the metrics tell an ingest outage from a quiet hour. O(keys).
   */
  expectedRatePerMs(nowMs: number): number {
    if (!Number.isFinite(nowMs)) return 0;
    const slot = this.params.slotOf(Math.floor(nowMs / this.config.bucketMs));
    let perBucket = 0;
    for (const state of this.keys.values()) perBucket += state.rate.level * state.rate.season[slot]!;
    return perBucket / this.config.bucketMs;
  }

  /**
   * Mentions per millisecond of `key` over its latest closed buckets, observed and usual (as the
   * rate detector compares them); undefined for a key without state. The span is the short window
   * less its oldest bucket, which a close frees.
   */
  windowRate(key: string): { observedPerMs: number; usualPerMs: number } | undefined {
    const state = this.keys.get(key);
    if (state === undefined) return undefined;
    const last = Math.max(state.closedThrough, this.clockClosedThrough);
    if (!Number.isFinite(last)) return undefined;
    const buckets = Math.max(1, this.windowBuckets - 1);
    const first = last - buckets + 1;
    // Keys outside the active set have had no data in the window (and have no ring).
    const observed = state.ring === undefined || !this.active.has(state) ? 0 : state.ring.sum(first, last, this.windowScratch).mentions;
    const windowMs = buckets * this.config.bucketMs;
    return { observedPerMs: observed / windowMs, usualPerMs: state.rate.expected(first, last, this.params) / windowMs };
  }

  ingest(mention: Mention): IngestOutcome {
    const c = this.config;
    const bucket = Math.floor(mention.tsMs / c.bucketMs);
    // Before the clock's closed buckets: late for every key (live mode's wall clock).
    if (bucket <= this.clockClosedThrough) {
      this.lateCount++;
      return 'late';
    }
    let state = this.keys.get(mention.key);
    if (state === undefined) {
      if (this.keys.size >= c.maxKeys && (this.acceptedCount < this.noRoomUntil || !this.makeRoom())) {
        this.refusedCount++;
        return 'refused';
      }
      state = new KeyState(mention.key, this.policy(mention.key), bucket);
      // A new key's history starts with its first mention's lateness window: nothing to catch up before.
      state.closedThrough = Math.max(this.closableAt(mention.tsMs), this.clockClosedThrough);
      this.keys.set(mention.key, state);
    } else {
      this.catchUp(state, this.targetOf(state));
      if (bucket <= state.closedThrough || bucket <= state.lateThrough) {
        this.lateCount++;
        return 'late';
      }
    }
    if (mention.tsMs > state.streamMs) {
      state.streamMs = mention.tsMs;
      // The key's own time closes its buckets before this mention lands in a later one.
      this.catchUp(state, this.targetOf(state));
    }
    if (mention.tsMs > this.latestMs) {
      this.latestMs = mention.tsMs;
      this.evictIfDue();
    }
    const sentiment = this.scorer.score(mention.text, mention.lang);
    const weight = mentionWeight(mention);
    state.ring ??= this.rings.take();
    state.ring.add(
      bucket,
      weight,
      sentiment.label === 'negative' ? -1 : sentiment.label === 'positive' ? 1 : 0,
      sentiment.negativeIntensity,
      alarmed(this.alarmScorer.score(mention.text)),
      mention.authorId === undefined ? hashString(mention.id) : hashString(mention.authorId),
      hashLetters(repeatedText(mention.text)),
    );
    if (bucket > state.lastDataBucket) state.lastDataBucket = bucket;
    state.drivers?.observe(mention, weight, sentiment.score);
    this.active.add(state);
    state.lastSeen = ++this.acceptedCount;
    if (this.acceptedCount % BACKGROUND_SAMPLE_EVERY === 0) this.background.observe(mention.text);
    return 'accepted';
  }

  /**
   * Moves the clock forward to `eventTimeMs` (never back): every key's buckets ending before it
   * less the allowed lateness close, so quiet keys' episodes end. Keys in play (data in the window
   * or an episode) are brought forward in a pass that does at most `maxCloses` bucket closes per
   * call and resumes at the next call; the others catch up when they next get a mention. Returns
   * true when the pass is complete.
   */
  advanceTo(eventTimeMs: number, maxCloses = Number.POSITIVE_INFINITY): boolean {
    if (eventTimeMs > this.clockMs) {
      this.clockMs = eventTimeMs;
      const closable = this.closableAt(eventTimeMs);
      if (closable > this.clockClosedThrough) {
        this.clockClosedThrough = closable;
        this.catchUpPending = true;
      }
    }
    let closes = 0;
    for (;;) {
      if (this.catchUpPass === undefined) {
        if (!this.catchUpPending) break;
        this.catchUpPending = false;
        this.catchUpThrough = this.clockClosedThrough;
        // A Set's iterator visits keys added after it was made, and skips deleted ones.
        this.catchUpPass = this.active.values();
      }
      const next = this.catchUpPass.next();
      if (next.done === true) {
        this.catchUpPass = undefined;
        continue;
      }
      closes += this.catchUpWhileInPlay(next.value, this.catchUpThrough);
      if (closes >= maxCloses) return false;
    }
    this.evictIfDue();
    return true;
  }

  /** Closes every remaining bucket: call at the end of a replay. Open episodes stay open. */
  finish(): void {
    if (this.latestMs === Number.NEGATIVE_INFINITY) return;
    this.advanceTo(Math.max(this.latestMs, this.clockMs) + this.config.allowedLatenessMs + this.config.bucketMs);
  }

  /** The tracked keys, in insertion order (for checkpoints and revoked partitions). */
  trackedKeys(): IterableIterator<string> {
    return this.keys.keys();
  }

  /** The tracked keys for which `predicate` holds (e.g. those of one partition). */
  keysOf(predicate: (key: string) => boolean): string[] {
    const out: string[] = [];
    for (const key of this.keys.keys()) if (predicate(key)) out.push(key);
    return out;
  }

  /**
   * A versioned binary snapshot of one key's state (src/detect/snapshot.ts), undefined for an
   * untracked key. Exports the key as it is: a key outside the active set may lag the engine's
   * closed buckets; it catches up the same way after a restore.
   */
  exportKey(key: string): Uint8Array | undefined {
    const state = this.keys.get(key);
    if (state === undefined) return undefined;
    return encodeKeySnapshot(this.snapshotOf(state));
  }

  /**
   * Restores a key from `exportKey`'s bytes, replacing any state it had here; returns the key.
   * The key brings its own stream time and closed buckets (mentions in buckets it had closed are
   * late for it); nothing else in this engine moves. Throws `SnapshotError` for another version, damaged bytes or another
   * bucket width.
   */
  importKey(bytes: Uint8Array): string {
    const s = decodeKeySnapshot(bytes);
    const c = this.config;
    if (s.bucketMs !== c.bucketMs) throw new SnapshotError('config_mismatch', `snapshot of ${s.key} has ${s.bucketMs} ms buckets, this engine ${c.bucketMs} ms`);
    // Buckets that have left this engine's window are not restored (a shorter window than the
    // exporter's); the rest must fit the ring.
    const live = s.ring?.filter((b) => b.bucket >= s.closedThrough - this.windowBuckets + 2);
    if (live !== undefined && live.length > 0 && live[live.length - 1]!.bucket - live[0]!.bucket >= this.ringSize) {
      throw new SnapshotError('config_mismatch', `snapshot of ${s.key} spans more buckets than this engine's ring holds`);
    }
    const state = new KeyState(s.key, this.policy(s.key), 0);
    state.closedThrough = s.closedThrough;
    state.lastDataBucket = s.lastDataBucket;
    state.lateThrough = Math.max(s.lateThroughBucket, s.closedThrough);
    state.streamMs = s.streamTimeMs;
    const rate = state.rate;
    rate.level = s.rate.level;
    rate.weightPerMention = s.rate.weightPerMention;
    rate.volumeDispersion = s.rate.volumeDispersion;
    rate.weightDispersion = s.rate.weightDispersion;
    rate.bucketsSeen = s.rate.bucketsSeen;
    rate.authorsPerMention = s.rate.authorsPerMention;
    rate.textsPerMention = s.rate.textsPerMention;
    rate.season.set(s.rate.season);
    rate.seasonVisits.set(s.rate.seasonVisits);
    Object.assign(state.negativity, s.negativity);
    Object.assign(state.alarm, s.alarm);
    let episode: Episode | undefined;
    if (s.episode !== undefined) {
      const e = s.episode;
      episode = new Episode(s.key, e.openedAs, e.onsetMs, e.startedAtMs);
      if (e.level !== e.openedAs) episode.raise(e.level, e.levelChangedAtMs);
      episode.sequence = e.sequence;
      episode.peakSeverity = e.peakSeverity;
      episode.lastAnnouncedSeverity = e.lastAnnouncedSeverity;
      episode.subsided = e.subsided;
      episode.coordinated = e.coordinated;
      episode.escalations = e.escalations;
      episode.peakMentionsPerMinute = e.peakMentionsPerMinute;
      episode.peakRateRatio = e.peakRateRatio;
      episode.totalMentions = e.totalMentions;
      episode.negativeMentions = e.negativeMentions;
      episode.restoreCourse(e.course);
      state.lastEvent = decodeLastEvent(e.lastEvent, episode.id);
    }
    state.classifier.restoreState(s.classifier, episode);
    this.dropKey(s.key);
    if (live !== undefined) {
      const ring = new BucketRing(this.ringSize);
      for (const b of live) ring.writeBucket(b.bucket, b.sums, b.sketches);
      state.ring = ring;
      this.active.add(state);
    }
    this.keys.set(s.key, state);
    return s.key;
  }

  /** The latest event of `key`'s open episode (a restored key's included), or undefined. */
  openEpisodeEvent(key: string): ClassificationEvent | undefined {
    const state = this.keys.get(key);
    return state?.classifier.episode === undefined ? undefined : state.lastEvent;
  }

  /** A new policy (a reload): every key takes its new settings at once; state and episodes go on. */
  setPolicy(policy: KeyPolicy): void {
    this.policy = policy;
    for (const state of this.keys.values()) {
      state.config = policy(state.key);
      state.classifier.reconfigure(state.config);
    }
  }

  /** Forgets a key (its partition moved to another instance); true if it was tracked. */
  dropKey(key: string): boolean {
    const state = this.keys.get(key);
    if (state === undefined) return false;
    this.active.delete(state);
    // Its ring goes back to the pool (a ring's place in a shared chunk is not freed by the GC).
    if (state.ring !== undefined) this.rings.give(state.ring);
    state.ring = undefined;
    this.keys.delete(key);
    return true;
  }

  private snapshotOf(state: KeyState): KeySnapshot {
    let ring: RingBucketSnapshot[] | undefined;
    if (state.ring !== undefined) {
      ring = [];
      // Buckets before this one were cleared when the windows ending in them closed.
      const first = Math.max(state.closedThrough - this.windowBuckets + 2, state.lastDataBucket - this.ringSize + 1);
      for (let b = first; b <= state.lastDataBucket; b++) {
        if (state.ring.get(b, Field.Mentions) === 0) continue;
        const bucket: RingBucketSnapshot = { bucket: b, sums: new Float32Array(FIELDS), sketches: new Uint8Array(2 * HLL_REGISTERS) };
        state.ring.readBucket(b, bucket.sums, bucket.sketches);
        ring.push(bucket);
      }
    }
    const r = state.rate;
    const episode = state.classifier.episode;
    return {
      key: state.key,
      bucketMs: this.config.bucketMs,
      streamTimeMs: state.streamMs,
      lateThroughBucket: Math.max(this.targetOf(state), state.closedThrough, state.lateThrough),
      closedThrough: state.closedThrough,
      lastDataBucket: state.lastDataBucket,
      ring,
      rate: {
        level: r.level,
        weightPerMention: r.weightPerMention,
        volumeDispersion: r.volumeDispersion,
        weightDispersion: r.weightDispersion,
        bucketsSeen: r.bucketsSeen,
        authorsPerMention: r.authorsPerMention,
        textsPerMention: r.textsPerMention,
        season: r.season,
        seasonVisits: r.seasonVisits,
      },
      negativity: { ...state.negativity },
      alarm: { usualMentions: state.alarm.usualMentions, usualAlarmed: state.alarm.usualAlarmed },
      classifier: state.classifier.saveState(),
      episode:
        episode === undefined
          ? undefined
          : {
              level: episode.level,
              openedAs: episode.openedAs,
              levelChangedAtMs: episode.levelChangedAtMs,
              onsetMs: episode.onsetMs,
              startedAtMs: episode.startedAtMs,
              sequence: episode.sequence,
              peakSeverity: episode.peakSeverity,
              lastAnnouncedSeverity: episode.lastAnnouncedSeverity,
              subsided: episode.subsided,
              coordinated: episode.coordinated,
              escalations: episode.escalations,
              peakMentionsPerMinute: episode.peakMentionsPerMinute,
              peakRateRatio: episode.peakRateRatio,
              totalMentions: episode.totalMentions,
              negativeMentions: episode.negativeMentions,
              course: [...episode.coursePoints()],
              lastEvent: state.lastEvent === undefined || state.lastEvent.episodeId !== episode.id ? new Uint8Array(0) : textEncoder.encode(JSON.stringify(state.lastEvent)),
            },
    };
  }

  /**
   * Forgets about one key in a hundred of `maxKeys` (at least one), the least recently seen among
   * those outside an episode; keys in an episode are never forgotten for room. One pass finds the
   * recency cut from a histogram, a second forgets the keys below it: O(keys) every maxKeys/100 new
   * keys. True when there is room now.
   */
  private makeRoom(): boolean {
    const want = Math.max(1, Math.floor(this.config.maxKeys / 100));
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const state of this.keys.values()) {
      if (state.classifier.active) continue;
      if (state.lastSeen < lo) lo = state.lastSeen;
      if (state.lastSeen > hi) hi = state.lastSeen;
    }
    if (lo === Number.POSITIVE_INFINITY) {
      // Every key is in an episode: a flood of new keys must not cost a sweep each.
      this.noRoomUntil = this.acceptedCount + want;
      return false;
    }
    const bins = new Uint32Array(256);
    const width = Math.max(1, (hi - lo + 1) / bins.length);
    for (const state of this.keys.values()) if (!state.classifier.active) bins[Math.min(bins.length - 1, Math.floor((state.lastSeen - lo) / width))]!++;
    let cut = 0;
    for (let seen = 0; cut < bins.length && seen < want; cut++) seen += bins[cut]!;
    const below = lo + cut * width;
    for (const [key, state] of this.keys) {
      if (!state.classifier.active && state.lastSeen < below) {
        this.dropKey(key);
        this.evictedForRoomCount++;
      }
    }
    return this.keys.size < this.config.maxKeys;
  }

  /** Hourly, by the clock or (without one, in replays) by the input's latest event time. */
  private evictIfDue(): void {
    const nowMs = Math.max(this.clockMs, this.latestMs) - this.config.allowedLatenessMs;
    if (nowMs >= this.nextSweepMs) this.evictIdle(nowMs);
  }

  /** Forgets keys outside an episode with no mention for `idleEvictMs` before `nowMs`. */
  private evictIdle(nowMs: number): void {
    const c = this.config;
    this.nextSweepMs = nowMs + EVICTION_SWEEP_MS;
    const idleBefore = Math.floor((nowMs - c.idleEvictMs) / c.bucketMs);
    for (const [key, state] of this.keys) {
      // Without a clock a quiet key stays in play (its own time stands still): forgotten all the same, unless in an episode.
      if (!state.classifier.active && state.lastDataBucket < idleBefore) {
        this.dropKey(key);
        this.evictedCount++;
      }
    }
  }

  private catchUp(state: KeyState, through: number): void {
    const maxGap = Math.floor(MAX_CATCH_UP_MS / this.config.bucketMs);
    if (through - state.closedThrough > maxGap && !state.classifier.active) state.closedThrough = through - maxGap;
    while (state.closedThrough < through) this.closeBucket(state, state.closedThrough + 1);
  }

  /**
   * The clock's pass: closes `state`'s buckets up to `through` while the key is in play (an
   * episode, or data in its window). Once it is out of play its ring is freed and the remaining
   * closes wait for its next mention (catchUp), so a long gap costs nothing until then. Returns
   * the number of closes.
   */
  private catchUpWhileInPlay(state: KeyState, through: number): number {
    const from = state.closedThrough;
    for (;;) {
      const inPlay = state.classifier.active || state.lastDataBucket > state.closedThrough - this.windowBuckets;
      if (!inPlay) {
        this.active.delete(state);
        // Everything in the ring has left the window: free it until the key speaks again.
        if (state.ring !== undefined) this.rings.give(state.ring);
        state.ring = undefined;
        state.drivers = undefined;
        break;
      }
      if (state.closedThrough >= through) break;
      this.closeBucket(state, state.closedThrough + 1);
    }
    return state.closedThrough - from;
  }

  /**
   * Folds one bucket of one key into its baseline and classifies the window it ends. Runs for
   * every key and bucket, so the common case (a calm key, a quiet window) is kept cheap.
   */
  private closeBucket(state: KeyState, bucket: number): void {
    const c = this.params;
    const first = bucket - this.windowBuckets + 1;
    const ring = state.ring;
    const sums = this.sums;
    // No data since before the window (most closes of a sparse key): its buckets are all zero.
    const quiet = ring === undefined || state.lastDataBucket < first;
    if (quiet) {
      sums.mentions = sums.weight = sums.negative = sums.negativeIntensity = sums.positive = sums.alarm = 0;
    } else {
      ring.sum(first, bucket, sums);
    }
    sums.authors = sums.texts = 0;
    const bucketMentions = quiet ? 0 : ring.get(bucket, Field.Mentions);
    const bucketWeight = quiet ? 0 : ring.get(bucket, Field.Weight);
    const bucketNegative = quiet ? 0 : ring.get(bucket, Field.Negative);
    const bucketAlarm = quiet ? 0 : ring.get(bucket, Field.Alarm);

    const rate = state.rate.assess(sums.mentions, sums.weight, first, bucket, c, this.rateScratch);
    const negativity = state.negativity.assess(sums.mentions, sums.negative, sums.negativeIntensity, this.negativityScratch);
    state.alarm.assess(sums.mentions, sums.alarm, this.alarmScratch);
    // Distinct counts (and severity, which uses them) only where the classifier may look at
    // them: an open episode or candidate, a window scoring above the exit bar, a slow window
    // that could be a drizzle; plus a sample of calm windows to learn the usual audience.
    const needDistinct =
      ring !== undefined &&
      sums.mentions > 0 &&
      (state.classifier.active ||
        rate.score >= state.config.rateExitScore ||
        (negativity.slowMentions >= c.drizzleMinMentions && negativity.slowShare >= c.drizzleMinNegativeShare) ||
        bucket % AUDIENCE_SAMPLE_EVERY === 0);
    if (needDistinct) ring.distinct(first, bucket, sums, this.hllScratch, this.offsets);
    // The usual part of the window brings its usual share of distinct authors and texts.
    const usualMentions = Math.min(rate.expectedMentions, sums.mentions);
    const obs = this.observation;
    obs.bucketStartMs = bucket * c.bucketMs;
    obs.bucketEndMs = (bucket + 1) * c.bucketMs;
    obs.authors = sums.authors;
    obs.texts = sums.texts;
    obs.usualAuthors = usualMentions * state.rate.authorsPerMention;
    obs.usualTexts = usualMentions * state.rate.textsPerMention;
    obs.bucketMentions = bucketMentions;
    obs.bucketNegative = bucketNegative;
    obs.windowNegative = sums.negative;
    obs.severity = needDistinct ? severityOf(obs) : 0;

    const transitions = this.transitions;
    transitions.length = 0;
    state.classifier.step(obs, transitions);
    for (const t of transitions) {
      const withDrivers = t.type.endsWith('.started') || t.type === 'storm.escalated' || t.type === 'storm.level_changed';
      const drivers = withDrivers ? state.drivers?.summarise(this.background, c.maxTerms) : undefined;
      const event = buildEvent(t, obs, state.config, drivers);
      state.lastEvent = t.type.endsWith('.ended') ? undefined : event;
      this.listener(event, this);
      if (t.type === 'storm.ended' || t.type === 'surge.ended') state.negativity.forgetSlowWindow();
    }

    const elevated = state.classifier.state !== 'calm' || rate.volumeZ > c.baselineClipSigma;
    state.rate.learn(bucket, bucketMentions, bucketWeight, rate, needDistinct ? sums : NO_AUDIENCE, elevated, c);
    // Usual mentions of one bucket: the window's expectation spread over its buckets.
    state.negativity.learn(bucketMentions, bucketNegative, Math.max(1, rate.expectedMentions / this.windowBuckets), !elevated, c);
    state.alarm.learn(bucketMentions, bucketAlarm, !elevated, c);

    if (state.classifier.active || rate.score >= DRIVER_TRACKING_SCORE) state.drivers ??= new DriverTracker(c.maxSamples);
    else state.drivers = undefined;

    ring?.clear(first);
    state.closedThrough = bucket;
  }
}
