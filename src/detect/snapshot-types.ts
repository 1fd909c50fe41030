import type { Level } from '../events/classification.js';
import type { ClassifierState } from './classifier/classifier.js';
import type { CoursePoint } from './classifier/episode.js';

// A key's snapshot as data: what src/detect/snapshot.ts encodes and decodes (layout there).

/** One bucket of a key's window ring: sums (FIELDS values) and its two sketches (authors, texts). */
export interface RingBucketSnapshot {
  bucket: number;
  sums: Float32Array;
  sketches: Uint8Array;
}

export interface RateSnapshot {
  level: number;
  weightPerMention: number;
  volumeDispersion: number;
  weightDispersion: number;
  bucketsSeen: number;
  authorsPerMention: number;
  textsPerMention: number;
  season: Float32Array;
  seasonVisits: Uint16Array;
}

export interface NegativitySnapshot {
  usualMentions: number;
  usualNegative: number;
  slowMentions: number;
  slowNegative: number;
}

export interface AlarmSnapshot {
  usualMentions: number;
  usualAlarmed: number;
}

export interface EpisodeSnapshot {
  /** The level now, the level it opened as (its id depends on it) and when it changed (NaN: never). */
  level: Level;
  openedAs: Level;
  levelChangedAtMs: number;
  onsetMs: number;
  startedAtMs: number;
  sequence: number;
  peakSeverity: number;
  lastAnnouncedSeverity: number;
  subsided: boolean;
  coordinated: boolean;
  escalations: number;
  peakMentionsPerMinute: number;
  peakRateRatio: number;
  totalMentions: number;
  negativeMentions: number;
  readMentions: number;
  course: CoursePoint[];
  /**
   * The episode's latest classification event as JSON (version 2): what the instance that takes
   * the key over lists on its board and feed without announcing the episode again. Empty if none.
   */
  lastEvent: Uint8Array;
}

/** The decoded snapshot of one key. */
export interface KeySnapshot {
  key: string;
  /** Bucket width the bucket indices are in; a restore under another width is refused. */
  bucketMs: number;
  /** The key's own stream time: the latest event time of its accepted mentions. */
  streamTimeMs: number;
  /**
   * Buckets that were closed for this key (by its own time or the exporter's clock): a mention of
   * the key in one of them was late there and is late after the restore too. The key's
   * closedThrough may lag it (closed lazily).
   */
  lateThroughBucket: number;
  closedThrough: number;
  lastDataBucket: number;
  /** Buckets still in play, oldest first; undefined for a key outside the active set (no ring). */
  ring: RingBucketSnapshot[] | undefined;
  rate: RateSnapshot;
  negativity: NegativitySnapshot;
  alarm: AlarmSnapshot;
  classifier: ClassifierState;
  episode: EpisodeSnapshot | undefined;
}
