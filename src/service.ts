import { performance } from 'node:perf_hooks';
import { Acknowledgements, type AcknowledgeOutcome, type AcknowledgeRequest } from './acknowledgements.js';
import type { Config } from './config.js';
import { EpisodeCurves, type WindowRate } from './episodes/curves.js';
import type { DetectionEngine } from './detect/engine.js';
import { expectedEvents, keyPolicy, type ExpectedMark, type PoliciesConfig } from './detect/policy/policy.js';
import { createSentimentScorer } from './detect/sentiment/scorer.js';
import type { SentimentScorer } from './detect/sentiment/types.js';
import type { ClassificationEvent } from './events/classification.js';
import type { RejectReason } from './events/mention.js';
import { ReasonReporter, type Logger } from './logging.js';
import type { Metrics } from './metrics.js';
import { MentionPipeline } from './pipeline.js';
import type { DeadLetter, DeadLetterSink, EventSink } from './sinks/types.js';
import type { KeyedState } from './state/changelog.js';
import type { BatchHandler, MentionSource, RawRecord, RecordOrigin } from './sources/types.js';

export interface ServiceDeps {
  source: MentionSource;
  /** Every sink gets every classification event, in order (episode board, websocket feed, Kafka). */
  sinks: readonly EventSink[];
  deadLetters: DeadLetterSink;
  metrics: Metrics;
  logger: Logger;
  scorer?: SentimentScorer;
  /**
   * Reject mentions older than `maxPastMs` behind the source's clock, once caught up: on for live
   * sources (Kafka with the wall clock, simulator), off for history (a file, `clock=records`).
   * Mentions too far in the future are rejected in every mode (`MentionSource.latestPossibleMs`).
   */
  liveTimestamps: boolean;
  /** Wall clock for `emittedAt` and `rejectedAt`; injected for tests. */
  wallNowMs?: () => number;
  /** Keyed state checkpointed to Kafka (docs/state.md); not ready while it restores. */
  state?: KeyedState;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** Events a failing sink may hold before the oldest are dropped (and counted). */
const MAX_OUTBOX_EVENTS = 10_000;
/** Work between yields to the event loop while the clock catches keys up (see advanceInSlices). */
const CATCH_UP_SLICE_MS = 10;
const CATCH_UP_CLOSES = 500;
/** Points per episode curve at most: a day at one a minute would be 1,440; thinned beyond this. */
const MAX_CURVE_POINTS = 360;
/** Failed-batch origins remembered so a redelivery is not ingested twice. */
const MAX_RETRY_ORIGINS = 1_000_000;

function originKey(origin: RecordOrigin): string | undefined {
  if (origin.offset !== undefined) return `${origin.source}/${origin.topic ?? ''}/${origin.partition ?? ''}/${origin.offset}`;
  if (origin.line !== undefined) return `${origin.source}/${origin.line}`;
  return undefined;
}

/**
 * Wires source → pipeline → sinks: the service without a process (no server, no signals), so
 * tests drive it by hand. The batch handler ingests every record, publishes the events they
 * caused to every sink and writes dead letters, and resolves only then: the ack contract of
 * `BatchHandler`. A wall-clock tick moves event time to `source.now()` so quiet keys' storms end.
 */
export class StormwatchService {
  readonly pipeline: MentionPipeline<RawRecord>;
  private readonly outboxes: Map<EventSink, ClassificationEvent[]>;
  private letters: DeadLetter[] = [];
  private flushChain: Promise<void> = Promise.resolve();
  /** The flush queued behind the one in flight, not started yet (at most one). */
  private queuedFlush: Promise<void> | undefined;
  /** Whether a batch came since the last tick (a file source's held mention is released when not). */
  private batchSinceTick = false;
  /** Records of a batch that was ingested but whose publish failed: skipped when redelivered. */
  private retryOrigins: Set<string> | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private expected: (event: ClassificationEvent) => ExpectedMark | undefined;
  /** Open episodes the calendar expected, by id (bounded by the open episodes). */
  private readonly expectedEpisodes = new Map<string, ExpectedMark>();
  private ticking = false;
  private started = false;
  private stopping: Promise<void> | undefined;
  private readonly badInput: ReasonReporter;
  private readonly failures: ReasonReporter;
  private readonly overflows: ReasonReporter;
  private readonly wallNowMs: () => number;
  private readonly allowList: ReadonlySet<string>;
  private readonly acknowledgements = new Acknowledgements();
  /** Each episode's volume against the usual over time (GET /api/episodes/:episodeId, the page's curve). */
  readonly curves: EpisodeCurves;
  private readonly windowRate: WindowRate;
  readonly handleBatch: BatchHandler;

