import type { Acknowledgement, ClassificationEvent, Level } from './events/classification.js';

/** What a person sends to acknowledge an episode. */
export interface AcknowledgeRequest {
  by: string;
  note?: string;
}

export type AcknowledgeOutcome =
  /** The first acknowledgement: `event` is to be published on every sink. */
  | { status: 'published'; event: ClassificationEvent }
  /** Acknowledged before: recorded, not published again; `first` is the one that was. */
  | { status: 'recorded'; first: Acknowledgement; acknowledgement: Acknowledgement };

interface OpenEpisode {
  /** Wall time the started event was sent; unknown for an episode first seen later (restart, handover). */
  alertedAtMs: number | undefined;
  first: Acknowledgement | undefined;
}

/** Open episodes tracked at most (the engine bounds open episodes far lower); the oldest go first. */
const MAX_OPEN = 100_000;

/**
 * Who acknowledged which open episode, in the service layer (the detector knows nothing of people):
 * builds the one `<level>.acknowledged` event per episode, and stamps the acknowledgement on every
 * later event of the episode and the time to acknowledge on its post-mortem.
 */
export class Acknowledgements {
  private readonly open = new Map<string, OpenEpisode>();

  /** An event on its way to the sinks, with the episode's acknowledgement once there is one. */
  stamp(event: ClassificationEvent): ClassificationEvent {
    let episode = this.open.get(event.episodeId);
    if (episode === undefined || event.type.endsWith('.started')) {
      episode = { alertedAtMs: event.type.endsWith('.started') ? Date.parse(event.emittedAt) : undefined, first: event.acknowledgement };
      this.open.set(event.episodeId, episode);
      if (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value!);
    }
    if (event.type.endsWith('.ended')) this.open.delete(event.episodeId);
    const first = episode.first;
    if (first === undefined) return event;
    const stamped: ClassificationEvent = { ...event, acknowledgement: first };
    if (event.postMortem !== undefined && first.timeToAcknowledgeMs !== undefined) stamped.postMortem = { ...event.postMortem, timeToAcknowledgeMs: first.timeToAcknowledgeMs };
    return stamped;
  }

  /**
   * Acknowledges the open episode whose latest event is `latest`, at wall time `wallMs` and event
   * time `eventTimeMs`. The first time, the acknowledged event to publish; then only recorded.
   */
  acknowledge(latest: ClassificationEvent, request: AcknowledgeRequest, wallMs: number, eventTimeMs: number): AcknowledgeOutcome {
    let episode = this.open.get(latest.episodeId);
    if (episode === undefined) {
      episode = { alertedAtMs: undefined, first: latest.acknowledgement };
      this.open.set(latest.episodeId, episode);
    }
    const alertedAtMs = episode.alertedAtMs;
    const acknowledgement: Acknowledgement = {
      by: request.by,
      ...(request.note !== undefined && request.note !== '' ? { note: request.note } : {}),
      at: new Date(wallMs).toISOString(),
      ...(alertedAtMs !== undefined && Number.isFinite(alertedAtMs) ? { timeToAcknowledgeMs: Math.max(0, Math.round(wallMs - alertedAtMs)) } : {}),
    };
    if (episode.first !== undefined) return { status: 'recorded', first: episode.first, acknowledgement };
    episode.first = acknowledgement;
    const level: Level = latest.level;
    const event: ClassificationEvent = {
      ...latest,
      id: `${latest.episodeId}-ack`,
      type: `${level}.acknowledged`,
      at: new Date(Number.isFinite(eventTimeMs) ? Math.max(eventTimeMs, Date.parse(latest.at)) : Date.parse(latest.at)).toISOString(),
      emittedAt: new Date(wallMs).toISOString(),
      acknowledgement,
    };
    delete event.postMortem;
    return { status: 'published', event };
  }
}
