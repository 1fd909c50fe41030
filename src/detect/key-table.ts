import type { DetectionConfig } from './config.js';
import type { KeyState } from './key-state.js';
import { RingPool } from './window/bucket-ring.js';

const EVICTION_SWEEP_MS = 3_600_000;

/**
 * The engine's tracked keys and its policy for forgetting them: keys idle for `idleEvictMs`
 * (swept hourly), and the least recently seen keys when `maxKeys` is reached. Keys in an
 * episode, or on their way to one (`KeyClassifier.active`), are never forgotten by either.
 */
export class KeyTable {
  readonly keys = new Map<string, KeyState>();
  /** Keys that may change state at the next bucket close; others are caught up lazily. */
  readonly active = new Set<KeyState>();
  /** Rings of keys with data in their windows, from shared chunks: no typed arrays per key. */
  readonly rings: RingPool;
  /** Keys forgotten after `idleEvictMs` without a mention. */
  evictedCount = 0;
  /** Keys forgotten to make room under `maxKeys`. */
  evictedForRoomCount = 0;
  /** New keys refused because every tracked key was in an episode or on its way to one. */
  refusedCount = 0;
  /** After a sweep for room found none, new keys are refused without another sweep until this accepted count. */
  private noRoomUntil = 0;
  private nextSweepMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: DetectionConfig,
    ringSize: number,
  ) {
    this.rings = new RingPool(ringSize);
  }

  /**
   * Whether a new key may be tracked, `acceptedCount` mentions into the stream: there is room
   * under `maxKeys`, or room was made. Counts a refusal when not.
   */
  admitNewKey(acceptedCount: number): boolean {
    if (this.keys.size >= this.config.maxKeys && (acceptedCount < this.noRoomUntil || !this.makeRoom(acceptedCount))) {
      this.refusedCount++;
      return false;
    }
    return true;
  }

  /** Forgets a key; true if it was tracked. */
  drop(key: string): boolean {
    const state = this.keys.get(key);
    if (state === undefined) return false;
    this.active.delete(state);
    this.releaseRing(state);
    this.keys.delete(key);
    return true;
  }

  /** Gives a key's ring back to the pool (a ring's place in a shared chunk is not freed by the GC). */
  releaseRing(state: KeyState): void {
    if (state.ring !== undefined) this.rings.give(state.ring);
    state.ring = undefined;
  }

  /** Hourly by `nowMs`: the clock or (without one, in replays) the input's latest event time, less the allowed lateness. */
  evictIfDue(nowMs: number): void {
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
        this.drop(key);
        this.evictedCount++;
      }
    }
  }

  /**
   * Forgets the least recently seen keys outside an episode: at least one in a hundred of
   * `maxKeys` (and at least one) where there are that many. One pass finds their range of recency, a second bins it
   * into a histogram that gives the cut, a third forgets the keys below it: O(keys) every
   * maxKeys/100 new keys. True when there is room now.
   */
  private makeRoom(acceptedCount: number): boolean {
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
      this.noRoomUntil = acceptedCount + want;
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
        this.drop(key);
        this.evictedForRoomCount++;
      }
    }
    return this.keys.size < this.config.maxKeys;
  }
}
