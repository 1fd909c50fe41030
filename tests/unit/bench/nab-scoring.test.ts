import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise, probationLength, rowWeights, scaledSigmoid, scoreFile, scoreProfile, sweepThreshold, type ScoredFile } from '../../../bench/nab/scoring.js';
import { parseNabTime, windowsToRows } from '../../../bench/nab/data.js';

const standard = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const lowFn = { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };
const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} vs ${b}`);

// 100 rows: probation = 15 rows; one window at rows 40..49.
const N = 100;
const W = [{ start: 40, end: 49 }];
function file(flags: number[], windows = W, n = N): ScoredFile {
  const scores = new Array<number>(n).fill(0);
  for (const i of flags) scores[i] = 1;
  return { name: 'f', scores, windows };
}

test('scaled sigmoid: NAB values at -1, -0.5, 0, 1 and beyond 3', () => {
  close(scaledSigmoid(-1), 2 / (1 + Math.exp(-5)) - 1);
  close(scaledSigmoid(-0.5), 0.8482836399575129);
  close(scaledSigmoid(0), 0);
  close(scaledSigmoid(1), -scaledSigmoid(-1));
  assert.equal(scaledSigmoid(3), -1);
});

test('probation: 15% of the rows, at most 750', () => {
  assert.equal(probationLength(100), 15);
  assert.equal(probationLength(15_902), 750);
});

test('a detection at the window start earns exactly A_TP', () => {
  close(scoreFile(file([40]), standard, 0.5).score, 1);
});

test('a detection later in the window earns less, by the sigmoid of its position', () => {
  // row 44: y = -(49 - 44 + 1) / 10 = -0.6
  close(scoreFile(file([44]), standard, 0.5).score, scaledSigmoid(-0.6) / scaledSigmoid(-1));
});

test('a missed window costs A_FN (2 in the low-FN profile)', () => {
  close(scoreFile(file([]), standard, 0.5).score, -1);
  close(scoreFile(file([]), lowFn, 0.5).score, -2);
});

test('an FP before any window costs the full A_FP', () => {
  const r = scoreFile(file([20, 40]), standard, 0.5);
  close(r.score, 1 - 0.11);
  assert.equal(r.fp, 1);
});

test('an FP right after a window costs little, one far after it the full A_FP', () => {
  // row 50: y = (50 - 49) / (10 - 1); row 90: y = 41/9 ≥ 3 → -1
  close(scoreFile(file([40, 50]), standard, 0.5).score, 1 + 0.11 * scaledSigmoid(1 / 9));
  close(scoreFile(file([40, 90]), standard, 0.5).score, 1 - 0.11);
  const w = rowWeights(N, W, standard);
  assert.ok(w[50]!.weight > -0.11 / 2 && w[50]!.weight < 0);
});

test('only the first detection in a window counts; the others neither earn nor cost', () => {
  close(scoreFile(file([40, 41, 45, 49]), standard, 0.5).score, 1);
  const r = scoreFile(file([45, 46]), standard, 0.5);
  close(r.score, scaledSigmoid(-0.5) / scaledSigmoid(-1));
  assert.equal(r.tp, 1);
  assert.equal(r.fp, 0);
});

test('detections in the probationary period are ignored, and so are windows inside it', () => {
  close(scoreFile(file([0, 5, 14, 40]), standard, 0.5).score, 1);
  const early = scoreFile(file([5], [{ start: 2, end: 10 }, ...W]), standard, 0.5);
  assert.equal(early.windows, 1);
  close(early.score, -1);
});

test('threshold sweep: one threshold for all files, rows flagged at score ≥ threshold', () => {
  const a: ScoredFile = { name: 'a', scores: Array.from({ length: N }, (_, i) => (i === 40 ? 0.8 : i === 70 ? 0.6 : 0)), windows: W };
  const b: ScoredFile = { name: 'b', scores: Array.from({ length: N }, (_, i) => (i === 45 ? 0.7 : i === 20 ? 0.9 : 0)), windows: W };
  const best = sweepThreshold([a, b], standard);
  // At 0.7: a's window at its start, b's at y = -0.5, b's FP at row 20 before any window.
  assert.equal(best.threshold, 0.7);
  close(best.score, 1 + scaledSigmoid(-0.5) / scaledSigmoid(-1) - 0.11);
  const p = scoreProfile('standard', [a, b], standard);
  close(p.raw, best.score);
  close(p.files[0]!.score + p.files[1]!.score, p.raw);
});

test('normalisation: 100 for the perfect detector, 0 for the null detector', () => {
  const perfect = scoreProfile('standard', [file([40])], standard);
  close(perfect.normalised, 100);
  const none = scoreProfile('standard', [file([])], standard);
  close(none.normalised, 0);
  close(normalise(-2, 1, lowFn).normalised, 0);
  close(normalise(1, 1, lowFn).normalised, 100);
  // A constant score: the sweep may flag everything or nothing; nothing is better here.
  const constant = scoreProfile('standard', [{ name: 'c', scores: new Array(N).fill(0.5), windows: W }], standard);
  close(constant.normalised, 0);
});

test('window limits map to rows by timestamp', () => {
  const times = [0, 1, 2, 3, 4].map((k) => parseNabTime(`2015-03-01 00:0${k}:53`));
  assert.deepEqual(windowsToRows(times, [['2015-03-01 00:01:53.000000', '2015-03-01 00:03:53.000000']]), [{ start: 1, end: 3 }]);
});
