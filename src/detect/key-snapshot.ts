import { classificationEventErrors, type ClassificationEvent } from '../events/classification.js';
import { Episode } from './classifier/episode.js';
import { HLL_REGISTERS } from './hll.js';
import { KeyState } from './key-state.js';
import type { KeyPolicy } from './policy/policy.js';
import { SnapshotError } from './snapshot.js';
import type { EpisodeSnapshot, KeySnapshot, RingBucketSnapshot } from './snapshot-types.js';
import { BucketRing, Field, FIELDS } from './window/bucket-ring.js';

/** What a key's snapshot is taken and restored under: the engine's bucket width and window shape. */
export interface SnapshotShape {
  bucketMs: number;
  /** Buckets in the short window. */
  windowBuckets: number;
  /** Buckets one ring holds (the window plus the allowed lateness). */
  ringSize: number;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** The buckets of `state`'s ring still in play and holding data, oldest first; undefined without a ring. */
function ringSnapshotOf(state: KeyState, shape: SnapshotShape): RingBucketSnapshot[] | undefined {
  if (state.ring === undefined) return undefined;
  const ring: RingBucketSnapshot[] = [];
  // Buckets before this one were cleared when the windows ending in them closed.
  const first = Math.max(state.closedThrough - shape.windowBuckets + 2, state.lastDataBucket - shape.ringSize + 1);
  for (let b = first; b <= state.lastDataBucket; b++) {
    if (state.ring.get(b, Field.Mentions) === 0) continue;
    const bucket: RingBucketSnapshot = { bucket: b, sums: new Float32Array(FIELDS), sketches: new Uint8Array(2 * HLL_REGISTERS) };
    state.ring.readBucket(b, bucket.sums, bucket.sketches);
    ring.push(bucket);
  }
  return ring;
}

function episodeSnapshotOf(episode: Episode, lastEvent: ClassificationEvent | undefined): EpisodeSnapshot {
  return {
    level: episode.level,
    openedAs: episode.openedAs,
    levelChangedAtMs: episode.levelChangedAtMs,
    onsetMs: episode.onsetMs,
    startedAtMs: episode.startedAtMs,
    sequence: episode.sequence,
    peakSeverity: episode.peakSeverity,
    lastAnnouncedSeverity: episode.lastAnnouncedSeverity,
    subsided: episode.subsided,
    coordinated: episode.coordinated,
    escalations: episode.escalations,
    peakMentionsPerMinute: episode.peakMentionsPerMinute,
    peakRateRatio: episode.peakRateRatio,
    totalMentions: episode.totalMentions,
    negativeMentions: episode.negativeMentions,
    readMentions: episode.readMentions,
    course: [...episode.coursePoints()],
    lastEvent: lastEvent === undefined || lastEvent.episodeId !== episode.id ? new Uint8Array(0) : textEncoder.encode(JSON.stringify(lastEvent)),
  };
}

/**
 * The snapshot of one key's state. `closedByTime`: the last bucket the key's own time or the
 * engine's clock has closed for it, which may be ahead of its closedThrough (closed lazily).
 */
export function keySnapshotOf(state: KeyState, shape: SnapshotShape, closedByTime: number): KeySnapshot {
  const ring = ringSnapshotOf(state, shape);
  const r = state.rate;
  const episode = state.classifier.episode;
  return {
    key: state.key,
    bucketMs: shape.bucketMs,
    streamTimeMs: state.streamMs,
    lateThroughBucket: Math.max(closedByTime, state.closedThrough, state.lateThrough),
    closedThrough: state.closedThrough,
    lastDataBucket: state.lastDataBucket,
    ring,
    rate: {
      level: r.level,
      weightPerMention: r.weightPerMention,
      volumeDispersion: r.volumeDispersion,
      weightDispersion: r.weightDispersion,
      bucketsSeen: r.bucketsSeen,
      authorsPerMention: r.authorsPerMention,
      textsPerMention: r.textsPerMention,
      season: r.season,
      seasonVisits: r.seasonVisits,
    },
    negativity: { ...state.negativity },
    alarm: { usualMentions: state.alarm.usualMentions, usualAlarmed: state.alarm.usualAlarmed },
    classifier: state.classifier.saveState(),
    episode: episode === undefined ? undefined : episodeSnapshotOf(episode, state.lastEvent),
  };
}

/** The latest event a snapshot carries, if it is one of this episode that matches the schema. */
function decodeLastEvent(bytes: Uint8Array, episodeId: string): ClassificationEvent | undefined {
  if (bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(bytes));
  } catch {
    throw new SnapshotError('malformed', 'the episode\'s latest event is not JSON');
  }
  if (classificationEventErrors(value).length > 0 || (value as ClassificationEvent).episodeId !== episodeId) {
    throw new SnapshotError('malformed', 'the episode\'s latest event does not match the schema or the episode');
  }
  return value as ClassificationEvent;
}

