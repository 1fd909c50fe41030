import { DENSE_COUNT, DENSE_FEATURES, type Features } from './features.js';

/**
 * A multinomial logistic regression over {@link Features}: three classes (negative, neutral,
 * positive). Dense features have one weight per class shared by all languages (slot 0) plus one
 * per class and model language (slot 1 + its index); hashed features have one weight per class,
 * shared. The shipped model is `model-weights.ts`, written by `npm run train:sentiment`.
 */

export const CLASSES = 3;
export const NEGATIVE = 0;
export const NEUTRAL = 1;
export const POSITIVE = 2;

/** The model as a module holds it: weights as base64, so it loads through a static import. */
export interface ModelSource {
  readonly format: 1;
  /** Languages with their own dense weights (slots 1..n), primary subtags. */
  readonly languages: readonly string[];
  /** Names of the dense features, as in features.ts when the model was trained. */
  readonly dense: readonly string[];
  readonly hashBits: number;
  /** A hashed weight is its int8 value × hashScale. */
  readonly hashScale: number;
  /** Label bands on score = p(positive) − p(negative), calibrated on the val splits. */
  readonly negativeBand: number;
  readonly positiveBand: number;
  /** Little-endian float32, [slot][dense feature][class]. */
  readonly denseWeights: string;
  /** int8, [bucket][class]. */
  readonly hashedWeights: string;
}

/** Weights in the layout {@link logits} reads: the loaded model, or a model being trained. */
export interface Weights {
  readonly hashed: ArrayLike<number>;
  readonly hashScale: number;
  readonly dense: ArrayLike<number>;
}

export interface Model extends Weights {
  /** int8 weights: sums of them are exact in any order (model-logits.ts relies on it). */
  readonly hashed: Int8Array;
  readonly languages: readonly string[];
  readonly mask: number;
  readonly negativeBand: number;
  readonly positiveBand: number;
  /** Bytes held by the weight arrays. */
  readonly bytes: number;
}

export function loadModel(source: ModelSource): Model {
  if (source.format !== 1) throw new Error(`sentiment model format ${String(source.format)} is not supported`);
  if (source.dense.join(',') !== DENSE_FEATURES.join(',')) throw new Error('sentiment model was trained on other dense features; retrain it');
  const hashedBytes = Buffer.from(source.hashedWeights, 'base64');
  const denseBytes = Buffer.from(source.denseWeights, 'base64');
  const hashed = new Int8Array(hashedBytes.buffer, hashedBytes.byteOffset, hashedBytes.length);
  const slots = source.languages.length + 1;
  if (hashed.length !== CLASSES << source.hashBits || denseBytes.length !== slots * DENSE_COUNT * CLASSES * 4) {
    throw new Error('sentiment model weights do not match their header');
  }
  const dense = new Float32Array(slots * DENSE_COUNT * CLASSES);
  for (let i = 0; i < dense.length; i++) dense[i] = denseBytes.readFloatLE(4 * i);
  return {
    languages: source.languages,
    mask: (1 << source.hashBits) - 1,
    hashed,
    hashScale: source.hashScale,
    dense,
    negativeBand: source.negativeBand,
    positiveBand: source.positiveBand,
    bytes: hashed.byteLength + dense.byteLength,
  };
}

/**
 * Class scores of `f` into `out` (length 3): dense features with the shared slot and, when
 * `slot` > 0, that language's slot; hashed features scaled by 1/√count, so long texts do not
 * outvote short ones.
 */
export function logits(w: Weights, f: Features, slot: number, out: Float64Array): void {
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  const hashed = w.hashed;
  const count = f.hashedCount;
  for (let i = 0; i < count; i++) {
    const j = (f.hashed[i] as number) * CLASSES;
    z0 += hashed[j] as number;
    z1 += hashed[j + 1] as number;
    z2 += hashed[j + 2] as number;
  }
  logitsFromSums(w, z0, z1, z2, count, f.dense, slot, out);
}

/**
 * {@link logits} from the hashed weights already summed per class (`z0`..`z2`, over `count`
 * buckets) and the dense features `d`.
 */
export function logitsFromSums(w: Weights, z0: number, z1: number, z2: number, count: number, d: Float64Array, slot: number, out: Float64Array): void {
  const h = count === 0 ? 0 : w.hashScale / Math.sqrt(count);
  z0 *= h;
  z1 *= h;
  z2 *= h;
  const dense = w.dense;
  const lang = slot * DENSE_COUNT * CLASSES;
  for (let k = 0; k < DENSE_COUNT; k++) {
    const v = d[k] as number;
    if (v === 0) continue;
    const j = k * CLASSES;
    z0 += v * ((dense[j] as number) + (slot > 0 ? (dense[lang + j] as number) : 0));
    z1 += v * ((dense[j + 1] as number) + (slot > 0 ? (dense[lang + j + 1] as number) : 0));
    z2 += v * ((dense[j + 2] as number) + (slot > 0 ? (dense[lang + j + 2] as number) : 0));
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
}

/** Softmax of `z` in place. */
export function softmax(z: Float64Array): void {
  const m = Math.max(z[0] as number, z[1] as number, z[2] as number);
  const e0 = Math.exp((z[0] as number) - m);
  const e1 = Math.exp((z[1] as number) - m);
  const e2 = Math.exp((z[2] as number) - m);
  const s = e0 + e1 + e2;
  z[0] = e0 / s;
  z[1] = e1 / s;
  z[2] = e2 / s;
}
