import { loadConfig } from '../../src/config/load.js';
import type { DetectionConfig } from '../../src/detect/config.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import type { ClassificationEvent } from '../../src/events/classification.js';
import type { MentionInput } from '../../src/events/mention.js';
import { createPipeline } from '../../src/pipeline.js';
import type { CrisisStream } from './streams.js';

/** Runs mentions (in time order) through the pipeline `stormwatch replay` uses; returns its events. */
export function replay(mentions: readonly MentionInput[], detection: Partial<DetectionConfig> = {}): ClassificationEvent[] {
  const config = loadConfig({ env: {} });
  const events: ClassificationEvent[] = [];
  const pipeline = createPipeline({ ...config, detection: { ...config.detection, ...detection } }, createSentimentScorer(), { onEvent: (e) => events.push(e) });
  for (const m of mentions) pipeline.handleRecord(JSON.stringify(m));
  pipeline.finish();
  return events;
}

/** What a crisis manager sees of one sudden event. */
export interface CrisisVerdict {
  /** Events that fired before the published onset. */
  readonly early: number;
  readonly first: ClassificationEvent | undefined;
  /** The first event that puts the incident at storm level (a start or a level change). */
  readonly storm: ClassificationEvent | undefined;
  /** Episodes opened within the day after the onset: one incident should be one. */
  readonly episodes: number;
}

export function crisisVerdict(events: readonly ClassificationEvent[], onsetMs: number): CrisisVerdict {
  const after = events.filter((e) => Date.parse(e.at) >= onsetMs);
  return {
    early: events.length - after.length,
    first: after[0],
    storm: after.find((e) => e.level === 'storm'),
    episodes: new Set(after.map((e) => e.episodeId)).size,
  };
}

/** A storm is "on time" within this long of the later of the onset and the stream showing it. */
export const STORM_WITHIN_MS = 15 * 60_000;

/** One crisis replay, judged: minutes are from the published onset unless said otherwise. */
export interface CrisisRow {
  readonly event: string;
  readonly before: number;
  readonly early: number;
  readonly firstType: string;
  readonly firstDelayMin: number;
  readonly stormFromOnsetMin: number;
  readonly stormFromVisibleMin: number;
  readonly episodes: number;
  /** Storm level within STORM_WITHIN_MS of the visible onset, and nothing before the onset. */
  readonly onTime: boolean;
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

export function crisisRow(s: CrisisStream, events: readonly ClassificationEvent[]): CrisisRow {
  const v = crisisVerdict(events, s.onsetMs);
  const stormMs = v.storm === undefined ? Number.NaN : Date.parse(v.storm.at);
  const from = Math.max(s.onsetMs, s.visibleMs);
  return {
    event: s.event,
    before: s.before,
    early: v.early,
    firstType: v.first?.type ?? '-',
    firstDelayMin: v.first === undefined ? Number.NaN : minutes(Date.parse(v.first.at) - s.onsetMs),
    stormFromOnsetMin: minutes(stormMs - s.onsetMs),
    stormFromVisibleMin: minutes(stormMs - from),
    episodes: v.episodes,
    onTime: v.early === 0 && stormMs - from <= STORM_WITHIN_MS,
  };
}

/** Distinct episodes that reached storm level. */
export function stormEpisodes(events: readonly ClassificationEvent[]): number {
  return new Set(events.filter((e) => e.level === 'storm').map((e) => e.episodeId)).size;
}
