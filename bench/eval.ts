/**
 * All quality bars in one table: NAB realTweets (normalised scores, three profiles), sentiment
 * (accuracy and macro-F1 against plain `sentiment`), and the scenario suite (storm precision,
 * recall, median time to detect). Usage:
 *   npm run eval -- [--nab <nab dir>] [--sentiment <dir>]
 * Data dirs default to ../shared/data/{nab,sentiment} relative to the repo root; a part whose
 * data is missing is reported as skipped. Runs on the compiled dist/ (npm run build first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultNabOptions, printNab, REPO_ROOT, runNab } from './eval-nab.js';
import { PUBLISHED_REALTWEETS } from './nab/published.js';

interface Row {
  readonly bar: string;
  readonly measure: string;
  readonly value: string;
  readonly reference: string;
}

function args(argv: readonly string[]): { nab: string; sentiment: string } {
  const o = { nab: defaultNabOptions().data, sentiment: resolve(REPO_ROOT, '..', 'shared', 'data', 'sentiment') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--nab' && v !== undefined) (o.nab = v), i++;
    else if (argv[i] === '--sentiment' && v !== undefined) (o.sentiment = v), i++;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

function nabRows(dir: string): Row[] {
  if (!existsSync(dir)) return [{ bar: 'NAB realTweets', measure: 'normalised score', value: 'skipped', reference: `no data at ${dir}` }];
  const report = runNab({ ...defaultNabOptions(), data: dir }, () => {});
  printNab(report);
  console.log('');
  const names = ['standard', 'low FP', 'low FN'];
  const files = `${report.files.length} files, ${report.files.reduce((s, f) => s + f.windows, 0)} windows`;
  return report.profiles.map((p, k) => ({
    bar: `NAB realTweets (${files})`,
    measure: `normalised, ${names[k]}`,
    value: p.normalised.toFixed(1),
    reference: PUBLISHED_REALTWEETS.slice(0, 3)
      .map((d) => `${d.detector} ${d.scores[k]!.toFixed(1)}`)
      .join(', '),
  }));
}

function sentimentRows(dir: string): Row[] {
  if (!existsSync(dir)) return [{ bar: 'Sentiment', measure: 'accuracy / macro-F1', value: 'skipped', reference: `no data at ${dir}` }];
  const json = join(tmpdir(), `stormwatch-eval-sentiment-${process.pid}.json`);
  execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'bench', 'eval-sentiment.js'), '--data', dir, '--reps', '1', '--json', json], { stdio: ['ignore', 'ignore', 'inherit'] });
  const { sets } = JSON.parse(readFileSync(json, 'utf8')) as {
    sets: Record<string, { ours: { accuracy: number; macroF1: number }; plain: { accuracy: number; macroF1: number } }>;
  };
  return Object.entries(sets).map(([name, s]) => ({
    bar: `Sentiment ${name}`,
    measure: 'accuracy / macro-F1',
    value: `${(100 * s.ours.accuracy).toFixed(1)}% / ${s.ours.macroF1.toFixed(3)}`,
    reference: `plain sentiment ${(100 * s.plain.accuracy).toFixed(1)}% / ${s.plain.macroF1.toFixed(3)}`,
  }));
}

/** Runs the scenario suite (node --test) and reads the summary line its `after` hook prints. */
function scenarioRows(): Row[] {
  const dir = join(REPO_ROOT, 'dist', 'tests', 'scenarios');
  let out = '';
  let failed = false;
  try {
    out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
    failed = true;
  }
  const pass = /^# pass (\d+)/m.exec(out)?.[1] ?? '?';
  const fail = /^# fail (\d+)/m.exec(out)?.[1] ?? '?';
  const m = /scenarios: storm precision ([\d.]+), recall ([\d.]+), median time to detect ([\d.NaN]+) min/.exec(out);
  return [
    { bar: 'Scenarios', measure: 'scenarios passing', value: `${pass}/${Number(pass) + Number(fail)}`, reference: failed ? 'FAILURES: run node --test dist/tests/scenarios/' : 'all must pass' },
    { bar: 'Scenarios', measure: 'storm precision / recall', value: m === null ? '?' : `${m[1]} / ${m[2]}`, reference: '1.00 / 1.00' },
    { bar: 'Scenarios', measure: 'median time to detect', value: m === null ? '?' : `${m[3]} min`, reference: 'event time, storm onset to storm.started' },
  ];
}

function main(): void {
  const o = args(process.argv.slice(2));
  const rows = [...nabRows(o.nab), ...sentimentRows(o.sentiment), ...scenarioRows()];
  const width = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => r[k].length));
  const cols: (keyof Row)[] = ['bar', 'measure', 'value', 'reference'];
  const line = (r: Row) => '| ' + cols.map((k) => r[k].padEnd(width(k))).join(' | ') + ' |';
  console.log(line({ bar: 'quality bar', measure: 'measure', value: 'stormwatch', reference: 'reference' }));
  console.log('|' + cols.map((k) => '-'.repeat(width(k) + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main();
