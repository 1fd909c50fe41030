import { createReadStream } from 'node:fs';
import { parseTimestamp } from '../events/mention.js';
import { isBlankLine, readLines } from './lines.js';
import { Sleeper } from '../util/sleeper.js';
import { AcceleratedClock, yieldToEventLoop } from './pacing.js';
import type { BatchHandler, MentionSource, RawRecord } from '../ports.js';

export interface FileSourceOptions {
  path: string;
  /** recorded: lines are delivered when their `ts` comes due at `speedup` × real time; unpaced: as fast as the handler takes them. */
  pace: 'recorded' | 'unpaced';
  /** Event-time milliseconds per wall-clock millisecond (recorded pace; after the end of the file for both). */
  speedup: number;
  batchIntervalMs: number;
  maxBatchRecords: number;
  /** Lines longer than this are cut to this + 1 bytes (the parser then rejects them as too large). */
  maxLineBytes: number;
  wallNowMs?: () => number;
  onBatchError?: (error: Error, records: number) => void;
  /** The file could not be read; the source stops delivering and is not ready. */
  onReadError?: (error: Error) => void;
  /** End of the file reached and every line delivered. */
  onEnd?: (lines: number) => void;
}

/** The `ts` of an NDJSON mention line in epoch ms, NaN when it has none. */
function lineTs(bytes: Buffer): number {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as { ts?: unknown };
    return typeof value.ts === 'string' || typeof value.ts === 'number' ? parseTimestamp(value.ts) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Replays an NDJSON file of mentions: at the recorded pace (the gaps between timestamps,
 * divided by `speedup`) or as fast as possible. Bad lines are delivered like good ones: the
 * pipeline rejects and dead-letters them. After the last line the event-time clock keeps
 * running at `speedup`, so quiet keys and storms still come to an end.
 */
export class FileSource implements MentionSource {
  readonly name = 'file';
  private readonly clock: AcceleratedClock;
  private readonly sleeper = new Sleeper();
  private running: Promise<void> | undefined;
  private stopping = false;
  private failed = false;
  private ended = false;
  private deliveredThroughMs = Number.NEGATIVE_INFINITY;
  private lastDeliveryWallMs = 0;
  lines = 0;

  constructor(private readonly options: FileSourceOptions) {
    this.clock = new AcceleratedClock(options.speedup, options.wallNowMs);
  }

  private wallNow(): number {
    return (this.options.wallNowMs ?? Date.now)();
  }

  async start(handler: BatchHandler): Promise<void> {
    if (this.running !== undefined || this.stopping) return;
    this.lastDeliveryWallMs = this.wallNow();
    this.running = this.run(handler);
  }

  private async run(handler: BatchHandler): Promise<void> {
    const recorded = this.options.pace === 'recorded';
    let batch: RawRecord[] = [];
    let batchMaxTs = Number.NEGATIVE_INFINITY;
    const deliver = async (throughMs: number): Promise<void> => {
      this.deliveredThroughMs = Math.max(this.deliveredThroughMs, batchMaxTs, throughMs);
      const records = batch;
      batch = [];
      batchMaxTs = Number.NEGATIVE_INFINITY;
      this.lastDeliveryWallMs = this.wallNow();
      if (records.length > 0) await this.deliver(handler, records);
    };
    try {
      for await (const line of readLines(createReadStream(this.options.path), this.options.maxLineBytes)) {
        if (this.stopping) break;
        this.lines = line.number;
        if (isBlankLine(line.bytes)) continue;
        const ts = lineTs(line.bytes);
        if (Number.isFinite(ts)) {
          if (recorded) {
            if (!this.clock.started) this.clock.start(ts);
            // Wait for this line's time, delivering what is already due meanwhile.
            while (!this.stopping && this.clock.wallMsUntil(ts) > 0) {
              await deliver(Math.min(this.clock.now(), ts - 1));
              await this.sleeper.sleep(Math.min(this.clock.wallMsUntil(ts), this.options.batchIntervalMs));
            }
            if (this.stopping) break;
          }
          if (ts > batchMaxTs) batchMaxTs = ts;
        }
        batch.push({ value: line.bytes, origin: { source: 'file', line: line.number } });
        const full = batch.length >= this.options.maxBatchRecords;
        if (full || this.wallNow() - this.lastDeliveryWallMs >= this.options.batchIntervalMs) {
          await deliver(recorded && this.clock.started ? Math.min(this.clock.now(), batchMaxTs) : batchMaxTs);
          if (!recorded) await yieldToEventLoop();
        }
      }
      if (!this.stopping) await deliver(Number.NEGATIVE_INFINITY);
    } catch (error) {
      this.failed = true;
      this.options.onReadError?.(error as Error);
      return;
    }
    if (this.stopping) return;
    this.ended = true;
    // Time goes on after the last line: from the recorded clock, or from the last timestamp.
    if (!recorded || !this.clock.started) this.clock.start(Number.isFinite(this.deliveredThroughMs) ? this.deliveredThroughMs : this.wallNow());
    this.options.onEnd?.(this.lines);
  }

  /** Hands one batch to the handler, retrying after an interval when it asks to. */
  private async deliver(handler: BatchHandler, records: RawRecord[]): Promise<void> {
    for (;;) {
      try {
        await handler(records);
        return;
      } catch (error) {
        this.options.onBatchError?.(error as Error, records.length);
        if (this.stopping) return;
        await this.sleeper.sleep(this.options.batchIntervalMs);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.running;
  }

  isReady(): boolean {
    return this.running !== undefined && !this.stopping && !this.failed;
  }

  /** Event time as far as delivered; after the end of the file, a clock running at `speedup`. */
  now(): number {
    if (this.ended) return Math.max(this.deliveredThroughMs, this.clock.now());
    return this.deliveredThroughMs;
  }

  /** History has no present to judge it by: the pipeline judges each record by the ones before and after it. */
  latestPossibleMs(): number {
    return Number.NaN;
  }

  get finished(): boolean {
    return this.ended;
  }
}
