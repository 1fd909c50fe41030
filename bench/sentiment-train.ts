/**
 * Training of the sentiment model (src/detect/sentiment/model.ts): featurise labelled sets, fit a
 * multinomial logistic regression with AdaGrad in a seeded order, quantise the hashed weights to
 * int8, calibrate the label bands on val, and render the weights module. Deterministic: the same
 * data, hyper-parameters and seed give the same bytes.
 */
import { createLexicon } from '../src/detect/sentiment/lexicon.js';
import { DENSE_COUNT, DENSE_FEATURES, Features, extractFeatures } from '../src/detect/sentiment/features.js';
import { CLASSES, logits, softmax, type ModelSource } from '../src/detect/sentiment/model.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { TokenBuffer, tokenize } from '../src/detect/sentiment/tokenizer.js';
import { Rng } from '../src/sources/simulator/prng.js';
import type { SentimentLabel } from '../src/detect/sentiment/types.js';
import { fileURLToPath } from 'node:url';
import { LABELS, UMSAB_LANGUAGES, loadSanders, loadUmsab, metrics, type DataSet } from './sentiment-data.js';

export interface Hyper {
  /** log2 of the hash table size. */
  readonly hashBits: number;
  readonly epochs: number;
  /** AdaGrad base step. */
  readonly rate: number;
  /** L2 penalty, applied to the weights an example touches. */
  readonly l2: number;
}

/** Chosen on the val splits with `npm run train:sentiment -- --search` (docs/sentiment.md). */
export const CHOSEN: Hyper = { hashBits: 16, epochs: 12, rate: 0.05, l2: 1e-5 };
export const SEED = 20_261_201;

interface Encoded {
  readonly buckets: Int32Array;
  readonly dense: Float64Array;
  readonly slot: number;
  readonly label: number;
}

/** Features of every example of `sets`, for a model over `languages` with 2^hashBits buckets. */
export function featurise(sets: readonly DataSet[], languages: readonly string[], hashBits: number): Encoded[] {
  const lexicon = createLexicon();
  const buf = new TokenBuffer();
  const f = new Features();
  const mask = (1 << hashBits) - 1;
  const out: Encoded[] = [];
  for (const set of sets) {
    const slot = languages.indexOf(set.lang) + 1;
    if (slot === 0) throw new Error(`${set.name}: language ${set.lang} has no model slot`);
    for (const e of set.examples) {
      tokenize(e.text, buf);
      extractFeatures(buf, lexicon.sumOwn(buf, set.lang), mask, f);
      out.push({ buckets: f.hashed.slice(0, f.hashedCount), dense: f.dense.slice(), slot, label: LABELS.indexOf(e.label) });
    }
  }
  return out;
}

export interface FloatWeights {
  readonly hashed: Float64Array;
  readonly dense: Float64Array;
  readonly hashScale: 1;
}

export function train(data: readonly Encoded[], languages: readonly string[], hyper: Hyper, seed: number): FloatWeights {
  const hashed = new Float64Array(CLASSES << hyper.hashBits);
  const dense = new Float64Array((languages.length + 1) * DENSE_COUNT * CLASSES);
  const hashedSq = new Float64Array(hashed.length);
  const denseSq = new Float64Array(dense.length);
  const w: FloatWeights = { hashed, dense, hashScale: 1 };
  const f = new Features();
  const z = new Float64Array(CLASSES);
  const g = new Float64Array(CLASSES);
  const order = data.map((_, i) => i);
  const rng = new Rng(seed);
  const { rate, l2 } = hyper;
  const step = (weights: Float64Array, squares: Float64Array, j: number, grad: number): void => {
    const gr = grad + l2 * (weights[j] as number);
    squares[j] = (squares[j] as number) + gr * gr;
    weights[j] = (weights[j] as number) - (rate * gr) / (Math.sqrt(squares[j] as number) + 1e-9);
  };
  for (let epoch = 0; epoch < hyper.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const k = rng.int(i + 1);
      const t = order[i] as number;
      order[i] = order[k] as number;
      order[k] = t;
    }
    for (const idx of order) {
      const e = data[idx] as Encoded;
      f.hashed = e.buckets;
      f.hashedCount = e.buckets.length;
      f.dense.set(e.dense);
      logits(w, f, e.slot, z);
      softmax(z);
      for (let c = 0; c < CLASSES; c++) g[c] = (z[c] as number) - (c === e.label ? 1 : 0);
      const v = e.buckets.length === 0 ? 0 : 1 / Math.sqrt(e.buckets.length);
      for (const b of e.buckets) for (let c = 0; c < CLASSES; c++) step(hashed, hashedSq, b * CLASSES + c, (g[c] as number) * v);
      const lang = e.slot * DENSE_COUNT * CLASSES;
      for (let d = 0; d < DENSE_COUNT; d++) {
        const x = e.dense[d] as number;
        if (x === 0) continue;
        for (let c = 0; c < CLASSES; c++) {
          step(dense, denseSq, d * CLASSES + c, (g[c] as number) * x);
          step(dense, denseSq, lang + d * CLASSES + c, (g[c] as number) * x);
        }
      }
    }
  }
  return w;
}

function base64Float32(values: Float64Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] as number, 4 * i);
  return bytes.toString('base64');
}

