import { Type, type Static } from '@sinclair/typebox';
import { DetectionConfigSchema } from '../detect/config.js';
import { PoliciesConfigSchema } from '../detect/policy/policy.js';
import { levels } from '../events/classification.js';
import { SimulatorConfigSchema } from '../sources/simulator/config.js';

/**
 * The one typed configuration of stormwatch. Defaults live in config/default.json (generated
 * from and checked against these schemas); an optional JSON file (STORMWATCH_CONFIG) and
 * environment variables (STORMWATCH_<SECTION>_<NAME>, e.g. STORMWATCH_DETECTION_BUCKET_MS)
 * override them. Validated once at start-up, listing every problem, then deep-frozen.
 */
export const InputConfigSchema = Type.Object(
  {
    maxBytes: Type.Integer({ minimum: 256, maximum: 16 * 1024 * 1024, default: 64 * 1024, description: 'largest accepted mention record (bytes, at most 16 MiB: a file or replay line is held up to this)' }),
    maxFutureMs: Type.Integer({
      minimum: 0,
      default: 60_000,
      description:
        'how far a timestamp may be ahead of the source\'s clock (live) or of the input before it (history): at most half of detection.allowedLatenessMs, so that a mention accepted this far ahead leaves the others the other half as transit delay',
    }),
    maxPastMs: Type.Integer({ minimum: 0, default: 7 * 24 * 3_600_000, description: 'live mode: how far behind the wall clock a timestamp may be' }),
  },
  { additionalProperties: false, default: {} },
);

export const LogConfigSchema = Type.Object(
  {
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  },
  { additionalProperties: false, default: {} },
);

export const ServerConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'interface the HTTP/websocket server binds (0.0.0.0 for all)' }),
    port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8080, description: 'TCP port; 0 picks a free one (PORT also sets it)' }),
    allowedHosts: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
      default: [],
      maxItems: 1000,
      description: 'Host names answered besides localhost, 127.0.0.0/8, ::1 and the bound address (all interface addresses when bound to 0.0.0.0); * for any. Others get 403 (DNS rebinding)',
    }),
    allowedOrigins: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
      default: [],
      maxItems: 1000,
      description: 'browser origins (scheme://host[:port]) allowed to open /ws besides the page\'s own; * for any. Others get 403 (cross-site websocket hijacking)',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const sourceKinds = ['auto', 'simulator', 'file', 'kafka'] as const;
export type SourceKind = Exclude<(typeof sourceKinds)[number], 'auto'>;

export const SourceConfigSchema = Type.Object(
  {
    kind: Type.Union(sourceKinds.map((k) => Type.Literal(k)), {
      default: 'auto',
      description: 'auto: kafka when kafka.brokers is set, else file when file.path is set, else the simulator',
    }),
    batchIntervalMs: Type.Integer({ minimum: 10, maximum: 10_000, default: 150, description: 'embedded sources: wall time between batches' }),
    maxBatchRecords: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000, description: 'embedded sources: largest batch' }),
  },
  { additionalProperties: false, default: {} },
);

/** The simulator's own schema as a section, with the schedule optional and the service's pacing. */
export const SimulatorSectionSchema = Type.Object(
  {
    ...SimulatorConfigSchema.properties,
    // Left out, these take the simulator's own defaults (the schedule follows warmupMs).
    languages: Type.Optional(SimulatorConfigSchema.properties.languages),
    platforms: Type.Optional(SimulatorConfigSchema.properties.platforms),
    incidents: Type.Optional(SimulatorConfigSchema.properties.incidents),
    speedup: Type.Number({ minimum: 0.001, maximum: 1_000_000, default: 360, description: 'event-time milliseconds per wall-clock millisecond (0.001 to 10^6)' }),
  },
  { additionalProperties: false, default: {} },
);

export const FileSourceConfigSchema = Type.Object(
  {
    path: Type.String({ default: '', description: 'NDJSON file of mentions to replay (empty: none)' }),
    pace: Type.Union([Type.Literal('recorded'), Type.Literal('unpaced')], { default: 'recorded', description: 'recorded: at the timestamps\' pace × speedup; unpaced: as fast as possible' }),
    speedup: Type.Number({ minimum: 0.001, maximum: 1_000_000, default: 1, description: 'event-time milliseconds per wall-clock millisecond (pace recorded; 0.001 to 10^6)' }),
  },
  { additionalProperties: false, default: {} },
);

