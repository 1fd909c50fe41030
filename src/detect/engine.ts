import type { ClassificationEvent } from '../events/classification.js';
import type { Mention } from '../events/mention.js';
import { AlarmScorer, alarmed } from './alarm/alarm-scorer.js';
import { repeatedText } from './classifier/retweet.js';
import type { DetectionConfig } from './config.js';
import type { KeyPolicy } from './policy/policy.js';
import { deriveParams, type DetectionParams } from './params.js';
import { BucketCloser } from './bucket-closer.js';
import { TermBackground } from './drivers/driver-tracker.js';
import { hashLetters, hashString } from '../util/hash.js';
import { keySnapshotOf, keyStateFromSnapshot, type SnapshotShape } from './key-snapshot.js';
import { KeyState } from './key-state.js';
import { KeyTable } from './key-table.js';
import { NO_SENTIMENT, type SentimentScorer } from './sentiment/types.js';
import { unreadScript } from './script.js';
import { decodeKeySnapshot, encodeKeySnapshot } from './snapshot.js';
import { emptySums } from './window/bucket-ring.js';
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
  /** Keys forgotten to make room under `maxKeys`. */
  keysEvictedForRoom: number;
  /** New keys refused for lack of room: every tracked key was in an episode or on its way to one. */
  keysRefused: number;
  /** The engine's clock (advanceTo) less the allowed lateness; -Infinity before the first advance. */
  watermarkMs: number;
  /** Accepted mentions in a script neither scorer reads (src/detect/script.ts): volume without tone. */
  unread: number;
}

// One mention in this many feeds the background vocabulary.
const BACKGROUND_SAMPLE_EVERY = 8;

/** Engagement weight of one mention: 1 plus log-scaled reach and interactions. */
function mentionWeight(m: Mention): number {
  return 1 + 0.5 * Math.log10(1 + (m.followers ?? 0)) + Math.log10(1 + m.likes + 2 * m.shares + m.replies);
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
  private readonly table: KeyTable;
  /** The table's keys and active set, by their own names: the paths every mention takes. */
  private readonly keys: Map<string, KeyState>;
  private readonly active: Set<KeyState>;
  private readonly closer: BucketCloser;
  private readonly background = new TermBackground();
  private readonly alarmScorer = new AlarmScorer();
  private readonly params: DetectionParams;
  private readonly shape: SnapshotShape;
  /** The shared clock (advanceTo): live mode's wall clock. */
  private clockMs = Number.NEGATIVE_INFINITY;
  /** Buckets up to this index are closed by the clock for every key (lazily for inactive keys). */
  private clockClosedThrough = Number.NEGATIVE_INFINITY;
  /** Latest event time of any accepted mention (for `finish` and the hourly eviction sweep). */
  private latestMs = Number.NEGATIVE_INFINITY;
  /** The pass over active keys that brings them to `catchUpThrough`, resumed by the next advanceTo. */
  private catchUpPass: Iterator<KeyState> | undefined;
  private catchUpThrough = Number.NEGATIVE_INFINITY;
  private catchUpPending = false;
  private acceptedCount = 0;
  private lateCount = 0;
  private unreadCount = 0;
  /** Scratch for `windowRate`. */
  private readonly windowScratch = emptySums();

  constructor(
    private readonly config: DetectionConfig,
    private readonly scorer: SentimentScorer,
    listener: EngineListener,
    /** Each key's settings (docs: per-brand policy); default: `config` for every key. */
    private policy: KeyPolicy = () => config,
  ) {
    this.params = withHourSlotTable(deriveParams(config));
    const windowBuckets = this.params.windowBuckets;
    const ringSize = windowBuckets + Math.ceil(config.allowedLatenessMs / config.bucketMs) + 2;
    this.shape = { bucketMs: config.bucketMs, windowBuckets, ringSize };
    this.table = new KeyTable(config, ringSize);
    this.keys = this.table.keys;
    this.active = this.table.active;
    this.closer = new BucketCloser(this.params, this.table, this.background, listener, this);
  }

  stats(): EngineStats {
    return {
      accepted: this.acceptedCount,
      late: this.lateCount,
      keysTracked: this.keys.size,
      keysActive: this.active.size,
      keysEvicted: this.table.evictedCount,
      keysEvictedForRoom: this.table.evictedForRoomCount,
      keysRefused: this.table.refusedCount,
      watermarkMs: this.clockMs - this.config.allowedLatenessMs,
      unread: this.unreadCount,
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
    const buckets = Math.max(1, this.params.windowBuckets - 1);
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
      if (!this.table.admitNewKey(this.acceptedCount)) return 'refused';
      state = new KeyState(mention.key, this.policy(mention.key), bucket);
      // A new key's history starts with its first mention's lateness window: nothing to catch up before.
      state.closedThrough = Math.max(this.closableAt(mention.tsMs), this.clockClosedThrough);
      this.keys.set(mention.key, state);
    } else {
      this.closer.catchUp(state, this.targetOf(state));
      if (bucket <= state.closedThrough || bucket <= state.lateThrough) {
        this.lateCount++;
        return 'late';
      }
    }
    if (mention.tsMs > state.streamMs) {
      state.streamMs = mention.tsMs;
      // The key's own time closes its buckets before this mention lands in a later one.
      this.closer.catchUp(state, this.targetOf(state));
    }
    if (mention.tsMs > this.latestMs) {
      this.latestMs = mention.tsMs;
      this.evictIfDue();
    }
    // A text in a script neither scorer reads adds volume, not tone: it is not scored at all.
    const unread = unreadScript(mention.text);
    if (unread) this.unreadCount++;
    const sentiment = unread ? NO_SENTIMENT : this.scorer.score(mention.text, mention.lang);
    const weight = mentionWeight(mention);
    state.ring ??= this.table.rings.take();
    state.ring.add(
      bucket,
      weight,
      sentiment.label === 'negative',
      sentiment.negativeIntensity,
      !unread && alarmed(this.alarmScorer.score(mention.text)),
      unread,
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
      closes += this.closer.catchUpWhileInPlay(next.value, this.catchUpThrough);
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
    return encodeKeySnapshot(keySnapshotOf(state, this.shape, this.targetOf(state)));
  }

  /**
   * Restores a key from `exportKey`'s bytes, replacing any state it had here; returns the key.
   * The key brings its own stream time and closed buckets (mentions in buckets it had closed are
   * late for it); nothing else in this engine moves. Throws `SnapshotError` for another version,
   * damaged bytes, another bucket width or a ring longer than this engine's.
   */
  importKey(bytes: Uint8Array): string {
    const state = keyStateFromSnapshot(decodeKeySnapshot(bytes), this.shape, this.policy);
    this.table.drop(state.key);
    if (state.ring !== undefined) this.active.add(state);
    this.keys.set(state.key, state);
    return state.key;
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
    return this.table.drop(key);
  }

  /** Hourly, by the clock or (without one, in replays) by the input's latest event time. */
  private evictIfDue(): void {
    this.table.evictIfDue(Math.max(this.clockMs, this.latestMs) - this.config.allowedLatenessMs);
  }
}
