import { Counter, Gauge, type Histogram, type Registry } from 'prom-client';
import { keyInstruments, outputInstruments, pipelineInstruments, registerProcessMetrics, serverInstruments, type Registers } from './instruments.js';
import { classificationTypes, type ClassificationType, type Level } from '../events/classification.js';
import { rejectReasons, type RejectReason } from '../events/mention.js';
import { accessRefusals } from '../server/protocol/access.js';
import { disconnectReasons } from '../server/protocol/messages.js';
import type { SentimentUsage } from '../detect/sentiment/scorer.js';

/**
 * Every prom-client instrument of stormwatch, built on a registry passed in (tests get a fresh
 * one). Names follow Prometheus conventions: `stormwatch_` prefix, counters end in `_total`,
 * units in names. Labels take values from closed sets only; the brand key is a label only on
 * the `stormwatch_key_*` series, and only for keys in `metrics.keyAllowList`.
 * docs/metrics.md lists them all; keep it in step.
 */

/** Where along the path an error happened (as in Vector's instrumentation spec). */
export type ErrorStage = 'receiving' | 'processing' | 'sending';
/** What kind of error: a closed set, so the label stays bounded. */
export type ErrorType = 'unexpected_exception' | 'sink_publish_failed' | 'dead_letter_write_failed' | 'batch_retry';
export type MentionOutcome = 'accepted' | 'late' | 'rejected';

/** Live state read at scrape time. */
export interface MetricsState {
  keysTracked(): number;
  /** Keys forgotten so far: idle for `detection.idleEvictMs`, or to make room under `detection.maxKeys`. Optional: embeddings without an engine omit it. */
  keysEvicted?(): Readonly<Record<'idle' | 'limit', number>>;
  /** Accepted mentions in a script neither scorer reads, so far. Optional: embeddings without an engine omit it. */
  mentionsUnread?(): number;
  activeEpisodes(): Readonly<Record<Level, number>>;
  /** Allow-listed keys with an active episode, and its level. */
  activeEpisodeLevelByKey(): ReadonlyMap<string, Level>;
  eventTimeMs(): number;
  sourceReady(): boolean;
  wsClients(): number;
  /**
   * Usual mentions per second (event time) over every tracked key for the present hour: the
   * input volume expected when nothing is wrong. Optional: embeddings without an engine omit it.
   */
  expectedMentionsPerSecond?(): number;
  /** Observed and usual mentions per second (event time) in one key's latest short window; undefined when the key has no state. */
  keyWindowRate?(key: string): { observedPerSecond: number; usualPerSecond: number } | undefined;
}

export class Metrics {
  readonly mentions: Counter<'outcome'>;
  readonly rejected: Counter<'reason'>;
  readonly events: Counter<'type'>;
  readonly processingSeconds: Histogram<'stage'>;
  readonly batchRecords: Histogram;
  readonly deadLetters: Counter<'reason'>;
  readonly deadLettersDropped: Counter;
  readonly outboxDropped: Counter<'sink'>;
  readonly feedback: Counter<'level' | 'verdict'>;
  readonly webhookRequests: Counter<'target' | 'outcome'>;
  readonly webhookDeadLetters: Counter<'target' | 'reason'>;
  readonly errors: Counter<'stage' | 'error_type'>;
  readonly wsMessagesDropped: Counter;
  readonly wsSlowClientsDisconnected: Counter;
  readonly wsDisconnects: Counter<'reason'>;
  readonly wsResumes: Counter<'outcome'>;
  readonly httpRefused: Counter<'reason'>;
  readonly keyMentions: Counter<'key'>;
  readonly keyEvents: Counter<'key' | 'type'>;
  private readonly allowed: ReadonlySet<string>;
  private state: MetricsState | undefined;
  private sentiment: SentimentUsage | undefined;