function episodeFromSnapshot(key: string, e: EpisodeSnapshot): Episode {
  const episode = new Episode(key, e.openedAs, e.onsetMs, e.startedAtMs);
  if (e.level !== e.openedAs) episode.raise(e.level, e.levelChangedAtMs);
  episode.sequence = e.sequence;
  episode.peakSeverity = e.peakSeverity;
  episode.lastAnnouncedSeverity = e.lastAnnouncedSeverity;
  episode.subsided = e.subsided;
  episode.coordinated = e.coordinated;
  episode.escalations = e.escalations;
  episode.peakMentionsPerMinute = e.peakMentionsPerMinute;
  episode.peakRateRatio = e.peakRateRatio;
  episode.totalMentions = e.totalMentions;
  episode.negativeMentions = e.negativeMentions;
  episode.readMentions = e.readMentions;
  episode.restoreCourse(e.course);
  return episode;
}

/** The ring buckets still in this shape's window; throws when they do not fit its ring. */
function liveRingBuckets(s: KeySnapshot, shape: SnapshotShape): RingBucketSnapshot[] | undefined {
  if (s.bucketMs !== shape.bucketMs) throw new SnapshotError('config_mismatch', `snapshot of ${s.key} has ${s.bucketMs} ms buckets, this engine ${shape.bucketMs} ms`);
  // Buckets that have left this engine's window are not restored (a shorter window than the
  // exporter's); the rest must fit the ring.
  const live = s.ring?.filter((b) => b.bucket >= s.closedThrough - shape.windowBuckets + 2);
  if (live !== undefined && live.length > 0 && live[live.length - 1]!.bucket - live[0]!.bucket >= shape.ringSize) {
    throw new SnapshotError('config_mismatch', `snapshot of ${s.key} spans more buckets than this engine's ring holds`);
  }
  return live;
}

/**
 * A key's state rebuilt from its snapshot, under its settings by `policy`; it has a ring (of
 * its own arrays, not a pool's) if the snapshot had one. Throws `SnapshotError` for another
 * bucket width, a ring this shape cannot hold, or a latest event that does not match.
 */
export function keyStateFromSnapshot(s: KeySnapshot, shape: SnapshotShape, policy: KeyPolicy): KeyState {
  const live = liveRingBuckets(s, shape);
  const state = new KeyState(s.key, policy(s.key), 0);
  state.closedThrough = s.closedThrough;
  state.lastDataBucket = s.lastDataBucket;
  state.lateThrough = Math.max(s.lateThroughBucket, s.closedThrough);
  state.streamMs = s.streamTimeMs;
  const rate = state.rate;
  rate.level = s.rate.level;
  rate.weightPerMention = s.rate.weightPerMention;
  rate.volumeDispersion = s.rate.volumeDispersion;
  rate.weightDispersion = s.rate.weightDispersion;
  rate.bucketsSeen = s.rate.bucketsSeen;
  rate.authorsPerMention = s.rate.authorsPerMention;
  rate.textsPerMention = s.rate.textsPerMention;
  rate.season.set(s.rate.season);
  rate.seasonVisits.set(s.rate.seasonVisits);
  Object.assign(state.negativity, s.negativity);
  Object.assign(state.alarm, s.alarm);
  let episode: Episode | undefined;
  if (s.episode !== undefined) {
    episode = episodeFromSnapshot(s.key, s.episode);
    state.lastEvent = decodeLastEvent(s.episode.lastEvent, episode.id);
  }
  state.classifier.restoreState(s.classifier, episode);
  if (live !== undefined) {
    const ring = new BucketRing(shape.ringSize);
    for (const b of live) ring.writeBucket(b.bucket, b.sums, b.sketches);
    state.ring = ring;
  }
  return state;
}
