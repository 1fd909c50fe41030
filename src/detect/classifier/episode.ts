import type { Level, PostMortem } from '../../events/classification.js';
import { stableId } from '../../util/hash.js';
import { iso } from '../time.js';

const MAX_COURSE_POINTS = 48;

export interface CoursePoint {
  atMs: number;
  mentions: number;
  negative: number;
  /** Mentions in a script we read: the negative share is of these. */
  read: number;
}

/**
 * One incident of one key, from start to end: its deterministic id, the sequence of its events,
 * and what the post-mortem needs. It opens as a storm, drizzle or surge; a surge or drizzle can
 * rise to storm while it lasts (same id), a storm never goes back.
 */
export class Episode {
  readonly id: string;
  /** The level now. */
  level: Level;
  /** When it rose to storm; NaN if it never changed level. */
  levelChangedAtMs = Number.NaN;
  sequence = 0;
  peakSeverity = 0;
  lastAnnouncedSeverity = 0;
  subsided = false;
  /** Opened as a suspected coordinated surge: it stays one (its tail looks organic). */
  coordinated = false;
  escalations = 0;
  peakMentionsPerMinute = 0;
  peakRateRatio = 0;
  totalMentions = 0;
  negativeMentions = 0;
  /** Mentions in a script we read: `negativeMentions` is a count of these. */
  readMentions = 0;
  private readonly course: CoursePoint[] = [];

  constructor(
    readonly key: string,
    readonly openedAs: Level,
    readonly onsetMs: number,
    readonly startedAtMs: number,
  ) {
    this.level = openedAs;
    // Same key, opening level and onset → same id, after a restart or in a replay.
    this.id = `${openedAs}-${stableId(`${key}\u0000${openedAs}\u0000${onsetMs}`)}`;
  }

  /** The same incident, now at `level` (a surge or drizzle that became a storm). */
  raise(level: Level, atMs: number): void {
    this.level = level;
    this.levelChangedAtMs = atMs;
  }

  /** The sentiment course so far (for snapshots): live objects, do not modify. */
  coursePoints(): readonly CoursePoint[] {
    return this.course;
  }

  /** Replaces the course (restoring a snapshot). */
  restoreCourse(points: readonly CoursePoint[]): void {
    this.course.length = 0;
    for (const p of points) this.course.push({ atMs: p.atMs, mentions: p.mentions, negative: p.negative, read: p.read });
  }

  nextSequence(): number {
    return ++this.sequence;
  }

  /** Folds one closed bucket in. */
  record(bucketStartMs: number, bucketMentions: number, bucketNegative: number, bucketRead: number, mentionsPerMinute: number, rateRatio: number, severity: number): void {
    this.totalMentions += bucketMentions;
    this.negativeMentions += bucketNegative;
    this.readMentions += bucketRead;
    if (mentionsPerMinute > this.peakMentionsPerMinute) this.peakMentionsPerMinute = mentionsPerMinute;
    if (rateRatio > this.peakRateRatio) this.peakRateRatio = rateRatio;
    if (severity > this.peakSeverity) this.peakSeverity = severity;
    this.course.push({ atMs: bucketStartMs, mentions: bucketMentions, negative: bucketNegative, read: bucketRead });
    if (this.course.length > MAX_COURSE_POINTS) this.halveCourse();
  }

  /** Merges neighbouring points so the course keeps its shape in bounded space. */
  private halveCourse(): void {
    const merged: CoursePoint[] = [];
    for (let i = 0; i < this.course.length; i += 2) {
      const a = this.course[i]!;
      const b = this.course[i + 1];
      merged.push(b === undefined ? a : { atMs: a.atMs, mentions: a.mentions + b.mentions, negative: a.negative + b.negative, read: a.read + b.read });
    }
    this.course.length = 0;
    this.course.push(...merged);
  }

  postMortem(endedAtMs: number): PostMortem {
    return {
      startedAt: iso(this.startedAtMs),
      endedAt: iso(endedAtMs),
      durationMs: endedAtMs - this.startedAtMs,
      onsetAt: iso(this.onsetMs),
      timeToDetectMs: Math.max(0, this.startedAtMs - this.onsetMs),
      peakMentionsPerMinute: round2(this.peakMentionsPerMinute),
      peakRateRatio: round2(this.peakRateRatio),
      peakSeverity: this.peakSeverity,
      totalMentions: Math.round(this.totalMentions),
      negativeMentions: Math.round(this.negativeMentions),
      readMentions: Math.round(this.readMentions),
      escalations: this.escalations,
      openedAs: this.openedAs,
      ...(Number.isNaN(this.levelChangedAtMs) ? {} : { levelChangedAt: iso(this.levelChangedAtMs) }),
      sentimentCourse: this.course.map((p) => ({
        at: iso(p.atMs),
        mentions: Math.round(p.mentions),
        negativeShare: p.read > 0 ? round2(p.negative / p.read) : 0,
      })),
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
