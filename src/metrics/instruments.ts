import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

/** The instruments the service counts into, in groups; the Metrics class holds them (src/metrics/metrics.ts). */

/** Default metrics left out: gauges with a `_total` suffix (see registerProcessMetrics). */
const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const PROCESSING_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export type Registers = Registry[];

/** prom-client's process metrics (CPU, memory, event loop, GC), without its gauges named *_total. */
export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  // prom-client's totals of the per-type gauges are gauges named *_total, which
  // `promtool check metrics` rejects; sum(nodejs_active_handles) gives the same number.
  for (const name of GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
}

/** The mention path: records by outcome and reject reason, events published, time per batch and stage, batch sizes. */
export function pipelineInstruments(registers: Registers) {
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
export function outputInstruments(registers: Registers) {
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
export function serverInstruments(registers: Registers) {
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
export function keyInstruments(registers: Registers) {
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
