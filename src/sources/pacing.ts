/**
 * Shared by the embedded sources: the accelerated clock that maps wall time to event time
 * (event = eventStart + (wall − wallStart) × speedup) and a yield between batches.
 */

/** Lets other work (HTTP, timers) run between back-to-back batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class AcceleratedClock {
  private wallStartMs: number | undefined;
  private eventStartMs = 0;

  constructor(
    readonly speedup: number,
    private readonly wallNowMs: () => number = Date.now,
  ) {}

  /** Starts the clock: event time `eventStartMs` is now. */
  start(eventStartMs: number): void {
    this.eventStartMs = eventStartMs;
    this.wallStartMs = this.wallNowMs();
  }

  get started(): boolean {
    return this.wallStartMs !== undefined;
  }

  /** The present in event time; the start time until started. */
  now(): number {
    if (this.wallStartMs === undefined) return this.eventStartMs;
    return this.eventStartMs + (this.wallNowMs() - this.wallStartMs) * this.speedup;
  }

  /** Wall milliseconds until event time `eventMs` is reached (≤ 0 when past). */
  wallMsUntil(eventMs: number): number {
    return (eventMs - this.now()) / this.speedup;
  }
}