  constructor(
    private readonly config: Config,
    private readonly deps: ServiceDeps,
  ) {
    const { metrics, logger } = deps;
    this.wallNowMs = deps.wallNowMs ?? Date.now;
    this.expected = expectedEvents(config.policies);
    this.outboxes = new Map(deps.sinks.map((sink) => [sink, []]));
    this.allowList = new Set(config.metrics.keyAllowList);
    this.badInput = new ReasonReporter(logger, 'rejected input record', { nowMs: this.wallNowMs });
    this.failures = new ReasonReporter(logger, 'unexpected failure (counted, service continues)', { nowMs: this.wallNowMs, level: 'error' });
    this.overflows = new ReasonReporter(logger, 'a failing sink\'s outbox is full: its oldest events are dropped for that sink (stormwatch_sink_outbox_dropped_total)', { nowMs: this.wallNowMs, level: 'error' });
    this.pipeline = new MentionPipeline<RawRecord>(config, deps.scorer ?? metrics.observeSentiment(createSentimentScorer()), {
      onEvent: (event) => this.onEvent(event),
      onReject: (reason, detail, raw, record) => this.onReject(reason, detail, raw, record),
      onLate: () => metrics.mention('late'),
      ...(deps.state !== undefined ? { included: (mention: { key: string }, record: RawRecord) => deps.state!.included(mention.key, record.origin) } : {}),
      onAccepted: (mention, record) => {
        deps.state?.touched(mention.key, record.origin);
        metrics.mention('accepted');
        if (this.allowList.size > 0 && this.allowList.has(mention.key)) metrics.keyMentions.inc({ key: mention.key });
      },
    });
    this.handleBatch = (batch) => this.processBatch(batch);
    deps.state?.bind(this.pipeline.engine);
    this.windowRate = (key) => this.pipeline.engine.windowRate(key);
    this.curves = new EpisodeCurves({ bandRatio: config.detection.minRateRatio, maxPoints: MAX_CURVE_POINTS, maxEnded: config.feed.recentEpisodes });
  }

  private onEvent(event: ClassificationEvent): void {
    // The engine stamps emittedAt with event time; consumers want the moment it was sent.
    const expected = this.expectedMark(event);
    this.enqueue(this.acknowledgements.stamp({ ...event, emittedAt: new Date(this.wallNowMs()).toISOString(), ...(expected !== undefined ? { expected } : {}) }));
  }

  /**
   * An episode the calendar expected when it started (a launch's surge) is marked on every event
   * while it stays at that level; one that becomes a storm is not (a storm is never muted).
   */
  private expectedMark(event: ClassificationEvent): ExpectedMark | undefined {
    let mark = this.expectedEpisodes.get(event.episodeId);
    if (mark === undefined && event.type.endsWith('.started')) {
      mark = this.expected(event);
      if (mark !== undefined) this.expectedEpisodes.set(event.episodeId, mark);
    }
    if (event.type.endsWith('.ended')) this.expectedEpisodes.delete(event.episodeId);
    return event.level === 'storm' ? undefined : mark;
  }

  /**
   * Takes a reloaded `policies` section (SIGHUP): every key's thresholds and the calendar change
   * between two records, with no restart; windows, baselines and open episodes go on.
   */
  setPolicies(policies: PoliciesConfig): void {
    this.pipeline.engine.setPolicy(keyPolicy(this.config.detection, policies));
    this.expected = expectedEvents(policies);
  }

  /**
   * Acknowledges the open episode whose latest event is `latest`: the first time, its
   * `<level>.acknowledged` event goes to every sink (resolved once published, or once queued when a
   * sink fails: its outbox retries); later times are only recorded.
   */
  async acknowledge(latest: ClassificationEvent, request: AcknowledgeRequest): Promise<AcknowledgeOutcome> {
    const outcome = this.acknowledgements.acknowledge(latest, request, this.wallNowMs(), this.deps.source.now());
    if (outcome.status === 'published') {
      this.deps.logger.info({ episodeId: latest.episodeId, key: latest.key, by: request.by, timeToAcknowledgeMs: outcome.event.acknowledgement?.timeToAcknowledgeMs }, 'episode acknowledged');
      this.enqueue(outcome.event);
      await this.flush().catch(() => undefined); // counted and logged by flushNow
    }
    return outcome;
  }

  /** An event to every sink's outbox (published by the next flush). */
  private enqueue(event: ClassificationEvent): void {
    this.curves.observe(event, this.windowRate);
    this.deps.metrics.event(event.type, event.key);
    this.deps.logger.info(
      { type: event.type, key: event.key, episodeId: event.episodeId, severity: event.severity, at: event.at },
      event.explanation,
    );
    for (const [sink, box] of this.outboxes) {
      box.push(event);
      if (box.length > MAX_OUTBOX_EVENTS) {
        const dropped = box.shift()!;
        this.deps.metrics.outboxDropped.inc({ sink: sink.name });
        this.overflows.report(sink.name, { sink: sink.name, maxEvents: MAX_OUTBOX_EVENTS, droppedId: dropped.id });
      }
    }
  }