/**
 * Kafka: consumer group in, alert topic out, dead letters (src/kafka/, README "Kafka"). Flat keys
 * so every one has an env override (STORMWATCH_KAFKA_<NAME>). The SASL password is never part of
 * the config: it is read from STORMWATCH_KAFKA_SASL_PASSWORD only, and never logged.
 */
export const KafkaConfigSchema = Type.Object(
  {
    brokers: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'bootstrap brokers host:port; non-empty selects the Kafka source' }),
    clientId: Type.String({ minLength: 1, default: 'stormwatch', description: 'Kafka client id (broker logs, quotas)' }),
    groupId: Type.String({ minLength: 1, default: 'stormwatch', description: 'consumer group of the mentions topic; instances sharing it share the partitions' }),
    mentionsTopic: Type.String({ minLength: 1, default: 'stormwatch.mentions', description: 'input: one mention per record, keyed by brand key' }),
    alertsTopic: Type.String({ minLength: 1, default: 'stormwatch.alerts', description: 'output: classification events (docs/alert-topic.md)' }),
    deadLettersTopic: Type.String({ minLength: 1, default: 'stormwatch.dead-letters', description: 'output: rejected input records with their original bytes' }),
    feedbackTopic: Type.String({ minLength: 1, default: 'stormwatch.feedback', description: "people's verdicts on episodes (POST /api/episodes/:episodeId/feedback), read back by every instance" }),
    createTopics: Type.Boolean({ default: true, description: 'create missing topics at start-up (admin client); off: they must exist' }),
    partitions: Type.Integer({ minimum: 1, maximum: 10_000, default: 3, description: 'partitions of topics created at start-up' }),
    replicationFactor: Type.Integer({ minimum: -1, maximum: 32, default: -1, description: 'replication factor of created topics; -1: the broker default' }),
    fromBeginning: Type.Boolean({ default: true, description: 'a group without committed offsets starts at the earliest record (else the latest)' }),
    clock: Type.Union([Type.Literal('wall'), Type.Literal('records')], {
      default: 'wall',
      description: "wall: live; once caught up, the wall clock moves event time (quiet keys' storms end); records: event time follows the mentions only (replays of history)",
    }),
    sessionTimeoutMs: Type.Integer({ minimum: 1000, default: 30_000, description: 'consumer group session timeout' }),
    heartbeatIntervalMs: Type.Integer({ minimum: 100, default: 3000, description: 'consumer heartbeat interval' }),
    maxWaitTimeMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 500, description: 'longest a fetch waits for new records' }),
    maxBytesPerPartition: Type.Integer({ minimum: 1024, default: 1024 * 1024, description: 'fetch size per partition (bounds a batch)' }),
    maxBytes: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024, description: 'fetch size per request' }),
    batchRetryInitialMs: Type.Integer({ minimum: 10, default: 500, description: 'first wait before a batch the sinks did not acknowledge is retried' }),
    batchRetryMaxMs: Type.Integer({ minimum: 10, default: 30_000, description: 'longest wait between retries of one batch (it is never skipped)' }),
    lagIntervalMs: Type.Integer({ minimum: 100, default: 15_000, description: 'how often committed offsets are compared with the end offsets (lag gauge, caught-up check)' }),
    connectionTimeoutMs: Type.Integer({ minimum: 100, default: 3000 }),
    requestTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
    compression: Type.Union([Type.Literal('none'), Type.Literal('gzip')], { default: 'none', description: 'compression of produced records (alerts, dead letters)' }),
    idempotent: Type.Boolean({ default: true, description: 'idempotent alert producer (acks=all, one request in flight): no duplicates from producer retries' }),
    eventSource: Type.String({ minLength: 1, default: '/stormwatch', description: 'CloudEvents ce_source of alert records' }),
    deadLetterMaxValueBytes: Type.Integer({ minimum: 1024, default: 900 * 1024, description: 'dead-letter values above this are truncated (headers say so, with the original size and SHA-256)' }),
    tlsEnabled: Type.Boolean({ default: false, description: 'TLS to the brokers' }),
    tlsCaFile: Type.String({ default: '', description: 'PEM file of the CA(s) to trust (empty: the system CAs)' }),
    tlsCertFile: Type.String({ default: '', description: 'PEM client certificate (mutual TLS)' }),
    tlsKeyFile: Type.String({ default: '', description: 'PEM client key (mutual TLS)' }),
    tlsRejectUnauthorized: Type.Boolean({ default: true, description: 'verify the brokers\' certificates' }),
    saslMechanism: Type.Union([Type.Literal('none'), Type.Literal('plain'), Type.Literal('scram-sha-256'), Type.Literal('scram-sha-512')], {
      default: 'none',
      description: 'SASL authentication; the password comes from STORMWATCH_KAFKA_SASL_PASSWORD only',
    }),
    saslUsername: Type.String({ default: '' }),
  },
  { additionalProperties: false, default: {} },
);

