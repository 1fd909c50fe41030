import type { Simulator } from './simulator/index.js';
import { Sleeper } from '../util/sleeper.js';
import { AcceleratedClock, yieldToEventLoop } from './pacing.js';
import type { BatchHandler, MentionSource, RawRecord } from '../ports.js';

export interface SimulatorSourceOptions {
  /** Event-time milliseconds per wall-clock millisecond (360: an hour of mentions in 10 s). */
  speedup: number;
  /** Wall time between batches. */
  batchIntervalMs: number;
  /** Largest batch; a source that falls behind catches up in batches of this size. */
  maxBatchRecords: number;
  /** Wall clock, injected for tests. */
  wallNowMs?: () => number;
  /** A rejected batch (the handler's "retry later"): it is retried after one interval. */
  onBatchError?: (error: Error, records: number) => void;
}

/**
 * The embedded default source: paces the deterministic simulator against the wall clock. Event
 * time runs at `speedup` × wall time from the simulator's `startMs`; every `batchIntervalMs`
 * the mentions whose time has come are delivered as one batch. `now()` is the accelerated
 * clock as far as delivered, so advancing the engine to it never makes undelivered mentions late.
 */
export class SimulatorSource implements MentionSource {
  readonly name = 'simulator';
  private readonly clock: AcceleratedClock;
  private readonly sleeper = new Sleeper();
  private deliveredThroughMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private sequence = 0;
  /** Simulator exhausted (config.endMs reached). */
  finished = false;

  constructor(
    private readonly simulator: Simulator,
    private readonly options: SimulatorSourceOptions,
  ) {
    this.clock = new AcceleratedClock(options.speedup, options.wallNowMs);
    this.deliveredThroughMs = simulator.config.startMs;
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.running !== undefined || this.stopping) return;
    this.clock.start(this.simulator.config.startMs);
    this.running = this.run(handler);
  }

  private async run(handler: BatchHandler): Promise<void> {
    let pending: RawRecord[] | undefined;
    let pendingThroughMs = this.deliveredThroughMs;
    while (!this.stopping) {
      let full = false;
      if (pending === undefined) {
        const target = this.clock.now();
        const batch: RawRecord[] = [];
        let next = this.simulator.peekNextTs();
        while (next !== undefined && next <= target && batch.length < this.options.maxBatchRecords) {
          const mention = this.simulator.next()!;
          batch.push({ value: JSON.stringify(mention), origin: { source: 'simulator', offset: String(this.sequence++) } });
          next = this.simulator.peekNextTs();
        }
        if (next === undefined) this.finished = true;
        full = batch.length >= this.options.maxBatchRecords && next !== undefined && next <= target;
        // A full batch ends just before the next undelivered mention; otherwise at the target.
        pendingThroughMs = full ? Math.max(this.deliveredThroughMs, next! - 1) : target;
        pending = batch;
      }
      const batch = pending;
      try {
        // now() moves before the handler runs: the batch's mentions are all at or before it.
        this.deliveredThroughMs = Math.max(this.deliveredThroughMs, pendingThroughMs);
        if (batch.length > 0) await handler(batch);
        pending = undefined;
      } catch (error) {
        this.options.onBatchError?.(error as Error, batch.length);
        full = false;
      }
      if (this.stopping) break;
      if (full) await yieldToEventLoop();
      else await this.sleeper.sleep(this.options.batchIntervalMs);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.running;
  }

  isReady(): boolean {
    return this.running !== undefined && !this.stopping;
  }

  now(): number {
    return this.deliveredThroughMs;
  }

  /** The accelerated clock: the simulator dates nothing after it but its deliberately bad records. */
  latestPossibleMs(): number {
    return this.clock.now();
  }

  /** Mentions delivered so far. */
  get delivered(): number {
    return this.sequence;
  }
}
