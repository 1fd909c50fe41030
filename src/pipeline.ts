import type { Config } from './config/schema.js';
import { DetectionEngine, type EngineListener, type IngestOutcome } from './detect/engine.js';
import { keyPolicy } from './detect/policy/policy.js';
import type { SentimentScorer } from './detect/sentiment/types.js';
import { parseMention, type Mention, type ParseOptions, type RejectReason } from './events/mention.js';

/**
 * `included`: already in a restored snapshot of its key (docs/state.md): not ingested again.
 * `held`: far ahead of the input (a replay without a clock); judged by the record after it.
 */
export type RecordOutcome = IngestOutcome | RejectReason | 'included' | 'held';

/** `Tag` travels with a record to the listeners (the service's record origin): a held mention keeps its own. */
export interface PipelineListeners<Tag = undefined> {
  /** A record that failed parsing or validation; `raw` is what arrived, for the dead letters. */
  onReject?: (reason: RejectReason, detail: string, raw: Uint8Array | string | null | undefined, tag: Tag) => void;
  onLate?: (mention: Mention, tag: Tag) => void;
  /** A mention taken into the windows (e.g. for per-key metrics). */
  onAccepted?: (mention: Mention, tag: Tag) => void;
  /** True for a replayed mention its key's restored snapshot already includes. */
  included?: (mention: Mention, tag: Tag) => boolean;
}

/**
 * What the record's time is judged against. Live sources know the present (`upperMs`, the wall
 * clock or the simulator's): a mention dated more than `input.maxFutureMs` after it is rejected,
 * caught up or not; once caught up (`nowMs`) one older than `input.maxPastMs` is too. Without
 * either (a replay of history) a mention more than `maxFutureMs` ahead of everything before it
 * is held until the next record: kept if that one comes after it too (the input moved on, e.g.
 * after a quiet night), rejected if it falls back (one bad clock).
 */
export interface RecordTime {
  readonly upperMs?: number | undefined;
  readonly nowMs?: number | undefined;
}

const NO_TIME: RecordTime = {};

interface Held<Tag> {
  mention: Mention;
  raw: Uint8Array | string | null | undefined;
  tag: Tag;
}

/** Parse → validate → engine, shared by every source (replay, simulator, Kafka). Pure: the caller passes the clocks. */
export class MentionPipeline<Tag = undefined> {
  private readonly parseOptions: ParseOptions;
  /** The same options with the wall clock of the current record (live mode): one object, reused. */
  private readonly liveOptions: { -readonly [K in keyof ParseOptions]: ParseOptions[K] };
  private readonly maxFutureMs: number;
  private readonly maxKeys: number;
  /** Latest event time of the input taken so far (replays: the reference for held mentions). */
  private inputFrontMs = Number.NEGATIVE_INFINITY;
  private held: Held<Tag> | undefined;

  constructor(
    config: Config,
    readonly engine: DetectionEngine,
    private readonly listeners: PipelineListeners<Tag>,
  ) {
    this.parseOptions = { ...config.input };
    this.liveOptions = { ...config.input, nowMs: undefined };
    this.maxFutureMs = config.input.maxFutureMs;
    this.maxKeys = config.detection.maxKeys;
  }

  /** Handles one raw record, judged against `time` (module doc of RecordTime). */
  handleRecord(raw: Uint8Array | string | null | undefined, time: RecordTime = NO_TIME, tag?: Tag): RecordOutcome {
    let options = this.parseOptions;
    if (time.nowMs !== undefined) {
      options = this.liveOptions;
      this.liveOptions.nowMs = time.nowMs;
    }
    const parsed = parseMention(raw, options);
    if (!parsed.ok) {
      this.listeners.onReject?.(parsed.reason, parsed.detail, raw, tag as Tag);
      return parsed.reason;
    }
    const mention = parsed.mention;
    if (time.upperMs !== undefined) {
      if (mention.tsMs > time.upperMs + this.maxFutureMs) return this.rejectFuture(mention, raw, tag as Tag, `the source's clock ${new Date(time.upperMs).toISOString()}`);
      return this.handleMention(mention, tag as Tag, raw);
    }
    if (time.nowMs === undefined) {
      const held = this.held;
      if (held !== undefined) {
        this.held = undefined;
        if (mention.tsMs >= held.mention.tsMs - this.maxFutureMs) this.handleMention(held.mention, held.tag, held.raw);
        else this.rejectFuture(held.mention, held.raw, held.tag, `the record after it, ${new Date(mention.tsMs).toISOString()}`);
      }
      if (mention.tsMs > this.inputFrontMs + this.maxFutureMs && this.inputFrontMs !== Number.NEGATIVE_INFINITY) {
        this.held = { mention, raw, tag: tag as Tag };
        return 'held';
      }
    }
    return this.handleMention(mention, tag as Tag, raw);
  }

  /** End of input (or a pause in it): a held mention has nothing to contradict it, and is taken. */
  releaseHeld(): void {
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.handleMention(held.mention, held.tag, held.raw);
  }

  /** End of a replay: a held mention is taken, then every remaining bucket closes (open episodes stay open). */
  finish(): void {
    this.releaseHeld();
    this.engine.finish();
  }

  handleMention(mention: Mention, tag?: Tag, raw?: Uint8Array | string | null): IngestOutcome | 'included' | 'key_limit' {
    // Its key's snapshot holds it, and that key's stream time with it: nothing to do.
    if (this.listeners.included?.(mention, tag as Tag) === true) return 'included';
    const outcome = this.engine.ingest(mention);
    if (outcome === 'late') this.listeners.onLate?.(mention, tag as Tag);
    else if (outcome === 'refused') {
      this.listeners.onReject?.('key_limit', `a new key past detection.maxKeys (${this.maxKeys}), every tracked key in an episode`, raw ?? JSON.stringify(mention), tag as Tag);
      return 'key_limit';
    } else {
      if (mention.tsMs > this.inputFrontMs) this.inputFrontMs = mention.tsMs;
      this.listeners.onAccepted?.(mention, tag as Tag);
    }
    return outcome;
  }

  private rejectFuture(mention: Mention, raw: Uint8Array | string | null | undefined, tag: Tag, against: string): 'bad_timestamp' {
    const detail = `ts ${new Date(mention.tsMs).toISOString()} is more than input.maxFutureMs (${this.maxFutureMs} ms) after ${against}`;
    this.listeners.onReject?.('bad_timestamp', detail, raw, tag);
    return 'bad_timestamp';
  }
}

/** The detection engine for `config`, with each key's policy; its events go to `onEvent`. */
export function createEngine(config: Config, scorer: SentimentScorer, onEvent: EngineListener): DetectionEngine {
  return new DetectionEngine(config.detection, scorer, onEvent, keyPolicy(config.detection, config.policies));
}

/** A pipeline with an engine of its own (replays, benchmarks, tests); the service is wired in main.ts. */
export function createPipeline<Tag = undefined>(config: Config, scorer: SentimentScorer, listeners: PipelineListeners<Tag> & { onEvent: EngineListener }): MentionPipeline<Tag> {
  return new MentionPipeline<Tag>(config, createEngine(config, scorer, listeners.onEvent), listeners);
}