/** Keyed state on a compacted changelog topic (Kafka source only; docs/state.md). */
export const StateConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'checkpoint per-key state to the changelog and restore it on assignment (Kafka source)' }),
    topic: Type.String({ default: '', description: 'compacted changelog topic; empty: <kafka.mentionsTopic>-state' }),
    checkpointIntervalMs: Type.Integer({ minimum: 100, default: 5000, description: 'dirty keys are written (and offsets committed) at most this often; also the longest replay after a crash' }),
    maxWritesPerSecond: Type.Integer({ minimum: 1, default: 20_000, description: 'snapshot writes per second at most (periodic checkpoints; revoke and shutdown write everything)' }),
    restoreTimeoutMs: Type.Integer({ minimum: 1000, default: 300_000, description: 'a restore taking longer fails (and is retried)' }),
  },
  { additionalProperties: false, default: {} },
);

export const DeadLetterConfigSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, default: '.data/dead-letters.ndjson', description: 'embedded mode: NDJSON file of rejected records' }),
    maxBytes: Type.Integer({ minimum: 4096, default: 16 * 1024 * 1024, description: 'size at which the file rotates to <path>.1 (at most two files)' }),
  },
  { additionalProperties: false, default: {} },
);

export const FeedbackConfigSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, default: '.data/feedback.ndjson', description: "embedded mode: NDJSON file of people's verdicts on episodes, read back at start (Kafka: kafka.feedbackTopic)" }),
    maxBytes: Type.Integer({ minimum: 4096, default: 16 * 1024 * 1024, description: 'size at which the file rotates to <path>.1 (at most two files; the oldest feedback goes with it)' }),
  },
  { additionalProperties: false, default: {} },
);

export const MetricsConfigSchema = Type.Object(
  {
    keyAllowList: Type.Array(Type.String({ minLength: 1 }), { default: [], maxItems: 1000, description: 'keys that get their own metric series (key label)' }),
  },
  { additionalProperties: false, default: {} },
);

export const FeedConfigSchema = Type.Object(
  {
    maxBufferedBytes: Type.Integer({ minimum: 1024, default: 1024 * 1024, description: 'bytes queued for one websocket client at most (its queue plus its socket buffer); more: closed with 4409' }),
    recentEpisodes: Type.Integer({ minimum: 0, maximum: 10_000, default: 100, description: 'ended episodes kept for /api/episodes' }),
    token: Type.String({ default: '', maxLength: 1024, description: 'required from /ws and /api/episodes clients when set (?token=, Authorization: Bearer, or subprotocol bearer.<token>); empty: no authentication' }),
    maxClients: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'websocket clients at most; more are closed with 4429' }),
    maxMessageBytes: Type.Integer({ minimum: 256, maximum: 1024 * 1024, default: 16 * 1024, description: 'largest message a websocket client may send; larger: closed with 4413' }),
    maxQueuedMessages: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000, description: 'messages waiting for one websocket client at most; more: closed with 4409 (slow consumer)' }),
    historySize: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1000, description: 'latest feed events kept for clients that resume (resumeFrom); older: resync' }),
    heartbeatMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000, description: 'wall time between heartbeat messages and websocket pings' }),
    idleTimeoutMs: Type.Integer({ minimum: 200, maximum: 3_600_000, default: 45_000, description: 'a websocket client silent this long (no pong, no message) is closed with 4408' }),
    subscribeGraceMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 500, description: 'a new client that has not subscribed by then gets everything (snapshot, then live events)' }),
  },
  { additionalProperties: false, default: {} },
);

