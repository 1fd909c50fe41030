/**
 * Scorer throughput and memory: the shipped scorer (model + lexicon), the lexicon scorer alone and
 * the plain `sentiment` package, in the same run, on one thread. Usage:
 *   npm run bench:sentiment -- [--data <dir>] [--reps <n>]
 * Texts: every labelled text under <dir> (default ../shared/data/sentiment), each with its set's
 * language, shuffled into one stream with a fixed seed, so languages and lengths mix as in a feed.
 */
import Sentiment from 'sentiment';
import { createLexiconScorer } from '../src/detect/sentiment/lexicon.js';
import { createSentimentScorer, shippedModel } from '../src/detect/sentiment/scorer.js';
import { DEFAULT_DATA_DIR, UMSAB_LANGUAGES, loadAirline, loadSanders, loadUmsab, type DataSet } from './sentiment-data.js';
import { machineInfo, textsPerSecond } from './machine.js';

function main(): void {
  const argv = process.argv.slice(2);
  let dir = DEFAULT_DATA_DIR;
  let reps = 7;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data' && argv[i + 1] !== undefined) dir = argv[++i] as string;
    else if (argv[i] === '--reps' && argv[i + 1] !== undefined) reps = Math.max(1, Number(argv[++i]) | 0);
    else throw new Error(`unknown argument ${argv[i]}; usage: sentiment [--data <dir>] [--reps <n>]`);
  }
  const sets: DataSet[] = [];
  for (const lang of UMSAB_LANGUAGES) for (const split of ['train', 'val', 'test'] as const) {
    const s = loadUmsab(dir, lang, split);
    if (s !== undefined) sets.push(s);
  }
  for (const s of [loadSanders(dir), loadAirline(dir)]) if (s !== undefined) sets.push(s);
  const items = sets.flatMap((s) => s.examples.map((e) => ({ text: e.text, lang: s.lang })));
  if (items.length === 0) throw new Error(`no labelled texts under ${dir}`);
  let seed = 1;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const k = seed % (i + 1);
    [items[i], items[k]] = [items[k]!, items[i]!];
  }
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const model = shippedModel();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const scorer = createSentimentScorer();
  const lexicon = createLexiconScorer();
  const plain = new Sentiment();
  const m = machineInfo();
  console.log(`machine: ${m.cpu}, ${m.cores} cores; node ${m.node}; commit ${m.commit}; ${m.date}`);
  console.log(`${items.length.toLocaleString('en-US')} texts (${sets.map((s) => s.name).join(', ')}), median of ${reps} passes, one thread`);
  console.log(`model: ${(model.bytes / 1024).toFixed(0)} KiB of weights; heap + array buffers grew ${((after - before) / 1024).toFixed(0)} KiB on load`);
  const rows: Array<[string, number]> = [
    ['stormwatch (model + lexicon)', textsPerSecond(items, reps, (x) => scorer.score(x.text, x.lang))],
    ['lexicon alone', textsPerSecond(items, reps, (x) => lexicon.score(x.text, x.lang))],
    ['sentiment 5.0.2', textsPerSecond(items, reps, (x) => plain.analyze(x.text))],
  ];
  for (const [name, rate] of rows) console.log(`  ${name.padEnd(30)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} texts/s/core`);
}

main();
