import { HLL_REGISTERS, hllAdd, hllEstimate, hllMergeInto } from '../hll.js';

/** Per-bucket sums kept for each key; a mention adds to exactly one bucket. */
export const enum Field {
  Mentions = 0,
  Weight = 1,
  Negative = 2,
  NegativeIntensity = 3,
  /** Mentions in a script we do not read (src/detect/script.ts): volume without tone. */
  Unread = 4,
  /** Mentions with harm/alarm or sympathy terms (src/detect/alarm). */
  Alarm = 5,
}
export const FIELDS = 6;

/** Sums over a window of buckets (a reusable out-parameter: the ring allocates nothing per call). */
export interface WindowSums {
  mentions: number;
  weight: number;
  negative: number;
  negativeIntensity: number;
  unread: number;
  alarm: number;
  authors: number;
  texts: number;
}

export function emptySums(): WindowSums {
  return { mentions: 0, weight: 0, negative: 0, negativeIntensity: 0, unread: 0, alarm: 0, authors: 0, texts: 0 };
}

/**
 * A fixed ring of time buckets for one key: numeric sums plus two HyperLogLog sketches per
 * bucket (distinct authors, distinct texts). No per-mention storage; O(1) per add; memory is
 * `size * (6 * 4 + 2 * 32)` bytes whatever the traffic. A ring has its own arrays, or a place in
 * the shared arrays of a {@link RingPool} (no typed arrays per key: less memory, less GC).
 */
export class BucketRing {
  readonly size: number;
  private readonly sums: Float32Array;
  private readonly sketches: Uint8Array;
  /** Where this ring's sums and sketches start in the (possibly shared) arrays. */
  private readonly sumBase: number;
  private readonly sketchBase: number;
  /** The pool that owns this ring's storage, if any. */
  readonly pool: RingPool | undefined;
  /** Set once a bucket is written from a snapshot: then an empty count no longer proves an empty slot. */
  private restored = false;

  constructor(size: number, storage?: { pool: RingPool; sums: Float32Array; sketches: Uint8Array; index: number }) {
    this.size = size;
    if (storage === undefined) {
      this.sums = new Float32Array(size * FIELDS);
      this.sketches = new Uint8Array(size * 2 * HLL_REGISTERS);
      this.sumBase = 0;
      this.sketchBase = 0;
      this.pool = undefined;
    } else {
      this.sums = storage.sums;
      this.sketches = storage.sketches;
      this.sumBase = storage.index * size * FIELDS;
      this.sketchBase = storage.index * size * 2 * HLL_REGISTERS;
      this.pool = storage.pool;
    }
  }

  private slot(bucket: number): number {
    return ((bucket % this.size) + this.size) % this.size;
  }

  private sumsAt(slot: number): number {
    return this.sumBase + slot * FIELDS;
  }

  private sketchesAt(slot: number): number {
    return this.sketchBase + slot * 2 * HLL_REGISTERS;
  }

  /** Adds one mention; one in a script we do not read has no tone (not negative, not alarmed). */
  add(bucket: number, weight: number, negative: boolean, negativeIntensity: number, alarm: boolean, unread: boolean, authorHash: number, textHash: number): void {
    const slot = this.slot(bucket);
    const base = this.sumsAt(slot);
    const s = this.sums;
    s[base + Field.Mentions]! += 1;
    s[base + Field.Weight]! += weight;
    if (unread) {
      s[base + Field.Unread]! += 1;
    } else {
      if (negative) {
        s[base + Field.Negative]! += 1;
        s[base + Field.NegativeIntensity]! += negativeIntensity;
      }
      if (alarm) s[base + Field.Alarm]! += 1;
    }
    const at = this.sketchesAt(slot);
    hllAdd(this.sketches, at, authorHash);
    hllAdd(this.sketches, at + HLL_REGISTERS, textHash);
  }

  get(bucket: number, field: Field): number {
    return this.sums[this.sumsAt(this.slot(bucket)) + field]!;
  }

  /** Forgets a bucket so its slot can be reused. */
  clear(bucket: number): void {
    const slot = this.slot(bucket);
    const base = this.sumsAt(slot);
    const s = this.sums;
    // Every add counts a mention, so a zero count means nothing was added since the last clear:
    // most closes of a sparse key clear an empty slot.
    if (s[base + Field.Mentions] === 0 && !this.restored) return;
    for (let i = base; i < base + FIELDS; i++) s[i] = 0;
    const k = this.sketches;
    for (let i = this.sketchesAt(slot), end = i + 2 * HLL_REGISTERS; i < end; i++) k[i] = 0;
  }

