/** Small numeric helpers for the detectors, free of allocation. */

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Per-step weight of an exponential moving average: steps of `stepMs`, half-life `halfLifeMs` (any one unit for both). */
export function ewmaAlpha(stepMs: number, halfLifeMs: number): number {
  return 1 - 2 ** (-stepMs / halfLifeMs);
}

/**
 * Anscombe residual of an observed count against its expectation: for Poisson counts it is
 * close to standard normal even at small means, so 0 → 3 mentions does not look like a storm.
 */
export function anscombeZ(observed: number, expected: number, dispersion: number, relativeUncertainty = 0): number {
  // Var(√X) ≈ Var(X) / 4E[X]; with Var(X) = dispersion·λ + (κλ)² for a baseline known to ±κ.
  const variance = dispersion + relativeUncertainty * relativeUncertainty * expected;
  return (2 * (Math.sqrt(observed + 0.375) - Math.sqrt(expected + 0.375))) / Math.sqrt(variance);
}

/** Count whose Anscombe residual against `expected` is exactly `z` (inverse of anscombeZ). */
export function countAtZ(expected: number, z: number, dispersion: number): number {
  const root = Math.sqrt(expected + 0.375) + (z * Math.sqrt(dispersion)) / 2;
  return Math.max(0, root * root - 0.375);
}

/**
 * -log10 of the upper-tail probability of a standard normal at z, accurate in the far tail
 * (where 1 - Φ(z) underflows): complementary error function by Numerical Recipes' erfcc
 * (fractional error below 1.2e-7), evaluated in log space.
 */
export function upperTailLog10(z: number): number {
  if (z <= 0) return z === 0 ? Math.log10(2) : 0;
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  // erfc(x) = t * exp(poly); tail = erfc / 2.
  const lnTail = Math.log(t) + poly - Math.LN2;
  return -lnTail / Math.LN10;
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval of a proportion (z = 1.96); `trials` may be fractional (decayed counts).
 * Writes into `out` when given, so hot paths allocate nothing.
 */
export function wilsonInterval(successes: number, trials: number, out: Interval = { low: 0, high: 1 }): Interval {
  if (trials <= 0) {
    out.low = 0;
    out.high = 1;
    return out;
  }
  const z = 1.96;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  out.low = clamp01(centre - half);
  out.high = clamp01(centre + half);
  return out;
}
