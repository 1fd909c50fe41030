/**
 * The background rate's shape over time: a daily rhythm (quiet nights, a daytime plateau and an
 * evening peak, normalised to average 1 over a day) times compounded organic growth.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1_440;

/** Unnormalised activity at a local hour of day (0..24). */
function rawActivity(hour: number): number {
  // Low around 04:00, high through the afternoon.
  const day = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24);
  // Evening peak around 20:30 (people on their phones after dinner).
  const evening = Math.exp(-((hour - 20.5) ** 2) / (2 * 1.4 ** 2)) + Math.exp(-((hour + 3.5) ** 2) / (2 * 1.4 ** 2));
  return 0.15 + 0.85 * day + 0.55 * evening;
}

export class RateShape {
  /** Normalised rhythm per local minute of day, plus one wrap-around entry for interpolation. */
  private readonly table: Float64Array;
  private readonly offsetMs: number;
  private readonly growthPerMs: number;
  readonly maxRhythm: number;
  readonly minRhythm: number;

  constructor(
    private readonly startMs: number,
    dailyRhythm: boolean,
    utcOffsetMinutes: number,
    growthPerDay: number,
  ) {
    this.table = new Float64Array(MINUTES_PER_DAY + 1);
    let sum = 0;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const value = dailyRhythm ? rawActivity(m / 60) : 1;
      this.table[m] = value;
      sum += value;
    }
    const mean = sum / MINUTES_PER_DAY;
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const value = (this.table[m] as number) / mean;
      this.table[m] = value;
      max = Math.max(max, value);
      min = Math.min(min, value);
    }
    this.table[MINUTES_PER_DAY] = this.table[0] as number;
    this.maxRhythm = max;
    this.minRhythm = min;
    this.offsetMs = utcOffsetMinutes * MINUTE_MS;
    this.growthPerMs = Math.log1p(growthPerDay) / DAY_MS;
  }

  /** Daily rhythm multiplier at event time `tMs` (average 1 over a day). */
  rhythm(tMs: number): number {
    let ofDay = (tMs + this.offsetMs) % DAY_MS;
    if (ofDay < 0) ofDay += DAY_MS;
    const minute = ofDay / MINUTE_MS;
    const i = Math.floor(minute);
    const f = minute - i;
    const a = this.table[i] as number;
    return a + ((this.table[i + 1] as number) - a) * f;
  }

  /** Largest rhythm value over [fromMs, toMs] (exact: the table is piecewise linear). */
  maxRhythmBetween(fromMs: number, toMs: number): number {
    if (toMs - fromMs >= DAY_MS) return this.maxRhythm;
    let max = Math.max(this.rhythm(fromMs), this.rhythm(toMs));
    const firstNode = Math.ceil((fromMs + this.offsetMs) / MINUTE_MS) * MINUTE_MS - this.offsetMs;
    for (let t = firstNode; t < toMs; t += MINUTE_MS) max = Math.max(max, this.rhythm(t));
    return max;
  }

  /** Organic growth multiplier at `tMs` (1 at the start). */
  growth(tMs: number): number {
    return this.growthPerMs === 0 ? 1 : Math.exp(this.growthPerMs * (tMs - this.startMs));
  }

  /** Background multiplier: rhythm × growth. */
  at(tMs: number): number {
    return this.rhythm(tMs) * this.growth(tMs);
  }
}
