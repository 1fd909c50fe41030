/**
 * Small, fast, seeded randomness for the simulator: no Math.random, so one seed gives one stream.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) passes PractRand to large sizes and
 * needs only 32-bit integer ops; `hash32` gives per-entity values (an author's follower count)
 * without keeping state per entity.
 */
import { fmix32 } from '../../util/hash.js';

/** A seeded source of uniform numbers in [0, 1) plus the distributions the simulator draws from. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = Number.NaN;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88 ^ stream;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm up so nearby seeds diverge.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.c = (rotated + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in (0, 1]: safe under a logarithm. */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. The array must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Exponential with the given rate (events per unit): the gap of a Poisson process. */
  exponential(rate: number): number {
    return -Math.log(this.nextOpen()) / rate;
  }

  /** Standard normal (Marsaglia polar method, second value kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** Log-normal with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Stateless hash of up to four integers to a 32-bit unsigned integer. */
export function hash32(a: number, b = 0, c = 0, d = 0): number {
  let h = fmix32((a ^ 0x5bd1e995) >>> 0);
  h = fmix32((h ^ Math.imul(b | 0, 0xcc9e2d51)) >>> 0);
  h = fmix32((h ^ Math.imul(c | 0, 0x1b873593)) >>> 0);
  h = fmix32((h ^ Math.imul(d | 0, 0xe6546b64)) >>> 0);
  return h;
}

/** Stateless uniform in [0, 1) from up to four integers. */
export function hashUnit(a: number, b = 0, c = 0, d = 0): number {
  return hash32(a, b, c, d) / 4294967296;
}

/** FNV-1a of a string: turns brand keys and topic names into integers for hashing. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Walker/Vose alias table: draws index i with probability weights[i] / sum in O(1), however many
 * weights (10 000 brand keys in the benchmarks).
 */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;
  readonly size: number;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    const sum = weights.reduce((acc, w) => acc + w, 0);
    if (!(sum > 0)) throw new Error('AliasTable needs a positive total weight');
    this.size = n;
    this.probability = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / sum);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.probability[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      (scaled[l] as number) < 1 ? small.push(l) : large.push(l);
    }
    for (const i of large) this.probability[i] = 1;
    for (const i of small) this.probability[i] = 1;
  }

  /** Draws an index using one uniform number in [0, 1). */
  sample(u: number): number {
    const scaled = u * this.size;
    const i = Math.floor(scaled);
    const fraction = scaled - i;
    return fraction < (this.probability[i] as number) ? i : (this.alias[i] as number);
  }
}

/** Picks from a small weighted list using a cumulative scan. */
export class WeightedChoice<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const positive = entries.filter(([, w]) => w > 0);
    if (positive.length === 0) throw new Error('WeightedChoice needs a positive weight');
    this.items = positive.map(([item]) => item);
    this.cumulative = new Float64Array(positive.length);
    const total = positive.reduce((acc, [, w]) => acc + w, 0);
    let running = 0;
    positive.forEach(([, w], i) => {
      running += w / total;
      this.cumulative[i] = running;
    });
    this.cumulative[positive.length - 1] = 1;
  }

  sample(u: number): T {
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length; i++) if (u < (cumulative[i] as number)) return this.items[i] as T;
    return this.items[this.items.length - 1] as T;
  }
}
