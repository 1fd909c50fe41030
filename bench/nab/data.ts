/** Reading a NAB category: series CSVs (timestamp,value), labelled windows and profiles. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseCsvRecords } from '../csv.js';
import type { CostMatrix, RowWindow } from './scoring.js';

export interface Series {
  /** Path relative to the data dir, as keyed in the labels file: "realTweets/Twitter_volume_AAPL.csv". */
  readonly key: string;
  readonly file: string;
  readonly timestamps: readonly string[];
  readonly timesMs: Float64Array;
  readonly values: Float64Array;
  readonly windows: readonly RowWindow[];
}

/** NAB timestamps ("2015-03-03 04:37:53" or with ".000000"), read as UTC. */
export function parseNabTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text.trim());
  if (m === null) throw new Error(`bad timestamp ${JSON.stringify(text)}`);
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + ms;
}

/**
 * Window limits (timestamps) to inclusive row indices: first row at or after the start, last row
 * at or before the end. NAB's windows start and end on rows of the file, so this is exact there.
 */
export function windowsToRows(timesMs: ArrayLike<number>, limits: readonly (readonly [string, string])[]): RowWindow[] {
  const out: RowWindow[] = [];
  for (const [a, b] of limits) {
    const start = parseNabTime(a);
    const end = parseNabTime(b);
    let first = -1;
    let last = -1;
    for (let i = 0; i < timesMs.length; i++) {
      const t = timesMs[i]!;
      if (first < 0 && t >= start) first = i;
      if (t <= end) last = i;
    }
    if (first >= 0 && last >= first) out.push({ start: first, end: last });
  }
  return out.sort((x, y) => x.start - y.start);
}

export function readSeriesCsv(path: string): { timestamps: string[]; timesMs: Float64Array; values: Float64Array } {
  const records = parseCsvRecords(readFileSync(path, 'utf8'));
  const timestamps = records.map((r) => r['timestamp'] ?? '');
  const timesMs = Float64Array.from(timestamps, parseNabTime);
  const values = Float64Array.from(records, (r) => Number(r['value']));
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) throw new Error(`${path}: row ${i + 1} has no numeric value`);
  for (let i = 1; i < timesMs.length; i++) if (!(timesMs[i]! > timesMs[i - 1]!)) throw new Error(`${path}: timestamps not increasing at row ${i + 1}`);
  return { timestamps, timesMs, values };
}

/**
 * The series of one category (`<data>/data/<category>/*.csv`) with their windows from
 * `<data>/labels/<category>_windows.json` (or `combined_windows.json`). Files without an entry
 * in the labels are skipped with a warning: they cannot be scored.
 */
export function loadCategory(dataDir: string, category: string, warn: (m: string) => void = console.warn): Series[] {
  const seriesDir = join(dataDir, 'data', category);
  const labelCandidates = [join(dataDir, 'labels', `${category}_windows.json`), join(dataDir, 'labels', 'combined_windows.json')];
  const labelPath = labelCandidates.find((p) => existsSync(p));
  if (labelPath === undefined) throw new Error(`no window labels under ${join(dataDir, 'labels')}`);
  const labels = JSON.parse(readFileSync(labelPath, 'utf8')) as Record<string, [string, string][]>;
  const out: Series[] = [];
  for (const file of readdirSync(seriesDir).filter((f) => f.endsWith('.csv')).sort()) {
    const key = `${category}/${file}`;
    const limits = labels[key];
    if (limits === undefined) {
      warn(`${key}: no labelled windows, skipped`);
      continue;
    }
    const { timestamps, timesMs, values } = readSeriesCsv(join(seriesDir, file));
    out.push({ key, file: basename(file), timestamps, timesMs, values, windows: windowsToRows(timesMs, limits) });
  }
  return out;
}

export interface Profiles {
  readonly [name: string]: CostMatrix;
}

export const NAB_PROFILE_NAMES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;

export function loadProfiles(dataDir: string): Profiles {
  const raw = JSON.parse(readFileSync(join(dataDir, 'config', 'profiles.json'), 'utf8')) as Record<string, { CostMatrix: CostMatrix }>;
  return Object.fromEntries(Object.entries(raw).map(([name, p]) => [name, { tpWeight: p.CostMatrix.tpWeight, fpWeight: p.CostMatrix.fpWeight, fnWeight: p.CostMatrix.fnWeight }]));
}
