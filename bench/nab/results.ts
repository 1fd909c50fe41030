/** NAB result files: <out>/<detector>/<category>/<detector>_<file>.csv with timestamp,value,anomaly_score. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function resultPath(outDir: string, detector: string, key: string): string {
  if (!/^[A-Za-z0-9]+$/.test(detector)) throw new Error(`detector name must be letters and digits: ${detector}`);
  const slash = key.lastIndexOf('/');
  const category = slash < 0 ? '' : key.slice(0, slash);
  const file = key.slice(slash + 1);
  return join(outDir, detector, category, `${detector}_${file}`);
}

/** Scores are written with up to 6 significant digits; NaN and out-of-range values are refused. */
export function writeResultFile(path: string, timestamps: readonly string[], values: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (timestamps.length !== values.length || values.length !== scores.length) throw new Error(`${path}: row counts differ`);
  const lines = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < timestamps.length; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1)) throw new Error(`${path}: row ${i + 1} score ${s} outside [0, 1]`);
    lines.push(`${timestamps[i]},${values[i]},${s === 0 ? '0' : Number(s.toPrecision(6))}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.join('\n') + '\n');
}
