import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { classificationTypes, type ClassificationType, type Level } from './events/classification.js';
import { rejectReasons, type RejectReason } from './events/mention.js';
import { accessRefusals } from './server/protocol/access.js';
import { disconnectReasons } from './server/protocol/messages.js';
import type { SentimentUsage } from './detect/sentiment/scorer.js';

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

/** Default metrics left out: gauges with a `_total` suffix (see registerProcessMetrics). */
const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const PROCESSING_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Registers = Registry[];

/** prom-client's process metrics (CPU, memory, event loop, GC), without its gauges named *_total. */
function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  // prom-client's totals of the per-type gauges are gauges named *_total, which
  // `promtool check metrics` rejects; sum(nodejs_active_handles) gives the same number.
  for (const name of GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
}

/** The mention path: records by outcome and reject reason, events published, time per batch and stage, batch sizes. */
function pipelineInstruments(registers: Registers) {
  return {
    mentions: new Counter({
      name: 'stormwatch_mentions_total',
      help: 'Input records handled, by outcome: accepted into the windows, late (dropped from the windows), rejected (dead-lettered)',
      labelNames: ['outcome'],
      registers,
    }),
    rejected: new Counter({
      name: 'stormwatch_mentions_rejected_total',
      help: 'Rejected input records by reason',
      labelNames: ['reason'],
      registers,
    }),
    events: new Counter({
      name: 'stormwatch_classification_events_total',
      help: 'Classification events published, by type',
      labelNames: ['type'],
      registers,
    }),
    processingSeconds: new Histogram({
      name: 'stormwatch_processing_duration_seconds',
      help: 'Wall time per batch and stage: engine (parse, score, windows) and publish (sinks acknowledged)',
      labelNames: ['stage'],
      buckets: PROCESSING_BUCKETS_SECONDS,
      registers,
    }),
    batchRecords: new Histogram({
      name: 'stormwatch_batch_records',
      help: 'Records per batch delivered by the source',
      buckets: [1, 10, 100, 1000, 10_000, 100_000],
      registers,
    }),
  };
}

/** What the outputs keep or lose: dead letters, sink outboxes, people's verdicts, webhook deliveries. */
function outputInstruments(registers: Registers) {
  return {
    deadLetters: new Counter({
      name: 'stormwatch_dead_letters_total',
      help: 'Rejected records written to the dead-letter sink, by reason',
      labelNames: ['reason'],
      registers,
    }),
    deadLettersDropped: new Counter({
      name: 'stormwatch_dead_letters_dropped_total',
      help: 'Dead letters that could not be kept (too large, write failed)',
      registers,
    }),
    outboxDropped: new Counter({
      name: 'stormwatch_sink_outbox_dropped_total',
      help: 'Classification events dropped, oldest first, because a failing sink held more than its outbox bound',
      labelNames: ['sink'],
      registers,
    }),
    feedback: new Counter({
      name: 'stormwatch_feedback_total',
      help: "People's verdicts on episodes by the episode's level and the verdict (confirmed, false_alarm, wrong_level), every one kept (restored at start)",
      labelNames: ['level', 'verdict'],
      registers,
    }),
    webhookRequests: new Counter({
      name: 'stormwatch_webhook_requests_total',
      help: 'Webhook requests by target (configured names) and outcome (delivered, failed)',
      labelNames: ['target', 'outcome'],
      registers,
    }),
    webhookDeadLetters: new Counter({
      name: 'stormwatch_webhook_dead_letters_total',
      help: 'Events a webhook target did not take, by reason (attempts_exhausted, rejected, queue_full, shutdown)',
      labelNames: ['target', 'reason'],
      registers,
    }),
  };
}

/** The websocket feed's clients and the HTTP access policy's refusals. */
function serverInstruments(registers: Registers) {
  return {
    wsMessagesDropped: new Counter({
      name: 'stormwatch_ws_messages_dropped_total',
      help: 'Messages still queued for a websocket client when it was closed as a slow consumer (never sent)',
      registers,
    }),
    wsSlowClientsDisconnected: new Counter({
      name: 'stormwatch_ws_slow_clients_disconnected_total',
      help: 'Websocket clients closed with 4409 because their send queue went over its bound',
      registers,
    }),
    wsDisconnects: new Counter({
      name: 'stormwatch_ws_disconnects_total',
      help: 'Websocket clients gone or refused, by reason',
      labelNames: ['reason'],
      registers,
    }),
    wsResumes: new Counter({
      name: 'stormwatch_ws_resumes_total',
      help: 'Websocket subscribes with resumeFrom, by outcome: resumed from history, or told to resync',
      labelNames: ['outcome'],
      registers,
    }),
    httpRefused: new Counter({
      name: 'stormwatch_http_requests_refused_total',
      help: 'HTTP and websocket requests refused with 403 by the access policy: Host not allowed (DNS rebinding), Origin not allowed on /ws (cross-site websocket hijacking)',
      labelNames: ['reason'],
      registers,
    }),
  };
}

/** Per-key series, for allow-listed keys only. */
function keyInstruments(registers: Registers) {
  return {
    keyMentions: new Counter({
      name: 'stormwatch_key_mentions_total',
      help: 'Accepted mentions per key (allow-listed keys only)',
      labelNames: ['key'],
      registers,
    }),
    keyEvents: new Counter({
      name: 'stormwatch_key_classification_events_total',
      help: 'Classification events per key and type (allow-listed keys only)',
      labelNames: ['key', 'type'],
      registers,
    }),
  };
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
