import { performance } from 'node:perf_hooks';
import { Acknowledgements, type AcknowledgeOutcome, type AcknowledgeRequest } from './acknowledgements.js';
import type { Config } from './config/schema.js';
import { EpisodeCurves, type WindowRate } from './episodes/curves.js';
import type { DetectionEngine, EngineStats } from './detect/engine.js';
import { keyPolicy, type PoliciesConfig } from './detect/policy/policy.js';
import { createSentimentScorer } from './detect/sentiment/scorer.js';
import type { SentimentScorer } from './detect/sentiment/types.js';
import type { ClassificationEvent } from './events/classification.js';
import { ReasonReporter, type Logger } from './logging.js';
import type { Metrics } from './metrics/metrics.js';
import { createEngine, MentionPipeline, type PipelineListeners } from './pipeline.js';
import type { BatchHandler, DeadLetterSink, EventSink, KeyedState, MentionSource, RawRecord } from './ports.js';
import { Publisher } from './publisher.js';
import { RedeliveryFilter } from './redelivery.js';

export interface ServiceDeps {
  source: MentionSource;
  pipeline: MentionPipeline<RawRecord>;
  publisher: Publisher;
  curves: EpisodeCurves;
  acknowledgements: Acknowledgements;
  metrics: Metrics;
  logger: Logger;
  /**
   * Reject mentions older than `maxPastMs` behind the source's clock, once caught up: on for live
   * sources (Kafka with the wall clock, simulator), off for history (a file, `clock=records`).
   * Mentions too far in the future are rejected in every mode (`MentionSource.latestPossibleMs`).
   */
  liveTimestamps: boolean;
  /** Sinks and dead letters, for readiness, start and the order of shutdown. */
  sinks: readonly EventSink[];
  deadLetters: DeadLetterSink;
  /** Wall clock for `acknowledgedAt`; injected for tests. */
  wallNowMs: () => number;
  /** Keyed state checkpointed to Kafka (docs/state.md); not ready while it restores. */
  state?: KeyedState | undefined;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** Work between yields to the event loop while the clock catches keys up (see advanceInSlices). */
const CATCH_UP_SLICE_MS = 10;
const CATCH_UP_CLOSES = 500;
/** Points per episode curve at most: a day at one a minute would be 1,440; thinned beyond this. */
const MAX_CURVE_POINTS = 360;

/**
 * Drives source → pipeline → publisher: the service without a process (no server, no signals),
 * wired in main.ts. The batch handler ingests every record, publishes the events they caused to
 * every sink and writes dead letters, and resolves only then: the ack contract of `BatchHandler`.
 * A wall-clock tick moves event time to `source.now()` so quiet keys' storms end.
 */
export class StormwatchService {
  /** Whether a batch came since the last tick (a file source's held mention is released when not). */
  private batchSinceTick = false;
  private readonly redeliveries = new RedeliveryFilter();
  private tickTimer: NodeJS.Timeout | undefined;
  private ticking = false;
  private started = false;
  private stopping: Promise<void> | undefined;
  private readonly failures: ReasonReporter;
  private readonly engine: DetectionEngine;
  private readonly windowRate: WindowRate;
  readonly handleBatch: BatchHandler;

  constructor(
    private readonly config: Config,
    private readonly deps: ServiceDeps,
  ) {
    this.engine = deps.pipeline.engine;
    this.windowRate = (key) => this.engine.windowRate(key);
    this.failures = new ReasonReporter(deps.logger, 'unexpected failure (counted, service continues)', { nowMs: deps.wallNowMs, level: 'error' });
    this.handleBatch = (batch) => this.processBatch(batch);
  }

  /**
   * Takes a reloaded `policies` section (SIGHUP): every key's thresholds and the calendar change
   * between two records, with no restart; windows, baselines and open episodes go on.
   */
  setPolicies(policies: PoliciesConfig): void {
    this.engine.setPolicy(keyPolicy(this.config.detection, policies));
    this.deps.publisher.setPolicies(policies);
  }