/** int8 hashed weights (scale = largest |weight| / 127), float32 dense weights; bands to be calibrated. */
export function quantise(w: FloatWeights, languages: readonly string[], hashBits: number): ModelSource {
  let max = 0;
  for (const x of w.hashed) max = Math.max(max, Math.abs(x));
  const scale = Math.fround(max === 0 ? 1 : max / 127);
  const q = new Int8Array(w.hashed.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.round((w.hashed[i] as number) / scale);
  return {
    format: 1,
    languages,
    dense: [...DENSE_FEATURES],
    hashBits,
    hashScale: scale,
    negativeBand: 0,
    positiveBand: 0,
    denseWeights: base64Float32(w.dense),
    hashedWeights: Buffer.from(q.buffer).toString('base64'),
  };
}

/** The label bands of the calibration grid: 0, 0.02, … 0.6. */
const BAND_GRID = Array.from({ length: 31 }, (_, i) => i / 50);

export interface Calibrated {
  readonly negativeBand: number;
  readonly positiveBand: number;
  /** Mean over the sets of their macro-F1 with these bands. */
  readonly meanMacroF1: number;
}

/** The bands that maximise the mean macro-F1 of the model over `sets` (the val splits, every language by the model), first best in grid order. */
export function calibrate(source: ModelSource, sets: readonly DataSet[]): Calibrated {
  const scorer = createSentimentScorer({ model: source, lexiconLanguages: [] });
  const scored = sets.map((s) => ({ gold: s.examples.map((e) => e.label), scores: s.examples.map((e) => scorer.score(e.text, s.lang).score) }));
  let best: Calibrated = { negativeBand: 0, positiveBand: 0, meanMacroF1: -1 };
  for (const negativeBand of BAND_GRID) {
    for (const positiveBand of BAND_GRID) {
      let sum = 0;
      for (const s of scored) {
        const predicted = s.scores.map((x): SentimentLabel => (x < 0 && x <= -negativeBand ? 'negative' : x > 0 && x >= positiveBand ? 'positive' : 'neutral'));
        sum += metrics(s.gold, predicted).macroF1;
      }
      const mean = sum / scored.length;
      if (mean > best.meanMacroF1) best = { negativeBand, positiveBand, meanMacroF1: mean };
    }
  }
  return best;
}

/** Trains, quantises and calibrates one model: what `train:sentiment` ships and what the evaluation retrains. */
export function buildModel(trainSets: readonly DataSet[], valSets: readonly DataSet[], languages: readonly string[], hyper: Hyper, seed: number): { source: ModelSource; calibrated: Calibrated } {
  const weights = train(featurise(trainSets, languages, hyper.hashBits), languages, hyper, seed);
  const raw = quantise(weights, languages, hyper.hashBits);
  const calibrated = calibrate(raw, valSets);
  return { source: { ...raw, negativeBand: calibrated.negativeBand, positiveBand: calibrated.positiveBand }, calibrated };
}

const CHUNK = 8192;

/** The weights module's text: a header comment with what made it, then the model. */
export function renderModule(source: ModelSource, header: readonly string[]): string {
  const chunks = (s: string): string => {
    const parts: string[] = [];
    for (let i = 0; i < s.length; i += CHUNK) parts.push(`    '${s.slice(i, i + CHUNK)}',`);
    return `[\n${parts.join('\n')}\n  ].join('')`;
  };
  return [
    ...header.map((l) => `// ${l}`.trimEnd()),
    "import type { ModelSource } from './model.js';",
    '',
    'export const sentimentModel: ModelSource = {',
    '  format: 1,',
    `  languages: ${JSON.stringify(source.languages)},`,
    `  dense: ${JSON.stringify(source.dense)},`,
    `  hashBits: ${source.hashBits},`,
    `  hashScale: ${source.hashScale},`,
    `  negativeBand: ${source.negativeBand},`,
    `  positiveBand: ${source.positiveBand},`,
    `  denseWeights: ${chunks(source.denseWeights)},`,
    `  hashedWeights: ${chunks(source.hashedWeights)},`,
    '};',
    '',
  ].join('\n');
}

export const WEIGHTS_FILE = fileURLToPath(new URL('../../src/detect/sentiment/model-weights.ts', import.meta.url));

function required(set: DataSet | undefined, what: string): DataSet {
  if (set === undefined) throw new Error(`missing ${what} (is ../shared/data/sentiment there?)`);
  return set;
}

/** The shipped model's training and calibration sets. */
export function shippedSets(dir: string): { train: DataSet[]; val: DataSet[] } {
  return {
    train: [...UMSAB_LANGUAGES.map((l) => required(loadUmsab(dir, l, 'train'), `UMSAB ${l} train`)), required(loadSanders(dir), 'Sanders')],
    val: UMSAB_LANGUAGES.map((l) => required(loadUmsab(dir, l, 'val'), `UMSAB ${l} val`)),
  };
}

/** The weights module text a fresh run produces from the data in `dir`. */
export function freshModule(dir: string, hyper: Hyper = CHOSEN): string {
  const { train, val } = shippedSets(dir);
  const { source, calibrated } = buildModel(train, val, UMSAB_LANGUAGES, hyper, SEED);
  return renderModule(source, [
    'Written by `npm run train:sentiment` (bench/train-sentiment.ts): do not edit. Model card: docs/sentiment.md.',
    `Trained on ${train.map((s) => `${s.name} (${s.examples.length})`).join(', ')};`,
    `hyper-parameters ${JSON.stringify(hyper)}, seed ${SEED}; bands calibrated on ${val.map((s) => s.name).join(', ')}:`,
    `mean val macro-F1 ${calibrated.meanMacroF1.toFixed(4)}.`,
  ]);
}

