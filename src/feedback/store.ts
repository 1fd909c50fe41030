import type { Counter } from 'prom-client';
import { levels, type Level } from '../events/classification.js';
import { verdicts, type Feedback, type Verdict } from '../events/feedback.js';

/** Latest feedback records kept for the API; the counts cover every record ever applied. */
const RECENT = 1000;

export type FeedbackCounts = Record<Level, Record<Verdict, number> & { precision: number | null }>;

/** Where feedback is kept so it survives a restart: the feedback topic, or a file in embedded mode. */
export interface FeedbackLog {
  readonly name: string;
  /** Replays what is kept into `apply`, then keeps applying new records (the topic: also other instances'). */
  start(apply: (record: Feedback) => void): Promise<void>;
  /** Resolves once the record is kept (the topic: acknowledged; the file: written). */
  append(record: Feedback): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * Feedback counted per level and verdict (stormwatch_feedback_total, and the precision per level:
 * confirmed ÷ all verdicts), and the latest records. Records are applied once per id, so a replay
 * overlapping what is known counts nothing twice.
 */
export class FeedbackStore {
  private readonly counts = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly recentRecords: Feedback[] = [];

  constructor(private readonly counter: Counter<'level' | 'verdict'>) {
    for (const level of levels) for (const verdict of verdicts) counter.inc({ level, verdict }, 0);
  }

  apply(record: Feedback): void {
    if (this.seen.has(record.id)) return;
    this.seen.add(record.id);
    const label = `${record.level}/${record.verdict}`;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    this.counter.inc({ level: record.level, verdict: record.verdict });
    this.recentRecords.push(record);
    if (this.recentRecords.length > RECENT) this.recentRecords.shift();
  }

  /** Newest first. */
  recent(limit: number, episodeId?: string): Feedback[] {
    const out: Feedback[] = [];
    for (let i = this.recentRecords.length - 1; i >= 0 && out.length < limit; i--) {
      const r = this.recentRecords[i]!;
      if (episodeId === undefined || r.episodeId === episodeId) out.push(r);
    }
    return out;
  }

  summary(): FeedbackCounts {
    const out = {} as FeedbackCounts;
    for (const level of levels) {
      const row = Object.fromEntries(verdicts.map((v) => [v, this.counts.get(`${level}/${v}`) ?? 0])) as Record<Verdict, number>;
      const total = verdicts.reduce((sum, v) => sum + row[v], 0);
      out[level] = { ...row, precision: total === 0 ? null : row.confirmed / total };
    }
    return out;
  }
}