  /**
   * Acknowledges the open episode whose latest event is `latest`: the first time, its
   * `<level>.acknowledged` event goes to every sink (resolved once published, or once queued when a
   * sink fails: its outbox retries); later times are only recorded.
   */
  async acknowledge(latest: ClassificationEvent, request: AcknowledgeRequest): Promise<AcknowledgeOutcome> {
    const outcome = this.deps.acknowledgements.acknowledge(latest, request, this.deps.wallNowMs(), this.deps.source.now());
    if (outcome.status === 'published') {
      this.deps.logger.info({ episodeId: latest.episodeId, key: latest.key, by: request.by, timeToAcknowledgeMs: outcome.event.acknowledgement?.timeToAcknowledgeMs }, 'episode acknowledged');
      this.deps.publisher.enqueue(outcome.event, this.engine);
      await this.deps.publisher.flush().catch(() => undefined); // counted and logged by the publisher
    }
    return outcome;
  }

  private async processBatch(batch: readonly RawRecord[]): Promise<void> {
    const { metrics, source, publisher } = this.deps;
    const engineStart = performance.now();
    const nowMs = this.deps.liveTimestamps ? source.now() : Number.NaN;
    const upperMs = source.latestPossibleMs();
    const time = { nowMs: Number.isFinite(nowMs) ? nowMs : undefined, upperMs: Number.isFinite(upperMs) ? upperMs : undefined };
    this.batchSinceTick = true;
    const fresh = this.redeliveries.fresh(batch);
    for (const record of fresh) {
      try {
        this.deps.pipeline.handleRecord(record.value, time, record);
      } catch (error) {
        // Never stop the pipeline for one record: count it, log it (rate-limited), move on.
        metrics.error('processing', 'unexpected_exception');
        this.failures.report('record_exception', { origin: record.origin, err: error });
      }
    }
    this.redeliveries.ingested(fresh);
    this.deps.curves.sample(source.now(), this.windowRate);
    metrics.batchRecords.observe(batch.length);
    const publishStart = performance.now();
    metrics.processingSeconds.observe({ stage: 'engine' }, (publishStart - engineStart) / 1000);
    try {
      await publisher.flush();
    } finally {
      metrics.processingSeconds.observe({ stage: 'publish' }, (performance.now() - publishStart) / 1000);
    }
  }

  /** The engine's counters (mentions accepted, late, keys). */
  stats(): EngineStats {
    return this.engine.stats();
  }

  /** Publishes what is pending (tests; the tick and shutdown flush through the publisher). */
  flush(): Promise<void> {
    return this.deps.publisher.flush();
  }

