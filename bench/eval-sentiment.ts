/**
 * Sentiment quality and throughput: stormwatch's scorer against the plain `sentiment` package on
 * labelled tweet sets. Usage:
 *   npm run eval:sentiment -- [--data <dir>] [--json <file>] [--reps <n>] [--set <name>]
 * <dir> (default /work/shared/data/sentiment) may hold any of:
 *   airline_tweets/Tweets.csv        column airline_sentiment, text
 *   sanders/full-corpus.csv          column Sentiment, TweetText ('irrelevant' rows dropped)
 *   umsab_xlmt/german/test_text.txt + test_labels.txt (0 negative, 1 neutral, 2 positive)
 * Data is read from <dir>, never copied. Throughput runs on this thread only (one core).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arch, cpus, platform } from 'node:os';
import { execSync } from 'node:child_process';
import Sentiment from 'sentiment';
import { createSentimentScorer, DEFAULT_NEUTRAL_BAND, DEFAULT_POSITIVE_BAND } from '../src/detect/sentiment/scorer.js';
import type { SentimentLabel } from '../src/detect/sentiment/types.js';
import { parseCsvRecords } from './csv.js';
import { buildPack } from '../src/detect/sentiment/language-pack.js';
import { EMOJI, TokenBuffer, WORD, tokenize } from '../src/detect/sentiment/tokenizer.js';
import { en as enSource } from '../src/detect/sentiment/lexicons/en.js';
import { de as deSource } from '../src/detect/sentiment/lexicons/de.js';

interface Example {
  readonly text: string;
  readonly label: SentimentLabel;
}

interface DataSet {
  readonly name: string;
  readonly lang: string;
  readonly examples: readonly Example[];
  readonly note: string;
}

interface Metrics {
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly negativeRecall: number;
  readonly negativePrecision: number;
  readonly textsPerSecond: number;
  readonly confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

function parseArgs(argv: readonly string[]): { data: string; json?: string; reps: number; only?: string; band: number; posBand: number; analyse: number } {
  let data = '/work/shared/data/sentiment';
  let json: string | undefined;
  let only: string | undefined;
  let reps = 7;
  let band = DEFAULT_NEUTRAL_BAND;
  let analyse = 0;
  let posBand = DEFAULT_POSITIVE_BAND;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--data' && v !== undefined) (data = v), i++;
    else if (a === '--json' && v !== undefined) (json = v), i++;
    else if (a === '--reps' && v !== undefined) (reps = Math.max(1, Number(v) | 0)), i++;
    else if (a === '--set' && v !== undefined) (only = v), i++;
    else if (a === '--band' && v !== undefined) (band = Number(v)), i++;
    else if (a === '--pos-band' && v !== undefined) (posBand = Number(v)), i++;
    else if (a === '--analyse' && v !== undefined) (analyse = Math.max(0, Number(v) | 0)), i++;
    else if (a === '--help' || a === '-h') {
      console.log('usage: eval-sentiment [--data <dir>] [--json <file>] [--reps <n>] [--set airline|sanders|german] [--band <neutral band>] [--pos-band <positive band>] [--analyse <top n>]');
      console.log('  --analyse n: confusion matrix, and per error cell the n lexicon entries and rule features that');
      console.log('               fire most often (aggregate counts only; no texts are printed)');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return { data, reps, band, posBand, analyse, ...(json !== undefined ? { json } : {}), ...(only !== undefined ? { only } : {}) };
}

function asLabel(raw: string): SentimentLabel | undefined {
  const s = raw.trim().toLowerCase();
  return s === 'negative' || s === 'neutral' || s === 'positive' ? s : undefined;
}

function loadSets(dir: string): DataSet[] {
  const sets: DataSet[] = [];
  const airline = join(dir, 'airline_tweets', 'Tweets.csv');
  if (existsSync(airline)) {
    const examples: Example[] = [];
    for (const r of parseCsvRecords(readFileSync(airline, 'utf8'))) {
      const label = asLabel(r['airline_sentiment'] ?? '');
      if (label !== undefined) examples.push({ text: r['text'] ?? '', label });
    }
    sets.push({ name: 'airline', lang: 'en', examples, note: 'Twitter US Airline Sentiment, all rows' });
  }
  const sanders = join(dir, 'sanders', 'full-corpus.csv');
  if (existsSync(sanders)) {
    const examples: Example[] = [];
    let dropped = 0;
    for (const r of parseCsvRecords(readFileSync(sanders, 'utf8'))) {
      const label = asLabel(r['Sentiment'] ?? '');
      if (label !== undefined) examples.push({ text: r['TweetText'] ?? '', label });
      else dropped++;
    }
    sets.push({ name: 'sanders', lang: 'en', examples, note: `Sanders corpus, ${dropped} 'irrelevant' rows dropped` });
  }
  const german = join(dir, 'umsab_xlmt', 'german');
  if (existsSync(join(german, 'test_text.txt'))) {
    const texts = readFileSync(join(german, 'test_text.txt'), 'utf8').split('\n');
    const labels = readFileSync(join(german, 'test_labels.txt'), 'utf8').split('\n');
    const byCode: Record<string, SentimentLabel> = { '0': 'negative', '1': 'neutral', '2': 'positive' };
    const examples: Example[] = [];
    for (let i = 0; i < labels.length; i++) {
      const label = byCode[(labels[i] ?? '').trim()];
      if (label !== undefined) examples.push({ text: texts[i] ?? '', label });
    }
    if (examples.length !== texts.filter((t, i) => t !== '' || i < labels.length).length) {
      console.warn(`german: ${texts.length} texts vs ${labels.length} labels`);
    }
    sets.push({ name: 'german', lang: 'de', examples, note: 'UMSAB (XLM-T) German test split, labels 0/1/2 = neg/neu/pos' });
  }
  return sets;
}

function metrics(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[], textsPerSecond: number): Metrics {
  const confusion = Object.fromEntries(LABELS.map((g) => [g, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Metrics['confusion'];
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i] as SentimentLabel;
    const p = predicted[i] as SentimentLabel;
    confusion[g][p]++;
    if (g === p) correct++;
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
    accuracy: correct / gold.length,
    macroF1: LABELS.reduce((s, c) => s + prf(c).f, 0) / LABELS.length,
    negativeRecall: neg.r,
    negativePrecision: neg.p,
    textsPerSecond,
    confusion,
  };
}

/** Median texts/s over `reps` timed passes (after one warm-up pass), single thread. */
function throughput(texts: readonly string[], reps: number, run: (t: string) => unknown): number {
  const passes = Math.max(1, Math.ceil(20_000 / texts.length));
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r <= reps; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < passes; k++) for (const t of texts) if (run(t) !== undefined) sink++;
    const ns = Number(process.hrtime.bigint() - t0);
    if (r > 0) rates.push((passes * texts.length) / (ns / 1e9));
  }
  if (sink < 0) console.log(sink);
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] as number;
}

