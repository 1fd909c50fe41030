import type { Config } from './config.js';
import { DetectionEngine, type EngineListener, type IngestOutcome } from './detect/engine.js';
import type { SentimentScorer } from './detect/sentiment/types.js';
import { parseMention, type Mention, type ParseOptions, type RejectReason } from './events/mention.js';

/** `included`: already in a restored snapshot of its key (docs/state.md): not ingested again. */
export type RecordOutcome = IngestOutcome | RejectReason | 'included';

export interface PipelineListeners {
  onEvent: EngineListener;
  /** A record that failed parsing or validation; `raw` is what arrived, for the dead letters. */
  onReject?: (reason: RejectReason, detail: string, raw: Uint8Array | string | null | undefined) => void;
  onLate?: (mention: Mention) => void;
  /** A mention taken into the windows (e.g. for per-key metrics). */
  onAccepted?: (mention: Mention) => void;
  /** True for a replayed mention its key's restored snapshot already includes: it only moves event time. */
  included?: (mention: Mention) => boolean;
}

/**
 * Parse → validate → engine, shared by every source (replay, simulator, Kafka). Pure: the
 * caller passes the wall clock (`nowMs`) in live mode and omits it in replay.
 */
export class MentionPipeline {
  readonly engine: DetectionEngine;
  private readonly parseOptions: ParseOptions;
  /** The same options with the wall clock of the current record (live mode): one object, reused. */
  private readonly liveOptions: { -readonly [K in keyof ParseOptions]: ParseOptions[K] };

  constructor(
    config: Config,
    scorer: SentimentScorer,
    private readonly listeners: PipelineListeners,
  ) {
    this.engine = new DetectionEngine(config.detection, scorer, listeners.onEvent);
    this.parseOptions = { ...config.input };
    this.liveOptions = { ...config.input, nowMs: undefined };
  }

  /** Handles one raw record. `nowMs` enables the live plausibility window for timestamps. */
  handleRecord(raw: Uint8Array | string | null | undefined, nowMs?: number): RecordOutcome {
    let options = this.parseOptions;
    if (nowMs !== undefined) {
      options = this.liveOptions;
      this.liveOptions.nowMs = nowMs;
    }
    const parsed = parseMention(raw, options);
    if (!parsed.ok) {
      this.listeners.onReject?.(parsed.reason, parsed.detail, raw);
      return parsed.reason;
    }
    return this.handleMention(parsed.mention);
  }

  handleMention(mention: Mention): IngestOutcome | 'included' {
    if (this.listeners.included?.(mention) === true) {
      // It moved event time when it was first processed; it does so again, so closes match.
      this.engine.advanceTo(mention.tsMs);
      return 'included';
    }
    const outcome = this.engine.ingest(mention);
    if (outcome === 'late') this.listeners.onLate?.(mention);
    else this.listeners.onAccepted?.(mention);
    return outcome;
  }
}
