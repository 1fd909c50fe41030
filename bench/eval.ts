/**
 * All quality bars in one table: NAB realTweets (normalised scores, three profiles), the crisis
 * replays and airline complaint weeks (bench/eval-crisis.ts), sentiment (accuracy and macro-F1
 * against plain `sentiment`), the scenario suite (storm precision, recall, median time to
 * detect), and the leave-one-out figures of every parameter chosen from data (bench/loo.ts),
 * in-sample and left out side by side. Usage:
 *   npm run eval -- [--nab <nab dir>] [--sentiment <dir>] [--data <shared data dir>]
 * Data dirs default to ../shared/data/{nab,sentiment,crisis} relative to the repo root; a part
 * whose data is missing is reported as skipped. Runs on the compiled dist/ (npm run build first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { printCrisis, runCrisis } from './eval-crisis.js';
import { defaultNabOptions, printNab, REPO_ROOT, runNab } from './eval-nab.js';
import { judgementLeaveOneOut, nabLeaveOneOut, printJudgement, printLoo, serviceLeaveOneOut } from './loo.js';
import { schemaDefaults } from '../src/config/load.js';
import { PUBLISHED_REALTWEETS } from './nab/published.js';

interface Row {
  readonly bar: string;
  readonly measure: string;
  readonly value: string;
  readonly reference: string;
}

function args(argv: readonly string[]): { nab: string; sentiment: string; data: string } {
  const o = { nab: defaultNabOptions().data, sentiment: resolve(REPO_ROOT, '..', 'shared', 'data', 'sentiment'), data: resolve(REPO_ROOT, '..', 'shared', 'data') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--nab' && v !== undefined) (o.nab = v), i++;
    else if (argv[i] === '--data' && v !== undefined) (o.data = v), i++;
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
    { bar: 'Scenarios', measure: 'scenario and real-stream tests passing', value: `${pass}/${Number(pass) + Number(fail)}`, reference: failed ? 'FAILURES: run node --test dist/tests/scenarios/' : 'all must pass' },
    { bar: 'Scenarios', measure: 'storm precision / recall', value: m === null ? '?' : `${m[1]} / ${m[2]}`, reference: '1.00 / 1.00' },
    { bar: 'Scenarios', measure: 'median time to detect', value: m === null ? '?' : `${m[3]} min`, reference: 'event time, storm onset to storm.started' },
  ];
}

function crisisRows(dataDir: string): Row[] {
  if (!existsSync(join(dataDir, 'crisis'))) return [{ bar: 'Crisis replays', measure: 'storm on time', value: 'skipped', reference: `no data at ${dataDir}/crisis` }];
  const r = runCrisis(dataDir);
  printCrisis(r);
  console.log('');
  return [
    { bar: `Crisis replays (${r.crises.length} sudden events)`, measure: 'storm within 15 min of the stream showing it', value: `${r.crises.filter((c) => c.onTime).length}/${r.crises.length}`, reference: 'nothing before the onset' },
    { bar: `Crisis replays (${r.crises.length} sudden events)`, measure: 'events before the onset', value: String(r.crises.reduce((s, c) => s + c.early, 0)), reference: '0' },
    { bar: `Airline complaint weeks (${r.airlines.length})`, measure: 'storm episodes', value: String(r.airlines.reduce((s, a) => s + a.storms, 0)), reference: '0 (below storm level)' },
  ];
}

function looRows(nabDir: string, dataDir: string): Row[] {
  const nab = existsSync(nabDir) ? nabLeaveOneOut(nabDir) : undefined;
  const service = serviceLeaveOneOut(dataDir);
  printLoo(nab, service);
  const judgement = judgementLeaveOneOut(service.sources, schemaDefaults().detection);
  printJudgement(judgement);
  console.log('');
  const rows: Row[] = (nab?.profiles ?? []).map((p) => ({ bar: 'NAB leave-one-out', measure: `${p.profile}: in-sample / left out`, value: `${p.inSample.toFixed(1)} / ${p.leftOut.toFixed(1)}`, reference: 'memory and threshold chosen without the series' }));
  for (const kind of ['crisis', 'scenario'] as const) {
    const idx = service.sources.map((s, i) => (s.kind === kind ? i : -1)).filter((i) => i >= 0);
    const sum = (xs: readonly number[]) => idx.reduce((s, i) => s + xs[i]!, 0);
    rows.push({ bar: 'Service leave-one-out', measure: `${kind}: in-sample / left out`, value: `${sum(service.choice.inSample)} / ${sum(service.choice.leftOut)} of ${idx.length}`, reference: 'floors, alarm bar and exit chosen without the source' });
  }
  const kept = judgement.filter((c) => c.leftOut <= c.defaultTotal).length;
  const untold = judgement.filter((c) => c.untold).length;
  rows.push({ bar: 'Judgement leave-one-out', measure: 'defaults no alternative beats left out', value: `${kept}/${judgement.length}`, reference: 'each varied alone around the defaults' });
  rows.push({ bar: 'Judgement leave-one-out', measure: 'parameters no source tells apart', value: `${untold}/${judgement.length}`, reference: 'set by judgement (docs/evaluation.md)' });
  return rows;
}

function main(): void {
  const o = args(process.argv.slice(2));
  const rows = [...nabRows(o.nab), ...crisisRows(o.data), ...sentimentRows(o.sentiment), ...scenarioRows(), ...looRows(o.nab, o.data)];
  const width = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => r[k].length));
  const cols: (keyof Row)[] = ['bar', 'measure', 'value', 'reference'];
  const line = (r: Row) => '| ' + cols.map((k) => r[k].padEnd(width(k))).join(' | ') + ' |';
  console.log(line({ bar: 'quality bar', measure: 'measure', value: 'stormwatch', reference: 'reference' }));
  console.log('|' + cols.map((k) => '-'.repeat(width(k) + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main();