/**
 * Aggregate error analysis: which lexicon entries (words, phrases) and which rule features fire in
 * the texts of each (gold, predicted) cell. Prints counts only, never a text.
 */
function analyse(set: DataSet, predicted: readonly SentimentLabel[], top: number, m: Metrics): void {
  const pack = set.lang === 'de' ? buildPack(deSource, undefined, buildPack(enSource, undefined, undefined)) : buildPack(enSource, undefined, undefined);
  const buf = new TokenBuffer();
  const cells = new Map<string, { n: number; zero: number; entries: Map<string, number>; features: Map<string, number> }>();
  const entryGold = new Map<string, Record<SentimentLabel, number>>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  set.examples.forEach((e, idx) => {
    const p = predicted[idx] as SentimentLabel;
    const key = `${e.label}->${p}`;
    let cell = cells.get(key);
    if (cell === undefined) cells.set(key, (cell = { n: 0, zero: 0, entries: new Map(), features: new Map() }));
    cell.n++;
    tokenize(e.text, buf);
    const seen = new Set<string>();
    const feats = new Set<string>();
    if (e.text.includes('?')) feats.add('question-mark');
    if (buf.exclamations > 0) feats.add('exclamation');
    if (buf.capsWords > 0 && buf.capsWords < buf.letterWords) feats.add('caps-word');
    let valenced = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf.kinds[i] === EMOJI) {
        feats.add((buf.values[i] as number) > 0 ? 'emoji+' : 'emoji-');
        valenced++;
        continue;
      }
      if (buf.kinds[i] !== WORD) continue;
      const w = buf.words[i] as string;
      if (pack.negators.has(w)) feats.add('negator');
      if (pack.contrasts.has(w)) feats.add('contrast');
      if (pack.irrealis.has(w)) feats.add('irrealis');
      if (pack.boosters.has(w)) feats.add('booster');
      const list = pack.phrases.get(w) ?? pack.fallback?.phrases.get(w);
      let matched = false;
      if (list !== undefined) {
        for (const ph of list) {
          if (ph.rest.every((r, k) => buf.kinds[i + 1 + k] === WORD && buf.words[i + 1 + k] === r)) {
            seen.add(`"${[w, ...ph.rest].join(' ')}" ${ph.value}`);
            i += ph.rest.length;
            matched = true;
            if (ph.value !== 0) valenced++;
            break;
          }
        }
      }
      if (matched) continue;
      const v = pack.words.get(w) ?? (pack.fallback !== undefined && !(pack.fallbackStop?.has(w) ?? false) ? pack.fallback.words.get(w) : undefined);
      if (v !== undefined && v !== 0) {
        seen.add(`${w} ${v}`);
        valenced++;
      }
    }
    if (valenced === 0) feats.add('no-valenced-token');
    for (const k of seen) {
      bump(cell.entries, k);
      let g = entryGold.get(k);
      if (g === undefined) entryGold.set(k, (g = { negative: 0, neutral: 0, positive: 0 }));
      g[e.label]++;
    }
    for (const f of feats) bump(cell.features, f);
  });
  console.log(`  confusion (rows gold, columns predicted):           negative   neutral  positive`);
  for (const g of LABELS) console.log(`    ${g.padEnd(48)}${LABELS.map((p) => String(m.confusion[g][p]).padStart(10)).join('')}`);
  for (const g of LABELS) {
    for (const p of LABELS) {
      if (g === p) continue;
      const cell = cells.get(`${g}->${p}`);
      if (cell === undefined) continue;
      const fmt = (mm: Map<string, number>): string =>
        [...mm].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => {
          const gd = entryGold.get(k);
          const dist = gd === undefined ? '' : ` [${gd.negative}/${gd.neutral}/${gd.positive}]`;
          return `${k} ×${c}${dist}`;
        }).join(', ');
      console.log(`  gold ${g} → ${p}: ${cell.n}`);
      console.log(`    features: ${fmt(cell.features)}`);
      console.log(`    entries (count here [texts with it gold neg/neu/pos]): ${fmt(cell.entries)}`);
    }
  }
}

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5) + '%';
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const sets = loadSets(args.data).filter((s) => args.only === undefined || s.name === args.only);
  if (sets.length === 0) {
    console.error(`no labelled sets found under ${args.data}`);
    process.exitCode = 2;
    return;
  }
  const ours = createSentimentScorer({ neutralBand: args.band, positiveBand: args.posBand });
  const plain = new Sentiment();
  // Plain sentiment: comparative (score / tokens) with the same neutral band idea: 0 → neutral.
  const plainLabel = (t: string): SentimentLabel => {
    const s = plain.analyze(t).score;
    return s < 0 ? 'negative' : s > 0 ? 'positive' : 'neutral';
  };
  let sha = 'unknown';
  try {
    sha = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  const env = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    platform: `${platform()}-${arch()}`,
    git: sha,
    date: new Date().toISOString(),
  };
  console.log(`stormwatch sentiment evaluation  (${env.node}, ${env.cpu}, ${env.platform}, git ${env.git})`);
  console.log(`labels: ours negative iff score <= -${args.band}, positive iff score >= ${Math.max(args.band, args.posBand)}; plain sentiment neutral iff score == 0`);
  console.log(`throughput: median of ${args.reps} passes, single thread, texts of the set itself\n`);
  const results: Record<string, { note: string; lang: string; ours: Metrics; plain: Metrics }> = {};
  for (const set of sets) {
    const texts = set.examples.map((e) => e.text);
    const gold = set.examples.map((e) => e.label);
    const oursPred = texts.map((t) => ours.score(t, set.lang).label);
    const plainPred = texts.map(plainLabel);
    const oursRate = throughput(texts, args.reps, (t) => ours.score(t, set.lang));
    const plainRate = throughput(texts, args.reps, (t) => plain.analyze(t));
    const o = metrics(gold, oursPred, oursRate);
    const p = metrics(gold, plainPred, plainRate);
    results[set.name] = { note: set.note, lang: set.lang, ours: o, plain: p };
    console.log(`${set.name} (lang ${set.lang}, n=${set.examples.length}): ${set.note}`);
    console.log('  scorer      accuracy  macro-F1  neg-recall  neg-precision  texts/s/core');
    for (const [name, m] of [['stormwatch', o], ['sentiment', p]] as const) {
      console.log(
        `  ${name.padEnd(10)}  ${pct(m.accuracy)}    ${m.macroF1.toFixed(3)}    ${pct(m.negativeRecall)}      ${pct(m.negativePrecision)}     ${Math.round(m.textsPerSecond).toLocaleString('en-US').padStart(9)}`,
      );
    }
    if (args.analyse > 0) analyse(set, oursPred, args.analyse, o);
    console.log('');
  }
  if (args.json !== undefined) {
    writeFileSync(args.json, JSON.stringify({ env, neutralBand: args.band, positiveBand: args.posBand, sets: results }, null, 2) + '\n');
    console.log(`figures written to ${args.json}`);
  }
}

main();
