import { HLL_REGISTERS, hllAdd, hllEstimate, hllMergeInto } from '../hll.js';

/** Per-bucket sums kept for each key; a mention adds to exactly one bucket. */
export const enum Field {
  Mentions = 0,
  Weight = 1,
  Negative = 2,
  NegativeIntensity = 3,
  Positive = 4,
}
export const FIELDS = 5;

/** Sums over a window of buckets (a reusable out-parameter: the ring allocates nothing per call). */
export interface WindowSums {
  mentions: number;
  weight: number;
  negative: number;
  negativeIntensity: number;
  positive: number;
  authors: number;
  texts: number;
}

export function emptySums(): WindowSums {
  return { mentions: 0, weight: 0, negative: 0, negativeIntensity: 0, positive: 0, authors: 0, texts: 0 };
}

/**
 * A fixed ring of time buckets for one key: numeric sums plus two HyperLogLog sketches per
 * bucket (distinct authors, distinct texts). No per-mention storage; O(1) per add; memory is
 * `size * (5 * 4 + 2 * 32)` bytes whatever the traffic.
 */
export class BucketRing {
  readonly size: number;
  private readonly sums: Float32Array;
  private readonly sketches: Uint8Array;
  /** Set once a bucket is written from a snapshot: then an empty count no longer proves an empty slot. */
  private restored = false;

  constructor(size: number) {
    this.size = size;
    this.sums = new Float32Array(size * FIELDS);
    this.sketches = new Uint8Array(size * 2 * HLL_REGISTERS);
  }

  private slot(bucket: number): number {
    return ((bucket % this.size) + this.size) % this.size;
  }

  add(bucket: number, weight: number, sentiment: number, negativeIntensity: number, authorHash: number, textHash: number): void {
    const slot = this.slot(bucket);
    const base = slot * FIELDS;
    const s = this.sums;
    s[base + Field.Mentions]! += 1;
    s[base + Field.Weight]! += weight;
    if (sentiment < 0) {
      s[base + Field.Negative]! += 1;
      s[base + Field.NegativeIntensity]! += negativeIntensity;
    } else if (sentiment > 0) {
      s[base + Field.Positive]! += 1;
    }
    hllAdd(this.sketches, slot * 2 * HLL_REGISTERS, authorHash);
    hllAdd(this.sketches, slot * 2 * HLL_REGISTERS + HLL_REGISTERS, textHash);
  }

  get(bucket: number, field: Field): number {
    return this.sums[this.slot(bucket) * FIELDS + field]!;
  }

  /** Forgets a bucket so its slot can be reused. */
  clear(bucket: number): void {
    const slot = this.slot(bucket);
    const base = slot * FIELDS;
    const s = this.sums;
    // Every add counts a mention, so a zero count means nothing was added since the last clear:
    // most closes of a sparse key clear an empty slot.
    if (s[base + Field.Mentions] === 0 && !this.restored) return;
    for (let i = base; i < base + FIELDS; i++) s[i] = 0;
    const k = this.sketches;
    for (let i = slot * 2 * HLL_REGISTERS, end = i + 2 * HLL_REGISTERS; i < end; i++) k[i] = 0;
  }

  clearAll(): void {
    this.sums.fill(0);
    this.sketches.fill(0);
    this.restored = false;
  }

  /** Copies one bucket's sums (5 values) and sketches (2 × HLL_REGISTERS bytes) out: for snapshots. */
  readBucket(bucket: number, sums: Float32Array, sketches: Uint8Array): void {
    const slot = this.slot(bucket);
    sums.set(this.sums.subarray(slot * FIELDS, slot * FIELDS + FIELDS));
    sketches.set(this.sketches.subarray(slot * 2 * HLL_REGISTERS, (slot + 1) * 2 * HLL_REGISTERS));
  }

  /** Overwrites one bucket with sums and sketches read by `readBucket`: for restoring snapshots. */
  writeBucket(bucket: number, sums: Float32Array, sketches: Uint8Array): void {
    const slot = this.slot(bucket);
    this.restored = true;
    this.sums.set(sums.subarray(0, FIELDS), slot * FIELDS);
    this.sketches.set(sketches.subarray(0, 2 * HLL_REGISTERS), slot * 2 * HLL_REGISTERS);
  }

  /** Sums buckets first..last (inclusive) into `out`; distinct counts are left as they were. */
  sum(first: number, last: number, out: WindowSums): WindowSums {
    out.mentions = 0;
    out.weight = 0;
    out.negative = 0;
    out.negativeIntensity = 0;
    out.positive = 0;
    const s = this.sums;
    for (let b = first; b <= last; b++) {
      const base = this.slot(b) * FIELDS;
      out.mentions += s[base + Field.Mentions]!;
      out.weight += s[base + Field.Weight]!;
      out.negative += s[base + Field.Negative]!;
      out.negativeIntensity += s[base + Field.NegativeIntensity]!;
      out.positive += s[base + Field.Positive]!;
    }
    return out;
  }

  /** Estimates distinct authors and texts over buckets first..last into `out` (costlier than `sum`). */
  distinct(first: number, last: number, out: WindowSums, scratch: Uint8Array, offsets: number[]): WindowSums {
    offsets.length = 0;
    for (let b = first; b <= last; b++) offsets.push(this.slot(b) * 2 * HLL_REGISTERS);
    hllMergeInto(scratch, this.sketches, offsets);
    out.authors = Math.min(out.mentions, Math.round(hllEstimate(scratch)));
    for (let i = 0; i < offsets.length; i++) offsets[i]! += HLL_REGISTERS;
    hllMergeInto(scratch, this.sketches, offsets);
    out.texts = Math.min(out.mentions, Math.round(hllEstimate(scratch)));
    return out;
  }
}