  /** Advances event time to the source's clock and publishes what that closes. Never throws. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (!this.batchSinceTick) this.deps.pipeline.releaseHeld();
      this.batchSinceTick = false;
      const now = this.deps.source.now();
      if (Number.isFinite(now)) await advanceInSlices(this.engine, now, () => this.stopping !== undefined);
      this.deps.curves.sample(now, this.windowRate);
      await this.deps.publisher.flush();
    } catch (error) {
      this.deps.metrics.error('processing', 'unexpected_exception');
      this.failures.report('tick', { err: error });
    } finally {
      this.ticking = false;
    }
  }

  /** Starts the sinks that connect in the background, the tick, then the source. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const sink of this.deps.sinks) sink.start?.();
    this.tickTimer = setInterval(() => void this.tick(), this.config.tick.intervalMs);
    this.tickTimer.unref();
    await this.deps.source.start(this.handleBatch);
  }

  readiness(): Readiness {
    const checks: Record<string, boolean> = {
      [`source:${this.deps.source.name}`]: this.started && this.deps.source.isReady(),
      [`deadLetters:${this.deps.deadLetters.name}`]: this.deps.deadLetters.isReady(),
    };
    for (const sink of this.deps.sinks) checks[`sink:${sink.name}`] = sink.isReady();
    if (this.deps.state !== undefined) checks['state:restored'] = !this.deps.state.isRestoring();
    const ready = this.stopping === undefined && Object.values(checks).every(Boolean);
    return { ready, checks };
  }

  /**
   * Stops in order and keeps going past errors: stop the source (no batch in flight after
   * this), a last flush, then close the sinks and the dead letters. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const { logger } = this.deps;
      clearInterval(this.tickTimer);
      const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
        try {
          await fn();
        } catch (error) {
          logger.error({ err: error, step: name }, 'shutdown step failed');
        }
      };
      await step('stop source', () => this.deps.source.stop());
      await step('final flush', () => this.deps.publisher.flush());
      for (const sink of this.deps.sinks) await step(`close ${sink.name}`, () => sink.close());
      await step('close dead letters', () => this.deps.deadLetters.close());
      this.deps.publisher.flushReports();
      this.failures.flush();
    })();
    return this.stopping;
  }
}

/**
 * Moves the engine's clock to `nowMs` in slices of about CATCH_UP_SLICE_MS of work, yielding to
 * the event loop between them: after a restore or a long pause many keys may have hours of buckets
 * to close, and probes, the feed and batches must keep being served meanwhile (bench/catch-up.ts).
 */
export async function advanceInSlices(engine: DetectionEngine, nowMs: number, stop: () => boolean = () => false): Promise<void> {
  for (;;) {
    const sliceEnd = performance.now() + CATCH_UP_SLICE_MS;
    let done = engine.advanceTo(nowMs, CATCH_UP_CLOSES);
    while (!done && performance.now() < sliceEnd) done = engine.advanceTo(nowMs, CATCH_UP_CLOSES);
    if (done || stop()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** What every record's outcome means outside the pipeline: dead letters, metrics, keyed state. */
export function recordListeners(deps: { publisher: Publisher; metrics: Metrics; allowList: ReadonlySet<string>; state?: KeyedState | undefined }): PipelineListeners<RawRecord> {
  const { publisher, metrics, state, allowList } = deps;
  return {
    onReject: publisher.reject,
    onLate: () => metrics.mention('late'),
    ...(state !== undefined ? { included: (mention: { key: string }, record: RawRecord) => state.included(mention.key, record.origin) } : {}),
    onAccepted: (mention, record) => {
      state?.touched(mention.key, record.origin);
      metrics.mention('accepted');
      if (allowList.size > 0 && allowList.has(mention.key)) metrics.keyMentions.inc({ key: mention.key });
    },
  };
}

export interface ServiceParts {
  source: MentionSource;
  sinks: readonly EventSink[];
  deadLetters: DeadLetterSink;
  metrics: Metrics;
  logger: Logger;
  liveTimestamps: boolean;
  scorer?: SentimentScorer;
  wallNowMs?: () => number;
}

/**
 * The publisher, the engine and the pipeline a service needs, from its outer parts. main.ts builds
 * these itself (the keyed state needs the engine in between); tests and benchmarks use this.
 */
export function createService(config: Config, parts: ServiceParts): StormwatchService {
  const wallNowMs = parts.wallNowMs ?? Date.now;
  const core = createCore(config, { ...parts, wallNowMs });
  const listeners = recordListeners({ ...parts, ...core, allowList: new Set(config.metrics.keyAllowList) });
  const pipeline = new MentionPipeline<RawRecord>(config, core.engine, listeners);
  return new StormwatchService(config, { ...parts, ...core, pipeline, wallNowMs });
}

export interface Core {
  acknowledgements: Acknowledgements;
  curves: EpisodeCurves;
  publisher: Publisher;
  engine: DetectionEngine;
}

/** The engine and what its events go through on their way out (publisher, curves, acknowledgements). */
export function createCore(config: Config, parts: Pick<ServiceParts, 'sinks' | 'deadLetters' | 'metrics' | 'logger' | 'scorer'> & { wallNowMs: () => number }): Core {
  const acknowledgements = new Acknowledgements();
  const curves = new EpisodeCurves({ bandRatio: config.detection.minRateRatio, maxPoints: MAX_CURVE_POINTS, maxEnded: config.feed.recentEpisodes });
  const publisher = new Publisher({ ...parts, acknowledgements, curves, policies: config.policies });
  const scorer = parts.scorer ?? parts.metrics.observeSentiment(createSentimentScorer());
  return { acknowledgements, curves, publisher, engine: createEngine(config, scorer, publisher.event) };
}