  constructor(
    readonly registry: Registry,
    options: { keyAllowList?: readonly string[]; defaultMetrics?: boolean } = {},
  ) {
    this.allowed = new Set(options.keyAllowList ?? []);
    const registers = [registry];
    if (options.defaultMetrics ?? true) registerProcessMetrics(registry);
    ({
      mentions: this.mentions,
      rejected: this.rejected,
      events: this.events,
      processingSeconds: this.processingSeconds,
      batchRecords: this.batchRecords,
    } = pipelineInstruments(registers));
    ({
      deadLetters: this.deadLetters,
      deadLettersDropped: this.deadLettersDropped,
      outboxDropped: this.outboxDropped,
      feedback: this.feedback,
      webhookRequests: this.webhookRequests,
      webhookDeadLetters: this.webhookDeadLetters,
    } = outputInstruments(registers));
    this.errors = new Counter({
      name: 'stormwatch_errors_total',
      help: 'Errors by stage (receiving, processing, sending) and type; none of them stops the service',
      labelNames: ['stage', 'error_type'],
      registers,
    });
    ({
      wsMessagesDropped: this.wsMessagesDropped,
      wsSlowClientsDisconnected: this.wsSlowClientsDisconnected,
      wsDisconnects: this.wsDisconnects,
      wsResumes: this.wsResumes,
      httpRefused: this.httpRefused,
    } = serverInstruments(registers));
    ({ keyMentions: this.keyMentions, keyEvents: this.keyEvents } = keyInstruments(registers));
    this.registerKeyStateGauges(registers);
    this.registerServiceGauges(registers);
    this.registerRateGauges(registers);
    this.registerSentimentCounter(registers);
    this.startSeriesAtZero();
  }

  // Scrape-time instruments read the live state handed in by `observe` (and `observeSentiment`).

