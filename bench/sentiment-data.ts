/**
 * The labelled tweet sets under ../shared/data/sentiment, read by path (never copied), and the
 * figures computed on them. Shared by the trainer (train-sentiment.ts) and the evaluation
 * (eval-sentiment.ts), so both see the same rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SentimentLabel, SentimentScorer } from '../src/detect/sentiment/types.js';
import { parseCsvRecords } from './csv.js';
import { REPO_ROOT } from './eval-nab.js';

export interface Example {
  readonly text: string;
  readonly label: SentimentLabel;
}

export interface DataSet {
  readonly name: string;
  /** Primary language subtag of every text. */
  readonly lang: string;
  readonly examples: readonly Example[];
  readonly note: string;
}

export const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** ../shared/data/sentiment from the repository root, as the other evaluations resolve their data. */
export const DEFAULT_DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'sentiment');

/** UMSAB (XLM-T) folder of each language. */
export const UMSAB_FOLDERS: Readonly<Record<string, string>> = { en: 'english', fr: 'french', es: 'spanish', de: 'german', it: 'italian', pt: 'portuguese' };
export const UMSAB_LANGUAGES: readonly string[] = Object.keys(UMSAB_FOLDERS);

function asLabel(raw: string): SentimentLabel | undefined {
  const s = raw.trim().toLowerCase();
  return s === 'negative' || s === 'neutral' || s === 'positive' ? s : undefined;
}

/** One UMSAB split (labels 0 negative, 1 neutral, 2 positive), or undefined when absent. */
export function loadUmsab(dir: string, lang: string, split: 'train' | 'val' | 'test'): DataSet | undefined {
  const folder = join(dir, 'umsab_xlmt', UMSAB_FOLDERS[lang] ?? lang);
  const textFile = join(folder, `${split}_text.txt`);
  if (!existsSync(textFile)) return undefined;
  const texts = readFileSync(textFile, 'utf8').split('\n');
  const labels = readFileSync(join(folder, `${split}_labels.txt`), 'utf8').split('\n');
  const byCode: Record<string, SentimentLabel> = { '0': 'negative', '1': 'neutral', '2': 'positive' };
  const examples: Example[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = byCode[(labels[i] ?? '').trim()];
    if (label !== undefined) examples.push({ text: texts[i] ?? '', label });
  }
  return { name: `umsab-${lang}-${split}`, lang, examples, note: `UMSAB (XLM-T) ${UMSAB_FOLDERS[lang] ?? lang} ${split} split` };
}

/** The Sanders corpus without its 'irrelevant' rows (mostly not English, or off-topic). */
export function loadSanders(dir: string): DataSet | undefined {
  const file = join(dir, 'sanders', 'full-corpus.csv');
  if (!existsSync(file)) return undefined;
  const examples: Example[] = [];
  let dropped = 0;
  for (const r of parseCsvRecords(readFileSync(file, 'utf8'))) {
    const label = asLabel(r['Sentiment'] ?? '');
    if (label !== undefined) examples.push({ text: r['TweetText'] ?? '', label });
    else dropped++;
  }
  return { name: 'sanders', lang: 'en', examples, note: `Sanders corpus, ${dropped} 'irrelevant' rows dropped` };
}

/** Twitter US Airline Sentiment: non-commercial licence, so evaluation only, never training. */
export function loadAirline(dir: string): DataSet | undefined {
  const file = join(dir, 'airline_tweets', 'Tweets.csv');
  if (!existsSync(file)) return undefined;
  const examples: Example[] = [];
  for (const r of parseCsvRecords(readFileSync(file, 'utf8'))) {
    const label = asLabel(r['airline_sentiment'] ?? '');
    if (label !== undefined) examples.push({ text: r['text'] ?? '', label });
  }
  return { name: 'airline', lang: 'en', examples, note: 'Twitter US Airline Sentiment, all rows (never trained on)' };
}

export interface Metrics {
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly negativeRecall: number;
  readonly negativePrecision: number;
  /** Share of texts labelled negative. */
  readonly negativeShare: number;
  readonly confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

export function metrics(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): Metrics {
  const confusion = Object.fromEntries(LABELS.map((g) => [g, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Metrics['confusion'];
  let correct = 0;
  let negative = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i] as SentimentLabel;
    const p = predicted[i] as SentimentLabel;
    confusion[g][p]++;
    if (g === p) correct++;
    if (p === 'negative') negative++;
  }
  const prf = (c: SentimentLabel): { p: number; r: number; f: number } => {
    const tp = confusion[c][c];
    const predictedC = LABELS.reduce((s, g) => s + confusion[g][c], 0);
    const goldC = LABELS.reduce((s, p) => s + confusion[c][p], 0);
    const p = predictedC === 0 ? 0 : tp / predictedC;
    const r = goldC === 0 ? 0 : tp / goldC;
    return { p, r, f: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
  };
  const neg = prf('negative');
  return {
    n: gold.length,
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: LABELS.reduce((s, c) => s + prf(c).f, 0) / LABELS.length,
    negativeRecall: neg.r,
    negativePrecision: neg.p,
    negativeShare: gold.length === 0 ? 0 : negative / gold.length,
    confusion,
  };
}

/** Labels `scorer` gives the texts of `set`. */
export function labelsOf(scorer: SentimentScorer, set: DataSet): SentimentLabel[] {
  return set.examples.map((e) => scorer.score(e.text, set.lang).label);
}

export function evaluate(scorer: SentimentScorer, set: DataSet): Metrics {
  return metrics(set.examples.map((e) => e.label), labelsOf(scorer, set));
}
