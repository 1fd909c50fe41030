import { loadConfig } from '../../src/config.js';
import type { DetectionConfig } from '../../src/detect/config.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import type { ClassificationEvent } from '../../src/events/classification.js';
import type { MentionInput } from '../../src/events/mention.js';
import { MentionPipeline } from '../../src/pipeline.js';

/** Runs mentions (in time order) through the pipeline `stormwatch replay` uses; returns its events. */
export function replay(mentions: readonly MentionInput[], detection: Partial<DetectionConfig> = {}): ClassificationEvent[] {
  const config = loadConfig({ env: {} });
  const events: ClassificationEvent[] = [];
  const pipeline = new MentionPipeline({ ...config, detection: { ...config.detection, ...detection } }, createSentimentScorer(), { onEvent: (e) => events.push(e) });
  for (const m of mentions) pipeline.handleRecord(JSON.stringify(m));
  pipeline.engine.finish();
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
