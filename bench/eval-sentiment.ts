/**
 * Sentiment quality and throughput, in one run: the shipped scorer (trained model + lexicon), the
 * lexicon scorer alone (the scorer before the model) and the plain `sentiment` package. Usage:
 *   npm run eval:sentiment -- [--data <dir>] [--json <file>] [--reps <n>] [--set <name>] [--analyse <n>]
 * Sets (read from <dir>, default ../shared/data/sentiment, never copied):
 *   umsab-<lang>-val  UMSAB val splits (en fr es de it pt): not trained on; the model's label bands,
 *                     hyper-parameters and the routing of English to the lexicon were chosen on
 *                     them, so they are the in-sample side.
 *   umsab-de-test     the German test split: never used for any choice.
 *   sanders           cross-dataset: the shipped scorer (English: the lexicon), a model trained here
 *                     without Sanders (same recipe) and the shipped model's in-sample figure.
 *   airline           never trained on (non-commercial licence).
 * Throughput runs on this thread only (one core).
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { execSync } from 'node:child_process';
import Sentiment from 'sentiment';
import { createLexiconScorer, DEFAULT_NEUTRAL_BAND, DEFAULT_POSITIVE_BAND } from '../src/detect/sentiment/lexicon.js';
import { LEXICON_LANGUAGES, createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import type { SentimentLabel, SentimentScorer } from '../src/detect/sentiment/types.js';
import { buildPack } from '../src/detect/sentiment/language-pack.js';
import { EMOJI, TokenBuffer, WORD, tokenize } from '../src/detect/sentiment/tokenizer.js';
import { en as enSource } from '../src/detect/sentiment/lexicons/en.js';
import { de as deSource } from '../src/detect/sentiment/lexicons/de.js';
import { CHOSEN, SEED, buildModel, shippedSets } from './sentiment-train.js';
import { textsPerSecond } from './machine.js';
import { DEFAULT_DATA_DIR, LABELS, UMSAB_LANGUAGES, labelsOf, loadAirline, loadSanders, loadUmsab, metrics, type DataSet, type Metrics } from './sentiment-data.js';

function parseArgs(argv: readonly string[]): { data: string; json?: string; reps: number; only?: string; band: number; posBand: number; analyse: number } {
  let data = DEFAULT_DATA_DIR;
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
      console.log('usage: eval-sentiment [--data <dir>] [--json <file>] [--reps <n>] [--set <name>] [--band <lexicon neutral band>] [--pos-band <lexicon positive band>] [--analyse <top n>]');
      console.log('  --analyse n: confusion matrix of the shipped scorer, and per error cell the n lexicon entries and rule features that');
      console.log('               fire most often (aggregate counts only; no texts are printed)');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return { data, reps, band, posBand, analyse, ...(json !== undefined ? { json } : {}), ...(only !== undefined ? { only } : {}) };
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

interface Scored {
  readonly metrics: Metrics;
  readonly textsPerSecond: number;
}

interface Row {
  readonly set: DataSet;
  /** What the trained model's figure means on this set. */
  readonly role: string;
  readonly scorers: ReadonlyArray<readonly [string, SentimentScorer | ((t: string) => SentimentLabel)]>;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.data;
  const { train, val } = shippedSets(dir);
  const german = loadUmsab(dir, 'de', 'test');
  const sanders = loadSanders(dir);
  const airline = loadAirline(dir);
  const shipped = createSentimentScorer();
  const lexicon = createLexiconScorer({ neutralBand: args.band, positiveBand: args.posBand });
  const plain = new Sentiment();
  // Plain sentiment: neutral iff its score is exactly 0.
  const plainLabel = (t: string): SentimentLabel => {
    const s = plain.analyze(t).score;
    return s < 0 ? 'negative' : s > 0 ? 'positive' : 'neutral';
  };
  const base = [['lexicon', lexicon], ['sentiment', plainLabel]] as const;
  // The model's own figure where the shipped scorer routes the language to the lexicon (English).
  const slotOnly = createSentimentScorer({ lexiconLanguages: [] });
  const shippedRow = (lang: string): Row['scorers'] => [['model', shipped], ...(LEXICON_LANGUAGES.includes(lang) ? ([['model-slot', slotOnly]] as const) : []), ...base];
  const rows: Row[] = val.map((set) => ({ set, role: 'val (bands, hyper-parameters, routing chosen here)', scorers: shippedRow(set.lang) }));
  if (german !== undefined) rows.push({ set: german, role: 'test (never used for a choice)', scorers: shippedRow('de') });
  // Leave one language out: the model's language-independent part (shared weights) on a language it
  // has neither a slot nor data for, as nl is scored, tried on German against the German lexicon.
  const withoutGerman = buildModel(train.filter((s) => s.lang !== 'de'), val.filter((s) => s.lang !== 'de'), UMSAB_LANGUAGES.filter((l) => l !== 'de'), CHOSEN, SEED).source;
  const unseen = createSentimentScorer({ model: withoutGerman, sharedSlotLanguages: ['de'] });
  for (const set of [val.find((s) => s.lang === 'de'), german]) {
    if (set === undefined) continue;
    rows.push({ set: { ...set, name: `${set.name}-unseen` }, role: 'model trained without German, shared weights only (as for nl)', scorers: [['model', unseen], ...base] });
  }
  if (sanders !== undefined) {
    // Cross-dataset: the same recipe without Sanders in training.
    const withoutSanders = buildModel(train.filter((s) => s.name !== 'sanders'), val, UMSAB_LANGUAGES, CHOSEN, SEED).source;
    const cross = createSentimentScorer({ model: withoutSanders, lexiconLanguages: [] });
    rows.push({
      set: sanders,
      role: 'cross-dataset; model = the shipped scorer (the lexicon for English), model-slot = the model trained without Sanders, model-in-sample = the shipped model, trained on it',
      scorers: [['model', shipped], ['model-slot', cross], ['model-in-sample', slotOnly], ...base],
    });
  }
  if (airline !== undefined) rows.push({ set: airline, role: 'never trained on', scorers: shippedRow('en') });
  const selected = rows.filter((r) => args.only === undefined || r.set.name === args.only);
  if (selected.length === 0) {
    console.error(`no labelled sets found under ${dir}`);
    process.exitCode = 2;
    return;
  }
  let sha = 'unknown';
  try {
    sha = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  const env = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', platform: `${platform()}-${arch()}`, git: sha, date: new Date().toISOString() };
  console.log(`stormwatch sentiment evaluation  (${env.node}, ${env.cpu}, ${env.platform}, git ${env.git})`);
  console.log(`model: trained, label bands from the model; lexicon: negative iff score <= -${args.band}, positive iff score >= ${Math.max(args.band, args.posBand)}; sentiment: neutral iff score == 0`);
  console.log(`throughput: median of ${args.reps} passes, single thread, texts of the set itself\n`);
  // `ours` and `plain` per set are what bench/eval.ts reads.
  const results: Record<string, { note: string; lang: string; role: string; ours: Metrics; plain: Metrics; scorers: Record<string, Scored> }> = {};
  const summary: string[] = [];
  for (const row of selected) {
    const { set } = row;
    const texts = set.examples.map((e) => e.text);
    const gold = set.examples.map((e) => e.label);
    console.log(`${set.name} (lang ${set.lang}, n=${set.examples.length}): ${set.note}; model: ${row.role}`);
    console.log('  scorer            accuracy  macro-F1  neg-recall  neg-precision  neg-share  texts/s/core');
    const scored: Record<string, Scored> = {};
    for (const [name, scorer] of row.scorers) {
      const predicted = typeof scorer === 'function' ? texts.map(scorer) : labelsOf(scorer, set);
      const rate = typeof scorer === 'function' ? textsPerSecond(texts, args.reps, (t) => plain.analyze(t)) : textsPerSecond(texts, args.reps, (t) => scorer.score(t, set.lang));
      const m = metrics(gold, predicted);
      scored[name] = { metrics: m, textsPerSecond: rate };
      console.log(
        `  ${name.padEnd(16)}  ${pct(m.accuracy)}    ${m.macroF1.toFixed(3)}    ${pct(m.negativeRecall)}      ${pct(m.negativePrecision)}     ${pct(m.negativeShare)}  ${Math.round(rate).toLocaleString('en-US').padStart(9)}`,
      );
      if (name === 'model' && args.analyse > 0) analyse(set, predicted, args.analyse, m);
    }
    results[set.name] = { note: set.note, lang: set.lang, role: row.role, ours: (scored['model'] as Scored).metrics, plain: (scored['sentiment'] as Scored).metrics, scorers: scored };
    summary.push(`| ${set.name} (${set.examples.length}) | ${row.scorers.map(([name]) => `${name} ${(scored[name] as Scored).metrics.macroF1.toFixed(3)}`).join(' | ')} |`);
    console.log('');
  }
  console.log('macro-F1 summary (model: the shipped scorer; model-slot: the model where the shipped scorer uses the lexicon):');
  for (const line of summary) console.log(line);
  if (args.json !== undefined) {
    writeFileSync(args.json, JSON.stringify({ env, lexiconNeutralBand: args.band, lexiconPositiveBand: args.posBand, sets: results }, null, 2) + '\n');
    console.log(`figures written to ${args.json}`);
  }
}

main();
