/**
 * Trains the shipped sentiment model and writes src/detect/sentiment/model-weights.ts. Usage:
 *   npm run train:sentiment -- [--data <dir>] [--check] [--search]
 * Training data: UMSAB (XLM-T) train splits of en, fr, es, de, it, pt and the Sanders corpus; the
 * label bands are calibrated on the UMSAB val splits. The airline set is never trained on
 * (non-commercial licence). --check trains afresh and fails unless the result is byte-identical
 * to the shipped file. --search prints the val figures of a hyper-parameter grid and writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { SEED, WEIGHTS_FILE, buildModel, freshModule, shippedSets, type Hyper } from './sentiment-train.js';
import { DEFAULT_DATA_DIR, UMSAB_LANGUAGES, evaluate, type DataSet } from './sentiment-data.js';

function main(): void {
  const argv = process.argv.slice(2);
  let dir = DEFAULT_DATA_DIR;
  let check = false;
  let search = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data' && argv[i + 1] !== undefined) dir = argv[++i] as string;
    else if (a === '--check') check = true;
    else if (a === '--search') search = true;
    else throw new Error(`unknown argument ${a}; usage: train-sentiment [--data <dir>] [--check] [--search]`);
  }
  if (search) return runSearch(dir);
  const text = freshModule(dir);
  if (check) {
    const same = readFileSync(WEIGHTS_FILE, 'utf8') === text;
    console.log(same ? `${WEIGHTS_FILE}: identical to a fresh training run` : `${WEIGHTS_FILE}: DIFFERS from a fresh training run`);
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(WEIGHTS_FILE, text);
  console.log(`wrote ${WEIGHTS_FILE} (${text.length.toLocaleString('en-US')} bytes)`);
}

/** Val figures over a small grid around the chosen hyper-parameters (val only: no test split is read). */
function runSearch(dir: string): void {
  const { train, val } = shippedSets(dir);
  console.log('hashBits epochs rate   l2      neg-band pos-band  mean-val-F1  ' + val.map((s) => s.lang.padEnd(6)).join(''));
  for (const hashBits of [16, 18])
    for (const epochs of [3, 6, 12])
      for (const rate of [0.05, 0.2])
        for (const l2 of [0, 1e-5, 1e-4]) {
          const hyper: Hyper = { hashBits, epochs, rate, l2 };
          const { calibrated, perSet } = searchOne(train, val, hyper);
          console.log(
            `${String(hashBits).padEnd(9)}${String(epochs).padEnd(7)}${String(rate).padEnd(7)}${String(l2).padEnd(8)}${calibrated.negativeBand.toFixed(2).padEnd(9)}${calibrated.positiveBand.toFixed(2).padEnd(10)}${calibrated.meanMacroF1.toFixed(4).padEnd(13)}${perSet.map((f) => f.toFixed(3).padEnd(6)).join('')}`,
          );
        }
}

function searchOne(train: DataSet[], val: DataSet[], hyper: Hyper): { calibrated: ReturnType<typeof buildModel>['calibrated']; perSet: number[] } {
  const { source, calibrated } = buildModel(train, val, UMSAB_LANGUAGES, hyper, SEED);
  const scorer = createSentimentScorer({ model: source, lexiconLanguages: [] });
  return { calibrated, perSet: val.map((s) => evaluate(scorer, s).macroF1) };
}

main();