/** Names become environment variables (STORMWATCH_WEBHOOK_SECRET_<NAME>) and metric labels. */
/** What a webhook target is sent (src/sinks/webhook/messages.ts). */
export const webhookFormats = ['slack', 'json'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];

const WEBHOOK_NAME = '^[a-z0-9][a-z0-9_-]{0,39}$';

export const WebhookTargetSchema = Type.Object(
  {
    name: Type.String({ pattern: WEBHOOK_NAME, description: 'lower-case letters, digits, - and _; its secret is STORMWATCH_WEBHOOK_SECRET_<NAME> (upper case, - as _)' }),
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' }),
    format: Type.Union(webhookFormats.map((f) => Type.Literal(f)), { default: 'json', description: 'slack: a Slack-compatible message (text and blocks); json: the event as on the alert topic' }),
    levels: Type.Array(Type.Union(levels.map((l) => Type.Literal(l))), { default: [], description: 'levels sent; empty: all' }),
    minSeverity: Type.Integer({ minimum: 0, maximum: 100, default: 0, description: 'an episode is sent once its severity so far reaches this, then every event of it (its end too)' }),
    keys: Type.Array(Type.String({ minLength: 1 }), { default: [], maxItems: 10_000, description: 'brand keys sent; empty: all' }),
  },
  { additionalProperties: false },
);

export const WebhooksConfigSchema = Type.Object(
  {
    targets: Type.Array(WebhookTargetSchema, { default: [], maxItems: 100, description: 'webhook targets (set them in the STORMWATCH_CONFIG file; docs/webhooks.md)' }),
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 6, description: 'attempts per event and target before it is dead-lettered' }),
    initialBackoffMs: Type.Integer({ minimum: 10, default: 1000, description: 'wait before the first retry; doubled each time (with jitter)' }),
    maxBackoffMs: Type.Integer({ minimum: 10, default: 60_000, description: 'longest wait between attempts (also caps Retry-After)' }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000, description: 'one request may take this long' }),
    maxQueuedEvents: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000, description: 'events waiting for one target at most; older ones are dead-lettered (queue_full)' }),
    deadLetterPath: Type.String({ minLength: 1, default: '.data/webhook-dead-letters.ndjson', description: 'NDJSON file of events a target did not take' }),
    deadLetterMaxBytes: Type.Integer({ minimum: 4096, default: 16 * 1024 * 1024, description: 'size at which the file rotates to <path>.1 (at most two files)' }),
  },
  { additionalProperties: false, default: {} },
);

export const ShutdownConfigSchema = Type.Object(
  {
    deadlineMs: Type.Integer({ minimum: 100, default: 10_000, description: 'graceful shutdown must finish within this; then the process exits anyway' }),
  },
  { additionalProperties: false, default: {} },
);

export const TickConfigSchema = Type.Object(
  {
    intervalMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'wall time between advancing event time to the source\'s clock' }),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    detection: { ...DetectionConfigSchema, default: {} },
    policies: PoliciesConfigSchema,
    input: InputConfigSchema,
    log: LogConfigSchema,
    server: ServerConfigSchema,
    source: SourceConfigSchema,
    simulator: SimulatorSectionSchema,
    file: FileSourceConfigSchema,
    kafka: KafkaConfigSchema,
    state: StateConfigSchema,
    deadLetters: DeadLetterConfigSchema,
    feedback: FeedbackConfigSchema,
    metrics: MetricsConfigSchema,
    feed: FeedConfigSchema,
    webhooks: WebhooksConfigSchema,
    shutdown: ShutdownConfigSchema,
    tick: TickConfigSchema,
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** The source the service runs: `source.kind`, or chosen from what is configured when `auto`. */
export function resolveSourceKind(config: Config): SourceKind {
  if (config.source.kind !== 'auto') return config.source.kind;
  if (config.kafka.brokers.length > 0) return 'kafka';
  if (config.file.path !== '') return 'file';
  return 'simulator';
}