  /** Keys with state, keys evicted, episodes in progress (in all, and per allow-listed key). */
  private registerKeyStateGauges(registers: Registers): void {
    const self = this;
    new Gauge({
      name: 'stormwatch_keys_tracked',
      help: 'Keys with detection state in memory',
      registers,
      collect() {
        if (self.state) this.set(self.state.keysTracked());
      },
    });
    new Counter({
      name: 'stormwatch_keys_evicted_total',
      help: 'Keys whose detection state was forgotten, by reason: idle (detection.idleEvictMs) or limit (room under detection.maxKeys)',
      labelNames: ['reason'],
      registers,
      collect() {
        const evicted = self.state?.keysEvicted?.();
        if (evicted === undefined) return;
        // The engine's counts only grow: the counter is set to them at each scrape.
        this.reset();
        for (const [reason, n] of Object.entries(evicted)) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: 'stormwatch_mentions_unread_total',
      help: 'Accepted mentions in a script neither sentiment nor alarm scoring reads (Cyrillic, Greek, Arabic, CJK, ...): they count towards volume, not towards tone',
      registers,
      collect() {
        const unread = self.state?.mentionsUnread?.();
        if (unread === undefined) return;
        this.reset();
        this.inc(unread);
      },
    });
    new Gauge({
      name: 'stormwatch_active_episodes',
      help: 'Episodes in progress, by level',
      labelNames: ['level'],
      registers,
      collect() {
        if (!self.state) return;
        for (const [level, n] of Object.entries(self.state.activeEpisodes())) this.set({ level }, n);
      },
    });
    new Gauge({
      name: 'stormwatch_key_active_episode',
      help: '1 while an allow-listed key has an episode of that level in progress',
      labelNames: ['key', 'level'],
      registers,
      collect() {
        if (!self.state) return;
        this.reset();
        for (const [key, level] of self.state.activeEpisodeLevelByKey()) this.set({ key, level }, 1);
      },
    });
  }

  /** Event time, source readiness, websocket clients. */
  private registerServiceGauges(registers: Registers): void {
    const self = this;
    new Gauge({
      name: 'stormwatch_event_time_seconds',
      help: "The source's present in event time (accelerated for the simulator), Unix seconds",
      registers,
      collect() {
        const ms = self.state?.eventTimeMs();
        if (ms !== undefined && Number.isFinite(ms)) this.set(ms / 1000);
      },
    });
    new Gauge({
      name: 'stormwatch_source_ready',
      help: '1 when the source is connected and delivering',
      registers,
      collect() {
        if (self.state) this.set(self.state.sourceReady() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'stormwatch_ws_clients',
      help: 'Connected websocket clients',
      registers,
      collect() {
        if (self.state) this.set(self.state.wsClients());
      },
    });
  }

  /** Expected input volume, and observed against usual rates of allow-listed keys. */
  private registerRateGauges(registers: Registers): void {
    const self = this;
    new Gauge({
      name: 'stormwatch_expected_mentions_per_second',
      help: 'Usual mentions per second (event time) summed over tracked keys for the present hour: what the input should carry; tells an ingest outage from a quiet hour',
      registers,
      collect() {
        const value = self.state?.expectedMentionsPerSecond?.();
        if (value !== undefined && Number.isFinite(value)) this.set(value);
      },
    });
    const keyRates = (pick: 'observedPerSecond' | 'usualPerSecond') =>
      function (this: Gauge<'key'>): void {
        this.reset();
        const rateOf = self.state?.keyWindowRate;
        if (rateOf === undefined) return;
        for (const key of self.allowed) {
          const rate = rateOf.call(self.state, key);
          if (rate !== undefined && Number.isFinite(rate[pick])) this.set({ key }, rate[pick]);
        }
      };
    new Gauge({
      name: 'stormwatch_key_observed_mentions_per_second',
      help: "Mentions per second (event time) in an allow-listed key's latest short window",
      labelNames: ['key'],
      registers,
      collect: keyRates('observedPerSecond'),
    });
    new Gauge({
      name: 'stormwatch_key_usual_mentions_per_second',
      help: "What the key's baseline expected for the same window, mentions per second (event time); allow-listed keys only",
      labelNames: ['key'],
      registers,
      collect: keyRates('usualPerSecond'),
    });
  }

  private registerSentimentCounter(registers: Registers): void {
    const self = this;
    new Counter({
      name: 'stormwatch_sentiment_texts_total',
      help: 'Texts scored for sentiment, by language (en, fr, es, de, it, pt, nl, other) and scorer: the trained model, or the lexicon for languages without a model',
      labelNames: ['lang', 'scorer'],
      registers,
      // Read from the scorer's own counts at scrape time: nothing is added on the per-mention path.
      collect() {
        if (self.sentiment === undefined) return;
        this.reset();
        for (const { lang, scorer, texts } of self.sentiment.usage()) this.inc({ lang, scorer }, texts);
      },
    });
  }

  /** Series that exist from the start, so rates and alerts see zeros rather than nothing. */
  private startSeriesAtZero(): void {
    for (const outcome of ['accepted', 'late', 'rejected'] as const) this.mentions.inc({ outcome }, 0);
    for (const reason of rejectReasons) {
      this.rejected.inc({ reason }, 0);
      this.deadLetters.inc({ reason }, 0);
    }
    for (const type of classificationTypes) this.events.inc({ type }, 0);
    this.deadLettersDropped.inc(0);
    this.wsMessagesDropped.inc(0);
    this.wsSlowClientsDisconnected.inc(0);
    for (const reason of disconnectReasons) this.wsDisconnects.inc({ reason }, 0);
    for (const outcome of ['resumed', 'resync'] as const) this.wsResumes.inc({ outcome }, 0);
    for (const reason of accessRefusals) this.httpRefused.inc({ reason }, 0);
  }

  /** Hands in the live state the scrape-time gauges read. */
  observe(state: MetricsState): void {
    this.state = state;
  }

  /** Hands in the scorer whose usage counts `stormwatch_sentiment_texts_total` reports; returns it. */
  observeSentiment<T extends SentimentUsage>(scorer: T): T {
    this.sentiment = scorer;
    return scorer;
  }

  /** Whether `key` may appear as a label value. */
  isAllowed(key: string): boolean {
    return this.allowed.size > 0 && this.allowed.has(key);
  }

  mention(outcome: MentionOutcome): void {
    this.mentions.inc({ outcome });
  }

  reject(reason: RejectReason): void {
    this.mentions.inc({ outcome: 'rejected' });
    this.rejected.inc({ reason });
  }

  event(type: ClassificationType, key: string): void {
    this.events.inc({ type });
    if (this.isAllowed(key)) this.keyEvents.inc({ key, type });
  }

  error(stage: ErrorStage, errorType: ErrorType): void {
    this.errors.inc({ stage, error_type: errorType });
  }
}
