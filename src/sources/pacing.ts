/**
 * Shared by the embedded sources: an interruptible sleep and the accelerated clock that maps
 * wall time to event time (event = eventStart + (wall − wallStart) × speedup).
 */

/** A sleep that `wake()` ends early (for stop()). */
export class Sleeper {
  private timer: NodeJS.Timeout | undefined;
  private resolve: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.wake(), Math.max(0, ms));
    });
  }

  wake(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.();
  }
}

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
