/**
 * NAB scoring (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly Detection Algorithms – the
 * Numenta Anomaly Benchmark"), implemented from its published description; see
 * docs/evaluation.md for the interpretation of each rule.
 *
 * Per file: rows in the probationary period (the first min(⌊0.15·n⌋, 750) rows) are ignored.
 * A flagged row (score ≥ threshold) inside a labelled window earns A_TP·σ(y)/σ(-1), where
 * y = -(end - i + 1) / width is its position relative to the window's right edge, so the first
 * row of a window earns exactly A_TP; only the earliest flagged row of a window counts. A window
 * with no flagged row costs A_FN. A flagged row outside every window costs A_FP·σ(y) (negative),
 * with y = (i - end of the preceding window) / (width of that window - 1), or the full -A_FP
 * when no window precedes it. σ(y) = 2/(1 + e^{5y}) - 1, and -1 from y ≥ 3 on.
 *
 * One threshold per profile is swept over all files together (maximising the summed score);
 * the normalised score is 100·(S - S_null)/(S_perfect - S_null), with S_null = -A_FN·windows
 * (the detector that never fires) and S_perfect = A_TP·windows.
 */

export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** A labelled window as inclusive row indices of its file. */
export interface RowWindow {
  readonly start: number;
  readonly end: number;
}

export interface ScoredFile {
  readonly name: string;
  /** The detector's anomaly score per data row, in [0, 1]. */
  readonly scores: ArrayLike<number>;
  readonly windows: readonly RowWindow[];
}

/** NAB's scaled sigmoid of a relative position: ≈0.987 at -1, 0 at 0, ≈-0.987 at 1, -1 from 3 on. */
export function scaledSigmoid(y: number): number {
  if (y >= 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

export const PROBATION_FRACTION = 0.15;

/** Rows at the start of a file whose detections are ignored. */
export function probationLength(rows: number, fraction = PROBATION_FRACTION): number {
  return Math.min(Math.floor(fraction * rows), fraction * 5000);
}

/** What flagging one row would contribute (before the "first detection per window" rule). */
export interface RowWeight {
  /** Window index within the file, -1 outside every window, -2 in the probationary period. */
  readonly window: number;
  /** A_TP-weighted credit inside a window; A_FP-weighted (negative) cost outside. */
  readonly weight: number;
}

export function rowWeights(rows: number, windows: readonly RowWindow[], cost: CostMatrix): RowWeight[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const probation = probationLength(rows);
  const maxTp = scaledSigmoid(-1);
  const out: RowWeight[] = new Array(rows);
  let next = 0;
  let previous: RowWindow | undefined;
  for (let i = 0; i < rows; i++) {
    while (next < sorted.length && sorted[next]!.end < i) previous = sorted[next++]!;
    const current = next < sorted.length && sorted[next]!.start <= i ? sorted[next]! : undefined;
    if (i < probation) {
      out[i] = { window: -2, weight: 0 };
    } else if (current !== undefined) {
      const width = current.end - current.start + 1;
      const y = -(current.end - i + 1) / width;
      out[i] = { window: next, weight: (cost.tpWeight * scaledSigmoid(y)) / maxTp };
    } else if (previous === undefined) {
      out[i] = { window: -1, weight: -cost.fpWeight };
    } else {
      const width = previous.end - previous.start + 1;
      const y = width > 1 ? Math.abs(i - previous.end) / (width - 1) : 3;
      out[i] = { window: -1, weight: cost.fpWeight * scaledSigmoid(y) };
    }
  }
  return out;
}

/** Windows that count: those with at least one row after the probationary period. */
export function countedWindows(rows: number, windows: readonly RowWindow[]): number {
  const probation = probationLength(rows);
  return windows.filter((w) => w.end >= probation && w.start < rows).length;
}

export interface FileScore {
  readonly name: string;
  readonly score: number;
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly windows: number;
}

/** Score of one file at a fixed threshold (rows with score ≥ threshold are detections). */
export function scoreFile(file: ScoredFile, cost: CostMatrix, threshold: number): FileScore {
  const rows = file.scores.length;
  const weights = rowWeights(rows, file.windows, cost);
  const best = new Map<number, number>();
  let fpScore = 0;
  let fp = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i]!;
    if (w.window === -2 || !(file.scores[i]! >= threshold)) continue;
    if (w.window === -1) {
      fpScore += w.weight;
      fp++;
    } else if (!best.has(w.window)) {
      best.set(w.window, w.weight); // rows come in order: the first detection is the earliest
    }
  }
  const probation = probationLength(rows);
  const sorted = [...file.windows].sort((a, b) => a.start - b.start);
  let score = fpScore;
  let tp = 0;
  let fn = 0;
  sorted.forEach((win, k) => {
    if (!(win.end >= probation && win.start < rows)) return;
    const credit = best.get(k);
    if (credit === undefined) {
      score -= cost.fnWeight;
      fn++;
    } else {
      score += credit;
      tp++;
    }
  });
  return { name: file.name, score, tp, fn, fp, windows: tp + fn };
}

