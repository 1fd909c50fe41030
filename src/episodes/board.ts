import type { Acknowledgement, ClassificationEvent, ClassificationType, Level, PostMortem } from '../events/classification.js';
import { levels } from '../events/classification.js';
import type { EventSink } from '../ports.js';

/** One episode as /api/episodes shows it. */
export interface EpisodeView {
  episodeId: string;
  key: string;
  level: Level;
  status: 'active' | 'ended';
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  severity: number;
  peakSeverity: number;
  lastType: ClassificationType;
  events: number;
  explanation: string;
  /** The latest event of the episode in full (evidence, drivers, playbook). */
  latest: ClassificationEvent;
  postMortem?: PostMortem;
  /** The first acknowledgement (the one published). */
  acknowledgement?: Acknowledgement;
  /** Every acknowledgement this instance has seen, the first included, oldest first (at most MAX_ACKNOWLEDGEMENTS). */
  acknowledgements: Acknowledgement[];
}

export interface EpisodeSnapshot {
  active: EpisodeView[];
  recent: EpisodeView[];
}

/** Acknowledgements listed per episode; later ones are still answered, not listed. */
const MAX_ACKNOWLEDGEMENTS = 20;

/**
 * Active and recently ended episodes, built from the classification event stream: the state
 * behind GET /api/episodes and the active-episodes gauge. Memory is bounded by the engine (one
 * active episode per key and level) plus `recentLimit` ended ones.
 */
export class EpisodeBoard implements EventSink {
  readonly name = 'episode-board';
  private readonly active = new Map<string, EpisodeView>();
  /** Ended episodes, oldest first. */
  private readonly recent: EpisodeView[] = [];

  constructor(private readonly recentLimit = 100) {}

  async publish(events: readonly ClassificationEvent[]): Promise<void> {
    for (const event of events) this.apply(event);
  }

  apply(event: ClassificationEvent): void {
    let view = this.active.get(event.episodeId);
    if (view === undefined) {
      // An episode first seen by a later event (e.g. after a restart) is shown from there.
      view = {
        episodeId: event.episodeId,
        key: event.key,
        level: event.level,
        status: 'active',
        startedAt: event.at,
        updatedAt: event.at,
        severity: event.severity,
        peakSeverity: event.severity,
        lastType: event.type,
        events: 0,
        explanation: event.explanation,
        latest: event,
        acknowledgements: [],
      };
      this.active.set(event.episodeId, view);
    }
    view.updatedAt = event.at;
    // An episode's level can rise (storm.level_changed): the board shows the current one.
    view.level = event.level;
    view.severity = event.severity;
    view.peakSeverity = Math.max(view.peakSeverity, event.severity);
    view.lastType = event.type;
    view.events++;
    view.explanation = event.explanation;
    view.latest = event;
    if (event.acknowledgement !== undefined && view.acknowledgement === undefined) this.record(view, event.acknowledgement);
    if (event.type.endsWith('.ended')) {
      this.active.delete(event.episodeId);
      view.status = 'ended';
      view.endedAt = event.at;
      if (event.postMortem !== undefined) {
        view.postMortem = event.postMortem;
        view.startedAt = event.postMortem.startedAt;
        view.peakSeverity = Math.max(view.peakSeverity, event.postMortem.peakSeverity);
      }
      if (this.recentLimit > 0) {
        this.recent.push(view);
        if (this.recent.length > this.recentLimit) this.recent.shift();
      }
    }
  }

  /** An acknowledgement of an episode that was acknowledged before: kept for the API, not published. */
  recordAcknowledgement(episodeId: string, first: Acknowledgement, acknowledgement: Acknowledgement): void {
    const view = this.find(episodeId);
    if (view === undefined) return;
    // The first one's event may still be on its way here.
    if (view.acknowledgement === undefined) this.record(view, first);
    this.record(view, acknowledgement);
  }

  private record(view: EpisodeView, acknowledgement: Acknowledgement): void {
    view.acknowledgement ??= acknowledgement;
    if (view.acknowledgements.length < MAX_ACKNOWLEDGEMENTS) view.acknowledgements.push(acknowledgement);
  }

  /** An active or recently ended episode. */
  find(episodeId: string): EpisodeView | undefined {
    return this.active.get(episodeId) ?? this.recent.find((v) => v.episodeId === episodeId);
  }

  /** Keys that moved to another instance: their active episodes leave this board (not ended, not recent). */
  retract(keys: ReadonlySet<string>): void {
    for (const [id, view] of this.active) if (keys.has(view.key)) this.active.delete(id);
  }

  /** Open episodes taken over with their keys, from their latest event: listed, not announced again. */
  inherit(events: readonly ClassificationEvent[]): void {
    for (const event of events) {
      if (this.active.has(event.episodeId)) continue;
      this.apply(event);
      this.active.get(event.episodeId)!.events = event.sequence;
    }
  }

  /** Active episodes by severity (highest first), recent ones newest first. */
  snapshot(limit = Number.POSITIVE_INFINITY): EpisodeSnapshot {
    const active = [...this.active.values()].sort((a, b) => b.severity - a.severity || (a.startedAt < b.startedAt ? -1 : 1));
    const recent = this.recent.slice().reverse();
    return { active: active.slice(0, limit), recent: recent.slice(0, limit) };
  }

  activeCount(): number {
    return this.active.size;
  }

  activeByLevel(): Record<Level, number> {
    const counts = Object.fromEntries(levels.map((l) => [l, 0])) as Record<Level, number>;
    for (const view of this.active.values()) counts[view.level]++;
    return counts;
  }

  /** The level of each key's active episode(s), the most severe level first wins. */
  activeLevelByKey(keys: ReadonlySet<string> | undefined): Map<string, Level> {
    const out = new Map<string, Level>();
    if (keys === undefined || keys.size === 0) return out;
    for (const view of this.active.values()) {
      if (!keys.has(view.key)) continue;
      const current = out.get(view.key);
      if (current === undefined || levels.indexOf(view.level) < levels.indexOf(current)) out.set(view.key, view.level);
    }
    return out;
  }

  isReady(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}
