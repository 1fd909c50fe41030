import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anscombeZ, countAtZ, ewmaAlpha, upperTailLog10, wilsonInterval } from '../../../src/detect/stats.js';

test('upper tail of the standard normal in log10, including the far tail', () => {
  assert.equal(upperTailLog10(-1), 0);
  assert.ok(Math.abs(upperTailLog10(0) - Math.log10(2)) < 1e-9);
  assert.ok(Math.abs(upperTailLog10(1.6448536) - 1.30103) < 1e-4); // p = 0.05
  assert.ok(Math.abs(upperTailLog10(3.0902323) - 3) < 1e-4); // p = 0.001
  assert.ok(Math.abs(upperTailLog10(10) - 23.1181) < 1e-3); // p = 7.62e-24
});

test('Anscombe residuals: 3 mentions against 0.5 expected is unusual but not extreme', () => {
  const z = anscombeZ(3, 0.5, 1);
  assert.ok(z > 1.7 && z < 1.9, `z=${z}`);
  assert.equal(anscombeZ(4, 4, 1), 0);
  assert.ok(Math.abs(countAtZ(10, anscombeZ(25, 10, 2), 2) - 25) < 1e-9);
});

test('EWMA weight halves the memory each half-life', () => {
  assert.ok(Math.abs(ewmaAlpha(60_000, 60_000) - 0.5) < 1e-12);
  assert.ok(Math.abs((1 - ewmaAlpha(1, 10)) ** 10 - 0.5) < 1e-12);
});

test('Wilson interval is wide for few mentions and narrow for many', () => {
  const few = wilsonInterval(2, 3);
  const many = wilsonInterval(200, 300);
  assert.ok(few.low < 0.21 && few.high > 0.93, JSON.stringify(few));
  assert.ok(many.low > 0.61 && many.high < 0.72, JSON.stringify(many));
  assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
});
