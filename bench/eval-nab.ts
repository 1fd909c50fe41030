/**
 * NAB evaluation of the service's rate detector. Usage:
 *   npm run eval:nab -- [--data <nab dir>] [--out <results dir>] [--name <detector>] [--category realTweets] [--config <json>] [--json <file>]
 * <nab dir> (default ../shared/data/nab relative to the repo root) holds data/<category>/*.csv,
 * labels/<category>_windows.json and config/profiles.json. With --out, NAB result files are
 * written to <out>/<name>/<category>/<name>_<file>.csv. The detector runs with the service's
 * defaults (config/default.json), re-bucketed to the series' step; nothing is tuned per file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { detectionConfigForStep, scoreSeries, stepOf } from './nab/detector.js';
import { loadCategory, loadProfiles, NAB_PROFILE_NAMES } from './nab/data.js';
import { PUBLISHED_REALTWEETS } from './nab/published.js';
import { resultPath, writeResultFile } from './nab/results.js';
import { scoreProfile, type ProfileResult, type ScoredFile } from './nab/scoring.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface NabOptions {
  data: string;
  out?: string;
  name: string;
  category: string;
  config: string;
}

export interface NabReport {
  readonly files: readonly { key: string; rows: number; windows: number; stepMs: number }[];
  readonly profiles: readonly ProfileResult[];
}

export function defaultNabOptions(): NabOptions {
  return { data: resolve(REPO_ROOT, '..', 'shared', 'data', 'nab'), name: 'stormwatch', category: 'realTweets', config: join(REPO_ROOT, 'config', 'default.json') };
}

/** Scores as written to the result files (6 significant digits), so files and figures agree. */
function rounded(scores: Float64Array): Float64Array {
  return scores.map((s) => (s === 0 ? 0 : Number(s.toPrecision(6))));
}

export function runNab(o: NabOptions, warn: (m: string) => void = console.warn): NabReport {
  const series = loadCategory(o.data, o.category, warn);
  if (series.length === 0) throw new Error(`no labelled series under ${join(o.data, 'data', o.category)}`);
  const profiles = loadProfiles(o.data);
  const scored: ScoredFile[] = [];
  const files: { key: string; rows: number; windows: number; stepMs: number }[] = [];
  for (const s of series) {
    const stepMs = stepOf(s.timesMs);
    const config = detectionConfigForStep(stepMs, o.config);
    const scores = rounded(scoreSeries(s.timesMs, s.values, config).anomaly);
    if (o.out !== undefined) writeResultFile(resultPath(o.out, o.name, s.key), s.timestamps, s.values, scores);
    scored.push({ name: s.key, scores, windows: s.windows });
    files.push({ key: s.key, rows: s.values.length, windows: s.windows.length, stepMs });
  }
  const names = NAB_PROFILE_NAMES.filter((p) => profiles[p] !== undefined);
  return { files, profiles: names.map((p) => scoreProfile(p, scored, profiles[p]!)) };
}

function parseArgs(argv: readonly string[]): NabOptions & { json?: string } {
  const o: NabOptions & { json?: string } = defaultNabOptions();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--data' && v !== undefined) (o.data = v), i++;
    else if (a === '--out' && v !== undefined) (o.out = v), i++;
    else if (a === '--name' && v !== undefined) (o.name = v), i++;
    else if (a === '--category' && v !== undefined) (o.category = v), i++;
    else if (a === '--config' && v !== undefined) (o.config = v), i++;
    else if (a === '--json' && v !== undefined) (o.json = v), i++;
    else if (a === '--help' || a === '-h') {
      console.log('usage: eval-nab [--data <nab dir>] [--out <results dir>] [--name <detector>] [--category realTweets] [--config <json>] [--json <file>]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!/^[A-Za-z0-9]+$/.test(o.name)) throw new Error('--name must be letters and digits only');
  return o;
}

const SHORT: Record<string, string> = { standard: 'standard', reward_low_FP_rate: 'low FP', reward_low_FN_rate: 'low FN' };

export function printNab(report: NabReport, log: (m: string) => void = console.log): void {
  const windows = report.files.reduce((s, f) => s + f.windows, 0);
  log(`NAB ${report.files.length} files, ${windows} windows, ${report.files.reduce((s, f) => s + f.rows, 0)} rows`);
  log('  profile     threshold   raw score   null    perfect  normalised  TP  FN   FP');
  for (const p of report.profiles) {
    const tp = p.files.reduce((s, f) => s + f.tp, 0);
    const fn = p.files.reduce((s, f) => s + f.fn, 0);
    const fp = p.files.reduce((s, f) => s + f.fp, 0);
    log(
      `  ${(SHORT[p.profile] ?? p.profile).padEnd(10)}  ${p.threshold.toFixed(6).padStart(9)}  ${p.raw.toFixed(3).padStart(9)}  ${p.nullScore.toFixed(1).padStart(6)}  ${p.perfectScore.toFixed(1).padStart(7)}  ${p.normalised.toFixed(1).padStart(9)}  ${String(tp).padStart(3)} ${String(fn).padStart(3)} ${String(fp).padStart(4)}`,
    );
  }
  log('  per file raw score (TP/FN/FP) at each profile\'s threshold:');
  for (let k = 0; k < report.files.length; k++) {
    const cells = report.profiles.map((p) => {
      const f = p.files[k]!;
      return `${f.score.toFixed(3).padStart(7)} (${f.tp}/${f.fn}/${f.fp})`;
    });
    log(`    ${report.files[k]!.key.padEnd(38)} ${cells.join('  ')}`);
  }
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(o.data)) {
    console.error(`no NAB data at ${o.data} (give --data <dir>)`);
    process.exitCode = 2;
    return;
  }
  const report = runNab(o);
  printNab(report);
  const ours = report.profiles.map((p) => p.normalised);
  console.log('\n  published realTweets (full category) vs stormwatch (these files):');
  console.log(`    ${'stormwatch (defaults)'.padEnd(22)} ${ours.map((s) => s.toFixed(1).padStart(6)).join(' ')}`);
  for (const p of PUBLISHED_REALTWEETS) console.log(`    ${p.detector.padEnd(22)} ${p.scores.map((s) => s.toFixed(1).padStart(6)).join(' ')}`);
  if (o.out !== undefined) console.log(`\nresult files written under ${join(o.out, o.name, o.category)}`);
  if (o.json !== undefined) {
    writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
    console.log(`figures written to ${o.json}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
