import type { ClassificationEvent, ClassificationType } from '../../events/classification.js';
import type { FilterView, SubscribeMessage } from './messages.js';

/**
 * A client's subscription: keys, event types, minimum severity. Absent or empty lists match
 * everything. minSeverity is about episodes, not single events: an episode enters a client's view
 * once its severity (so far) reaches minSeverity, and from then on every event of it is delivered,
 * its end included, so a client never keeps a card whose end it was not told about.
 */
export class Filter {
  static readonly all = new Filter(undefined, undefined, 0);

  private constructor(
    private readonly keys: ReadonlySet<string> | undefined,
    private readonly types: ReadonlySet<ClassificationType> | undefined,
    readonly minSeverity: number,
  ) {}

  static from(message: Pick<SubscribeMessage, 'keys' | 'types' | 'minSeverity'>): Filter {
    const keys = message.keys !== undefined && message.keys.length > 0 ? new Set(message.keys) : undefined;
    const types = message.types !== undefined && message.types.length > 0 ? new Set(message.types) : undefined;
    return new Filter(keys, types, message.minSeverity ?? 0);
  }

  /** Whether an event passes; `peakSeverity` is the episode's highest severity up to this event. */
  matches(event: ClassificationEvent, peakSeverity: number): boolean {
    if (this.keys !== undefined && !this.keys.has(event.key)) return false;
    if (this.types !== undefined && !this.types.has(event.type)) return false;
    return peakSeverity >= this.minSeverity;
  }

  /** Whether an active episode (its latest event) belongs in a snapshot; any type passes. */
  matchesEpisode(latest: ClassificationEvent, peakSeverity: number): boolean {
    if (this.keys !== undefined && !this.keys.has(latest.key)) return false;
    if (this.types !== undefined && ![...this.types].some((t) => t.startsWith(`${latest.level}.`))) return false;
    return peakSeverity >= this.minSeverity;
  }

  view(): FilterView {
    return { keys: [...(this.keys ?? [])], types: [...(this.types ?? [])], minSeverity: this.minSeverity };
  }
}
