import type { ClassificationEvent } from '../events/classification.js';

/** One sample of an episode's course: event time, volume against the usual, negative share. */
export interface CurvePoint {
  /** Event time of the sample (ISO 8601 UTC), at most one per event-time minute. */
  at: string;
  mentionsPerMinute: number;
  usualPerMinute: number;
  /** From the episode's latest event's evidence. */
  negativeShare: number;
}

export interface EpisodeCurve {
  episodeId: string;
  key: string;
  /** The volume a storm needs on top of the usual (detection.minRateRatio): the top of the usual band. */
  bandRatio: number;
  points: CurvePoint[];
}

/** Observed and usual mentions per ms in a key's latest closed window (the engine's windowRate). */
export type WindowRate = (key: string) => { observedPerMs: number; usualPerMs: number } | undefined;

const MINUTE_MS = 60_000;

interface Series {
  curve: EpisodeCurve;
  negativeShare: number;
  /** Event-time milliseconds between kept samples; doubles each time the series is thinned. */
  stepMs: number;
  /** Event time of the latest point kept for good (not provisional). */
  lastMs: number;
  /** Whether the last point is the latest sample between two steps, replaced by the next. */
  provisional: boolean;
}

/**
 * Per-episode series of volume against the usual, sampled from the engine's windowRate in the
 * service layer (the detector is not involved): bounded to `maxPoints` per episode (at least 4) by thinning
 * (every other point dropped, the spacing doubled, so the series still runs from the start to now),
 * and kept for `maxEnded` ended episodes besides the active ones.
 */
export class EpisodeCurves {
  private readonly active = new Map<string, Series>();
  private readonly ended = new Map<string, EpisodeCurve>();

  constructor(
    private readonly options: { bandRatio: number; maxPoints: number; maxEnded: number },
  ) {}

  /** Follows the episodes as their events are published. */
  observe(event: ClassificationEvent, rate: WindowRate): void {
    let series = this.active.get(event.episodeId);
    if (series === undefined) {
      if (event.type.endsWith('.ended') || this.ended.has(event.episodeId)) return;
      series = { curve: { episodeId: event.episodeId, key: event.key, bandRatio: this.options.bandRatio, points: [] }, negativeShare: event.evidence.negativeShare, stepMs: MINUTE_MS, lastMs: Number.NEGATIVE_INFINITY, provisional: false };
      this.active.set(event.episodeId, series);
    }
    series.negativeShare = event.evidence.negativeShare;
    const atMs = Date.parse(event.at);
    // Every event is a point of its own (the start, the end), whatever the spacing.
    this.push(series, atMs, rate, true);
    if (event.type.endsWith('.ended')) {
      this.active.delete(event.episodeId);
      this.ended.set(event.episodeId, series.curve);
      if (this.ended.size > this.options.maxEnded) this.ended.delete(this.ended.keys().next().value!);
    }
  }

  /** A sample of every active episode at event time `nowMs`, where a step has passed since the last. */
  sample(nowMs: number, rate: WindowRate): void {
    if (!Number.isFinite(nowMs)) return;
    for (const series of this.active.values()) this.push(series, nowMs, rate, false);
  }

  curve(episodeId: string): EpisodeCurve | undefined {
    return this.active.get(episodeId)?.curve ?? this.ended.get(episodeId);
  }

  /** Active episodes of keys that moved to another instance: their curves go with them. */
  retract(keys: ReadonlySet<string>): void {
    for (const [id, series] of this.active) if (keys.has(series.curve.key)) this.active.delete(id);
  }

  private push(series: Series, atMs: number, rate: WindowRate, always: boolean): void {
    const minuteMs = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
    const points = series.curve.points;
    const latestMs = points.length === 0 ? Number.NEGATIVE_INFINITY : Date.parse(points[points.length - 1]!.at);
    if (minuteMs <= latestMs) return;
    const r = rate(series.curve.key);
    if (r === undefined) return;
    const point: CurvePoint = { at: new Date(minuteMs).toISOString(), mentionsPerMinute: r.observedPerMs * MINUTE_MS, usualPerMinute: r.usualPerMs * MINUTE_MS, negativeShare: series.negativeShare };
    // Between steps, the latest sample stands in as the last point ("now") until the next step replaces it.
    if (series.provisional) points.pop();
    series.provisional = !always && minuteMs - series.lastMs < series.stepMs;
    points.push(point);
    if (series.provisional) return;
    series.lastMs = minuteMs;
    if (points.length >= this.options.maxPoints) {
      // Room for a provisional point: keep the first and the latest, drop every other one between.
      const thinned = points.filter((_, i) => i % 2 === 0);
      if (thinned[thinned.length - 1] !== point) thinned.push(point);
      series.curve.points = thinned;
      series.stepMs *= 2;
    }
  }
}
