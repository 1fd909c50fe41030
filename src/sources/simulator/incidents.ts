import type { IncidentConfig, IncidentKind } from './config.js';

/**
 * Incidents in event time: when they run, how strong they are, and the shape of their extra volume
 * (0..1 over the window: a rise, a plateau, then an exponential or linear fall).
 */

const MINUTE_MS = 60_000;

export interface ScheduledIncident {
  /** Stable id: `${kind}:${key}:${index}` (index in the config's incident list). */
  readonly id: string;
  readonly index: number;
  readonly kind: IncidentKind;
  readonly key: string;
  /** Event-time window [startMs, endMs). */
  readonly startMs: number;
  readonly endMs: number;
  readonly intensity: number;
  /** Volume at the peak relative to the brand's usual rate at that time of day. */
  readonly peakMultiplier: number;
  /** Storms: the crisis topic; surges: the theme; otherwise undefined. */
  readonly topic: string | undefined;
  /** Share of the brand's mentions that are negative at the peak (drizzles, storms, bot bursts: approximate). */
  readonly peakNegativeShare: number;
}

/** Peak volume multiplier range per kind, interpolated by intensity. */
export const peakMultiplierRange: Readonly<Record<IncidentKind, readonly [number, number]>> = {
  storm: [5, 15],
  surge: [5, 10],
  drizzle: [1.1, 1.3],
  bot_burst: [3, 8],
};

/** Target share of negative mentions at a drizzle's plateau, by intensity. */
export const drizzleNegativeShareRange: readonly [number, number] = [0.5, 0.7];

export function peakMultiplier(kind: IncidentKind, intensity: number): number {
  const [lo, hi] = peakMultiplierRange[kind];
  return lo + (hi - lo) * intensity;
}

/** The volume profile of one incident: 0 outside the window, up to 1 at the plateau. */
export class IncidentProfile {
  readonly riseEndMs: number;
  readonly holdEndMs: number;
  private readonly fallRatePerMs: number;

  constructor(
    readonly startMs: number,
    readonly endMs: number,
    riseMs: number,
    holdFraction: number,
    private readonly fall: 'exponential' | 'linear',
  ) {
    const duration = endMs - startMs;
    this.riseEndMs = startMs + Math.min(riseMs, duration / 2);
    this.holdEndMs = Math.max(this.riseEndMs, startMs + duration * holdFraction);
    // Exponential fall to e^-3 ≈ 5 % at the end of the window.
    this.fallRatePerMs = 3 / Math.max(1, endMs - this.holdEndMs);
  }

  static forKind(kind: IncidentKind, startMs: number, durationMs: number): IncidentProfile {
    const endMs = startMs + durationMs;
    switch (kind) {
      case 'storm':
        return new IncidentProfile(startMs, endMs, Math.min(20 * MINUTE_MS, durationMs * 0.15), 0.4, 'exponential');
      case 'surge':
        return new IncidentProfile(startMs, endMs, Math.min(10 * MINUTE_MS, durationMs * 0.1), 0.3, 'exponential');
      case 'drizzle':
        return new IncidentProfile(startMs, endMs, durationMs * 0.1, 0.85, 'linear');
      case 'bot_burst':
        return new IncidentProfile(startMs, endMs, Math.min(MINUTE_MS, durationMs * 0.05), 0.95, 'linear');
    }
  }

  /** Profile value inside the closed window (no cut-off at endMs: used for bounds). */
  private inside(tMs: number): number {
    if (tMs < this.riseEndMs) {
      const x = (tMs - this.startMs) / (this.riseEndMs - this.startMs);
      return x <= 0 ? 0 : x * x * (3 - 2 * x);
    }
    if (tMs <= this.holdEndMs) return 1;
    if (this.fall === 'exponential') return Math.exp(-this.fallRatePerMs * (tMs - this.holdEndMs));
    return Math.max(0, 1 - (tMs - this.holdEndMs) / (this.endMs - this.holdEndMs));
  }

  at(tMs: number): number {
    if (tMs < this.startMs || tMs >= this.endMs) return 0;
    return this.inside(tMs);
  }

  /** Exact maximum over [fromMs, toMs]: the profile rises, holds, then falls. */
  maxBetween(fromMs: number, toMs: number): number {
    const a = Math.max(fromMs, this.startMs);
    const b = Math.min(toMs, this.endMs);
    if (a > b) return 0;
    if (a <= this.holdEndMs && b >= this.riseEndMs) return 1;
    return Math.max(this.inside(a), this.inside(b));
  }
}

export function scheduleIncident(config: IncidentConfig, index: number, startMs: number, topic: string | undefined): ScheduledIncident {
  const incidentStart = startMs + config.startOffsetMs;
  const multiplier = peakMultiplier(config.kind, config.intensity);
  let peakNegativeShare: number;
  switch (config.kind) {
    case 'storm':
      peakNegativeShare = 0.85;
      break;
    case 'drizzle':
      peakNegativeShare = drizzleNegativeShareRange[0] + (drizzleNegativeShareRange[1] - drizzleNegativeShareRange[0]) * config.intensity;
      break;
    case 'surge':
      peakNegativeShare = 0.05;
      break;
    case 'bot_burst':
      peakNegativeShare = (multiplier - 1) / multiplier;
      break;
  }
  return {
    id: `${config.kind}:${config.key}:${index}`,
    index,
    kind: config.kind,
    key: config.key,
    startMs: incidentStart,
    endMs: incidentStart + config.durationMs,
    intensity: config.intensity,
    peakMultiplier: multiplier,
    topic,
    peakNegativeShare,
  };
}