  clearAll(): void {
    this.sums.fill(0, this.sumBase, this.sumBase + this.size * FIELDS);
    this.sketches.fill(0, this.sketchBase, this.sketchBase + this.size * 2 * HLL_REGISTERS);
    this.restored = false;
  }

  /** Copies one bucket's sums (FIELDS values) and sketches (2 × HLL_REGISTERS bytes) out: for snapshots. */
  readBucket(bucket: number, sums: Float32Array, sketches: Uint8Array): void {
    const slot = this.slot(bucket);
    sums.set(this.sums.subarray(this.sumsAt(slot), this.sumsAt(slot) + FIELDS));
    sketches.set(this.sketches.subarray(this.sketchesAt(slot), this.sketchesAt(slot) + 2 * HLL_REGISTERS));
  }

  /** Overwrites one bucket with sums and sketches read by `readBucket`: for restoring snapshots. */
  writeBucket(bucket: number, sums: Float32Array, sketches: Uint8Array): void {
    const slot = this.slot(bucket);
    this.restored = true;
    this.sums.set(sums.subarray(0, FIELDS), this.sumsAt(slot));
    this.sketches.set(sketches.subarray(0, 2 * HLL_REGISTERS), this.sketchesAt(slot));
  }

  /** Sums buckets first..last (inclusive) into `out`; distinct counts are left as they were. */
  sum(first: number, last: number, out: WindowSums): WindowSums {
    out.mentions = 0;
    out.weight = 0;
    out.negative = 0;
    out.negativeIntensity = 0;
    out.unread = 0;
    out.alarm = 0;
    const s = this.sums;
    for (let b = first; b <= last; b++) {
      const base = this.sumsAt(this.slot(b));
      out.mentions += s[base + Field.Mentions]!;
      out.weight += s[base + Field.Weight]!;
      out.negative += s[base + Field.Negative]!;
      out.negativeIntensity += s[base + Field.NegativeIntensity]!;
      out.unread += s[base + Field.Unread]!;
      out.alarm += s[base + Field.Alarm]!;
    }
    return out;
  }

  /** Estimates distinct authors and texts over buckets first..last into `out` (costlier than `sum`). */
  distinct(first: number, last: number, out: WindowSums, scratch: Uint8Array, offsets: number[]): WindowSums {
    offsets.length = 0;
    for (let b = first; b <= last; b++) offsets.push(this.sketchesAt(this.slot(b)));
    hllMergeInto(scratch, this.sketches, offsets);
    out.authors = Math.min(out.mentions, Math.round(hllEstimate(scratch)));
    for (let i = 0; i < offsets.length; i++) offsets[i]! += HLL_REGISTERS;
    hllMergeInto(scratch, this.sketches, offsets);
    out.texts = Math.min(out.mentions, Math.round(hllEstimate(scratch)));
    return out;
  }
}

/**
 * Rings of one size carved out of shared chunks (a Float32Array and a Uint8Array per
 * `ringsPerChunk` rings), handed out and taken back cleared: a key gets a ring while it has data
 * in its windows and gives it back when it falls quiet. Chunks are kept for reuse, so memory
 * follows the peak number of keys with data in their windows, not the number of keys.
 */
export class RingPool {
  private readonly free: BucketRing[] = [];
  private sums: Float32Array | undefined;
  private sketches: Uint8Array | undefined;
  private used = 0;
  private allocated = 0;

  constructor(
    readonly size: number,
    private readonly ringsPerChunk = 256,
  ) {}

  /** Rings carved so far (in use or free). */
  get capacity(): number {
    return this.allocated;
  }

  take(): BucketRing {
    const ring = this.free.pop();
    if (ring !== undefined) return ring;
    if (this.sums === undefined || this.used === this.ringsPerChunk) {
      this.sums = new Float32Array(this.ringsPerChunk * this.size * FIELDS);
      this.sketches = new Uint8Array(this.ringsPerChunk * this.size * 2 * HLL_REGISTERS);
      this.used = 0;
    }
    this.allocated++;
    return new BucketRing(this.size, { pool: this, sums: this.sums, sketches: this.sketches!, index: this.used++ });
  }

  /** Takes a ring back (cleared here); rings of other pools or with their own arrays are left to the GC. */
  give(ring: BucketRing): void {
    if (ring.pool !== this) return;
    ring.clearAll();
    this.free.push(ring);
  }
}