  private onReject(reason: RejectReason, detail: string, raw: Uint8Array | string | null | undefined, record: RawRecord): void {
    const { origin, key } = record;
    this.deps.metrics.reject(reason);
    this.letters.push({ reason, detail, value: raw ?? null, origin, ...(key !== undefined ? { key } : {}), rejectedAt: new Date(this.wallNowMs()).toISOString() });
    this.badInput.report(reason, { detail, origin });
  }

  private async processBatch(batch: readonly RawRecord[]): Promise<void> {
    const { metrics, source } = this.deps;
    const engineStart = performance.now();
    const skip = this.retryOrigins;
    const nowMs = this.deps.liveTimestamps ? source.now() : Number.NaN;
    const upperMs = source.latestPossibleMs();
    const time = { nowMs: Number.isFinite(nowMs) ? nowMs : undefined, upperMs: Number.isFinite(upperMs) ? upperMs : undefined };
    this.batchSinceTick = true;
    for (const record of batch) {
      if (skip !== undefined) {
        const key = originKey(record.origin);
        if (key !== undefined && skip.has(key)) continue;
      }
      try {
        this.pipeline.handleRecord(record.value, time, record);
      } catch (error) {
        // Never stop the pipeline for one record: count it, log it (rate-limited), move on.
        metrics.error('processing', 'unexpected_exception');
        this.failures.report('record_exception', { origin: record.origin, err: error });
      }
    }
    this.retryOrigins = undefined;
    this.curves.sample(source.now(), this.windowRate);
    metrics.batchRecords.observe(batch.length);
    const publishStart = performance.now();
    metrics.processingSeconds.observe({ stage: 'engine' }, (publishStart - engineStart) / 1000);
    try {
      await this.flush();
    } catch (error) {
      // The source will redeliver this batch: remember it was ingested already.
      const origins = new Set<string>();
      for (const record of batch) {
        const key = originKey(record.origin);
        if (key !== undefined && origins.size < MAX_RETRY_ORIGINS) origins.add(key);
      }
      this.retryOrigins = origins;
      throw error;
    } finally {
      metrics.processingSeconds.observe({ stage: 'publish' }, (performance.now() - publishStart) / 1000);
    }
  }

  /** Publishes pending events to every sink and pending dead letters; serialized, so order holds. */
  flush(): Promise<void> {
    // A flush that has not started yet will take everything pending when it does: callers share it,
    // so ticks during a long outage do not pile flushes up behind the one in flight.
    if (this.queuedFlush !== undefined) return this.queuedFlush;
    const next = this.flushChain.then(() => {
      this.queuedFlush = undefined;
      return this.flushNow();
    });
    this.queuedFlush = next;
    this.flushChain = next.catch(() => undefined);
    return next;
  }

  private async flushNow(): Promise<void> {
    const { metrics, deadLetters } = this.deps;
    const letters = this.letters;
    this.letters = [];
    const results = await Promise.allSettled([
      ...[...this.outboxes].map(async ([sink, box]) => {
        if (box.length === 0) return;
        const events = box.slice();
        await sink.publish(events);
        box.splice(0, events.length);
      }),
      letters.length === 0
        ? Promise.resolve()
        : deadLetters.write(letters).then(() => {
            for (const letter of letters) metrics.deadLetters.inc({ reason: letter.reason });
          }),
    ]);
    const errors: Error[] = [];
    const sinks = [...this.outboxes.keys()];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      if (i < sinks.length) {
        metrics.error('sending', 'sink_publish_failed');
        this.failures.report(`sink_${sinks[i]!.name}`, { sink: sinks[i]!.name, err: result.reason });
        errors.push(result.reason as Error);
      } else {
        // Dead letters are best effort: losing one must not hold up good mentions.
        metrics.error('sending', 'dead_letter_write_failed');
        metrics.deadLettersDropped.inc(letters.length);
        this.failures.report('dead_letter_write', { err: result.reason });
      }
    });
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} sink(s) failed to publish`);
  }

  /** Advances event time to the source's clock and publishes what that closes. Never throws. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (!this.batchSinceTick) this.pipeline.releaseHeld();
      this.batchSinceTick = false;
      const now = this.deps.source.now();
      if (Number.isFinite(now)) await advanceInSlices(this.pipeline.engine, now, () => this.stopping !== undefined);
      this.curves.sample(now, this.windowRate);
      await this.flush();
    } catch (error) {
      this.deps.metrics.error('processing', 'unexpected_exception');
      this.failures.report('tick', { err: error });
    } finally {
      this.ticking = false;
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
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
      await step('final flush', () => this.flush());
      for (const sink of this.deps.sinks) await step(`close ${sink.name}`, () => sink.close());
      await step('close dead letters', () => this.deps.deadLetters.close());
      this.badInput.flush();
      this.failures.flush();
      this.overflows.flush();
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

export function createService(config: Config, deps: ServiceDeps): StormwatchService {
  return new StormwatchService(config, deps);
}