export interface SweepResult {
  readonly threshold: number;
  /** Summed raw score over all files at the threshold. */
  readonly score: number;
}

/**
 * The threshold that maximises the summed score over all files. Candidates are the distinct
 * anomaly scores (a row is flagged when its score ≥ threshold) plus "above everything"; ties go
 * to the highest threshold.
 */
export function sweepThreshold(files: readonly ScoredFile[], cost: CostMatrix): SweepResult {
  interface Point {
    readonly s: number;
    readonly window: number; // global window id, -1 outside
    readonly weight: number;
  }
  const points: Point[] = [];
  let windowCount = 0;
  const windowCredit: number[] = [];
  for (const file of files) {
    const rows = file.scores.length;
    const weights = rowWeights(rows, file.windows, cost);
    const base = windowCount;
    const sorted = [...file.windows].sort((a, b) => a.start - b.start);
    const probation = probationLength(rows);
    for (let k = 0; k < sorted.length; k++) windowCredit.push(sorted[k]!.end >= probation && sorted[k]!.start < rows ? -cost.fnWeight : 0);
    windowCount += sorted.length;
    for (let i = 0; i < rows; i++) {
      const w = weights[i]!;
      if (w.window === -2) continue;
      const s = file.scores[i]!;
      points.push({ s: Number.isNaN(s) ? 0 : s, window: w.window === -1 ? -1 : base + w.window, weight: w.weight });
    }
  }
  points.sort((a, b) => b.s - a.s);
  let fpScore = 0;
  let windowScore = windowCredit.reduce((x, y) => x + y, 0);
  let best: SweepResult = { threshold: Number.POSITIVE_INFINITY, score: fpScore + windowScore };
  for (let i = 0; i < points.length; ) {
    const s = points[i]!.s;
    for (; i < points.length && points[i]!.s === s; i++) {
      const p = points[i]!;
      if (p.window === -1) fpScore += p.weight;
      else if (p.weight > windowCredit[p.window]!) {
        windowScore += p.weight - windowCredit[p.window]!;
        windowCredit[p.window] = p.weight;
      }
    }
    const score = fpScore + windowScore;
    if (score > best.score + 1e-12) best = { threshold: s, score };
  }
  return best;
}

export interface ProfileResult {
  readonly profile: string;
  readonly threshold: number;
  readonly raw: number;
  readonly nullScore: number;
  readonly perfectScore: number;
  readonly normalised: number;
  readonly files: readonly FileScore[];
}

export function normalise(raw: number, windows: number, cost: CostMatrix): { nullScore: number; perfectScore: number; normalised: number } {
  const nullScore = -cost.fnWeight * windows;
  const perfectScore = cost.tpWeight * windows;
  return { nullScore, perfectScore, normalised: perfectScore === nullScore ? 100 : (100 * (raw - nullScore)) / (perfectScore - nullScore) };
}

/** Sweeps one threshold for the profile over all files and scores each file at it. */
export function scoreProfile(profile: string, files: readonly ScoredFile[], cost: CostMatrix): ProfileResult {
  const { threshold } = sweepThreshold(files, cost);
  const perFile = files.map((f) => scoreFile(f, cost, threshold));
  const raw = perFile.reduce((s, f) => s + f.score, 0);
  const windows = files.reduce((s, f) => s + countedWindows(f.scores.length, f.windows), 0);
  return { profile, threshold, raw, ...normalise(raw, windows, cost), files: perFile };
}
