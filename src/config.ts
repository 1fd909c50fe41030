import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, detectionConfigProblems } from './detect/config.js';
import { PoliciesConfigSchema } from './detect/policy/policy.js';
import { levels } from './events/classification.js';
import { webhookFormats } from './sinks/webhook/messages.js';
import { connectionOptions, KafkaOptionsError, SASL_PASSWORD_ENV } from './kafka/options.js';
import { normalizedOrigin } from './server/protocol/access.js';
import { resolveSimulatorConfig, SimulatorConfigError, SimulatorConfigSchema, type SimulatorConfigInput } from './sources/simulator/config.js';

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

const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const isHost = (host: string): boolean => isIP(host) !== 0 || HOSTNAME.test(host);

/** Cross-field rules of the service sections; the simulator's are checked with the source (sourceProblems). */
function serviceConfigProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.source.kind === 'file' && config.file.path === '') problems.push('file.path: required when source.kind is file');
  if (config.source.kind === 'kafka' && config.kafka.brokers.length === 0) problems.push('kafka.brokers: required when source.kind is kafka');
  if (config.kafka.saslMechanism !== 'none' && config.kafka.saslUsername === '') problems.push('kafka.saslUsername: required when kafka.saslMechanism is set');
  if (config.kafka.batchRetryMaxMs < config.kafka.batchRetryInitialMs) problems.push('kafka.batchRetryMaxMs: must be at least kafka.batchRetryInitialMs');
  if (config.kafka.heartbeatIntervalMs >= config.kafka.sessionTimeoutMs) problems.push('kafka.heartbeatIntervalMs: must be below kafka.sessionTimeoutMs');
  if (2 * config.input.maxFutureMs > config.detection.allowedLatenessMs) {
    problems.push('input.maxFutureMs: must be at most half of detection.allowedLatenessMs (a mention accepted that far ahead moves its key\'s time, and the key\'s on-time mentions must stay within the lateness)');
  }
  if (config.webhooks.maxBackoffMs < config.webhooks.initialBackoffMs) problems.push('webhooks.maxBackoffMs: must be at least webhooks.initialBackoffMs');
  const names = new Set<string>();
  config.webhooks.targets.forEach((target, i) => {
    if (names.has(target.name)) problems.push(`webhooks.targets.${i}.name: ${JSON.stringify(target.name)} is used by another target`);
    names.add(target.name);
    let url: URL | undefined;
    try {
      url = new URL(target.url);
    } catch {
      url = undefined;
    }
    // The URL is not echoed: a Slack webhook URL is itself a credential.
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push(`webhooks.targets.${i}.url (${target.name}): not an http(s) URL`);
  });
  if (config.feed.idleTimeoutMs <= config.feed.heartbeatMs) problems.push('feed.idleTimeoutMs: must be above feed.heartbeatMs (a client answers the pings the heartbeat sends)');
  if (!isHost(config.server.host)) problems.push(`server.host (STORMWATCH_SERVER_HOST): ${JSON.stringify(config.server.host)} is neither an IP address nor a host name`);
  for (const host of config.server.allowedHosts) {
    if (host !== '*' && !isHost(host.replace(/^\[(.*)\]$/, '$1'))) problems.push(`server.allowedHosts (STORMWATCH_SERVER_ALLOWED_HOSTS): ${JSON.stringify(host)} is neither an IP address, a host name nor *`);
  }
  for (const origin of config.server.allowedOrigins) {
    if (origin !== '*' && normalizedOrigin(origin) === undefined) problems.push(`server.allowedOrigins (STORMWATCH_SERVER_ALLOWED_ORIGINS): ${JSON.stringify(origin)} is not an origin (scheme://host[:port]) nor *`);
  }
  return problems;
}

/** Why `path` cannot be created or appended to (checked without writing), or undefined. */
function unwritable(path: string): string | undefined {
  const target = resolve(path);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) return `${path} is a folder`;
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      return `cannot write ${path}: ${(error as Error).message}`;
    }
  }
  // The file, its rotation (<path>.1) and missing folders are created in the nearest existing folder.
  let dir = dirname(target);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) return `cannot create ${path}: ${dir} is not a folder`;
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    return `cannot create ${path} in ${dir}: ${(error as Error).message}`;
  }
  return undefined;
}

/** What the service will open for its source and write, checked before it starts. */
function sourceProblems(config: Config, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const kind = resolveSourceKind(config);
  if (kind === 'simulator') {
    const { speedup: _speedup, ...simulator } = config.simulator;
    try {
      resolveSimulatorConfig(simulator as SimulatorConfigInput);
    } catch (error) {
      if (!(error instanceof SimulatorConfigError)) throw error;
      problems.push(...error.problems.map((p) => `simulator${p.replaceAll('/', '.')}`));
    }
  } else if (kind === 'file') {
    try {
      accessSync(config.file.path, constants.R_OK);
    } catch (error) {
      problems.push(`file.path (STORMWATCH_FILE_PATH): cannot read ${config.file.path}: ${(error as Error).message}`);
    }
  } else {
    try {
      connectionOptions(config.kafka, { env });
    } catch (error) {
      if (!(error instanceof KafkaOptionsError)) throw error;
      problems.push(...error.problems);
    }
  }
  for (const target of config.webhooks.targets) {
    // A receiver of the JSON body has no other way to know the event is ours.
    if (target.format === 'json' && webhookSecret(target.name, env) === undefined) problems.push(`webhooks.targets (${target.name}): ${webhookSecretVariable(target.name)} is not set (json targets are always signed)`);
  }
  if (config.webhooks.targets.length > 0) {
    const problem = unwritable(config.webhooks.deadLetterPath);
    if (problem !== undefined) problems.push(`webhooks.deadLetterPath (STORMWATCH_WEBHOOKS_DEAD_LETTER_PATH): ${problem}`);
  }
  // Kafka keeps its dead letters on a topic; the other sources write them to a file.
  if (kind !== 'kafka') {
    const problem = unwritable(config.deadLetters.path);
    if (problem !== undefined) problems.push(`deadLetters.path (STORMWATCH_DEAD_LETTERS_PATH): ${problem}`);
    const feedback = unwritable(config.feedback.path);
    if (feedback !== undefined) problems.push(`feedback.path (STORMWATCH_FEEDBACK_PATH): ${feedback}`);
  }
  return problems;
}

const WEBHOOK_SECRET_PREFIX = 'STORMWATCH_WEBHOOK_SECRET_';

/** The environment variable holding a webhook target's secret: STORMWATCH_WEBHOOK_SECRET_<NAME>. */
export function webhookSecretVariable(name: string): string {
  return WEBHOOK_SECRET_PREFIX + name.toUpperCase().replaceAll('-', '_');
}

/** A webhook target's secret (never part of the config, never logged); undefined when unset or empty. */
export function webhookSecret(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[webhookSecretVariable(name)];
  return value === undefined || value === '' ? undefined : value;
}

const DEFAULT_FILE = new URL('../../config/default.json', import.meta.url);

/** The defaults exactly as the schemas state them (config/default.json must equal this). */
export function schemaDefaults(): Config {
  return Value.Default(ConfigSchema, {}) as Config;
}

function camelToEnv(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The environment variable of a setting, e.g. server.allowedHosts → STORMWATCH_SERVER_ALLOWED_HOSTS. */
export function envVariable(section: string, name: string): string {
  return `STORMWATCH_${camelToEnv(section)}_${camelToEnv(name)}`;
}

/**
 * STORMWATCH_* variables that are not settings: read where they are used (the config file, the
 * SASL password) or by the tooling (scripts/kafka.sh, tests, benchmarks). Any other STORMWATCH_*
 * variable must name a setting: a misspelt STORMWATCH_FEED_TOKEN must not leave the feed open.
 */
const OTHER_VARIABLES = new Set([
  'STORMWATCH_CONFIG',
  SASL_PASSWORD_ENV,
  'STORMWATCH_KAFKA_DIR',
  'STORMWATCH_KAFKA_PORT',
  'STORMWATCH_KAFKA_CONTROLLER_PORT',
  'STORMWATCH_KAFKA_HEAP_OPTS',
  'STORMWATCH_KAFKA_READY_TIMEOUT',
  'STORMWATCH_KAFKA_STOP_TIMEOUT',
  'STORMWATCH_CHROMIUM',
]);
const OTHER_PREFIXES = ['STORMWATCH_TEST_', 'STORMWATCH_BENCH_', WEBHOOK_SECRET_PREFIX];

interface Setting {
  section: string;
  name: string;
  schema: TSchema;
}

/** Every setting by its environment variable. */
const settingsByVariable: ReadonlyMap<string, Setting> = new Map(
  Object.entries(ConfigSchema.properties).flatMap(([section, sectionSchema]) =>
    Object.entries((sectionSchema as { properties?: Record<string, TSchema> }).properties ?? {}).map(
      ([name, schema]) => [envVariable(section, name), { section, name, schema }] as const,
    ),
  ),
);

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function closestVariable(variable: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4; // more edits than this is not a misspelling
  for (const known of settingsByVariable.keys()) {
    const d = editDistance(variable, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A variable's text as the setting's type, or a problem. Numbers are decimal only: no hex, no blanks. */
function parseVariable(raw: string, schema: TSchema): { value: unknown } | { problem: string } {
  const kind = (schema as { type?: string }).type;
  if (kind === 'integer') {
    return INTEGER.test(raw) && Number.isSafeInteger(Number(raw)) ? { value: Number(raw) } : { problem: 'expected a whole decimal number' };
  }
  if (kind === 'number') return DECIMAL.test(raw) && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { problem: 'expected a decimal number' };
  if (kind === 'boolean') return raw === 'true' || raw === '1' ? { value: true } : raw === 'false' || raw === '0' ? { value: false } : { problem: 'expected one of true, false, 1, 0' };
  if (kind === 'array') {
    if ((schema as { items?: { type?: string } }).items?.type !== 'string') return { problem: 'a list of objects: set it in the STORMWATCH_CONFIG file' };
    return { value: raw.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  }
  if (kind === 'object') return { problem: 'an object: set it in the STORMWATCH_CONFIG file' };
  return { value: raw };
}

/** Where each setting's value came from, for problems: a variable (`STORMWATCH_X`, `PORT`) or the config file. */
type Origin = { readonly variable: string } | { readonly file: string };
type Origins = Map<string, Origin>;

/** Reads the STORMWATCH_* variables (and PORT) as overrides; unknown and unparsable ones are problems. */
function envOverrides(env: NodeJS.ProcessEnv, origins: Origins, problems: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const set = (variable: string, setting: Setting, raw: string): void => {
    const dotted = `${setting.section}.${setting.name}`;
    const parsed = parseVariable(raw, setting.schema);
    if ('problem' in parsed) problems.push(`${dotted} (${variable}=${JSON.stringify(raw)}): ${parsed.problem}`);
    else {
      (out[setting.section] ??= {})[setting.name] = parsed.value;
      origins.set(dotted, { variable });
    }
  };
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith('STORMWATCH_') || raw === undefined) continue;
    const setting = settingsByVariable.get(variable);
    if (setting === undefined) {
      if (OTHER_VARIABLES.has(variable) || OTHER_PREFIXES.some((p) => variable.startsWith(p))) continue;
      const closest = closestVariable(variable);
      problems.push(`${variable}: not a setting${closest !== undefined ? `; did you mean ${closest}?` : ''} (every setting: README "Configuration")`);
      continue;
    }
    if (raw !== '') set(variable, setting, raw);
  }
  // PORT is the common convention; STORMWATCH_SERVER_PORT wins when both are set.
  const port = env.PORT;
  if (port !== undefined && port !== '' && (env.STORMWATCH_SERVER_PORT ?? '') === '') set('PORT', settingsByVariable.get('STORMWATCH_SERVER_PORT')!, port);
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Settings whose values are never echoed in a problem. */
const SECRET_SETTINGS = new Set(['feed.token']);

/**
 * One schema error as a line: the setting, its environment variable, what is wrong (allowed values
 * listed), and where the value came from: `server.port (STORMWATCH_SERVER_PORT="x"): …` or
 * `server.port (STORMWATCH_SERVER_PORT; set in the STORMWATCH_CONFIG file a.json): … (got "x")`.
 */
function describeError(error: ValueError, origins: Origins, env: NodeJS.ProcessEnv): string {
  const segments = error.path.split('/').slice(1);
  const leaf = segments.slice(0, 2).join('.');
  const literals = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((s) => s.const);
  let message = literals !== undefined && literals.every((l) => l !== undefined) ? `expected one of ${literals.join(', ')}` : error.message.replace(/^[A-Z]/, (c) => c.toLowerCase());
  if (error.type === ValueErrorType.ObjectAdditionalProperties) message = 'not a setting';
  const secret = SECRET_SETTINGS.has(leaf);
  const origin = origins.get(leaf) ?? origins.get(segments[0] ?? '');
  const variable = segments.length === 2 && settingsByVariable.has(envVariable(segments[0]!, segments[1]!)) ? envVariable(segments[0]!, segments[1]!) : undefined;
  let where = variable;
  let got = error.value === undefined || secret ? '' : ` (got ${JSON.stringify(error.value)?.slice(0, 80)})`;
  if (origin !== undefined && 'variable' in origin) {
    // The variable's own text says more than its parsed value.
    where = secret ? origin.variable : `${origin.variable}=${JSON.stringify(env[origin.variable])}`;
    got = '';
  } else if (origin !== undefined) where = [variable, `set in the STORMWATCH_CONFIG file ${origin.file}`].filter((w) => w !== undefined).join('; ');
  return `${segments.join('.') || '(root)'}${where !== undefined ? ` (${where})` : ''}: ${message}${got}`;
}

/** The file's settings, marked as coming from it (sections too: unknown ones are reported there). */
function markFileOrigins(contents: Record<string, unknown>, file: string, origins: Origins): void {
  for (const [section, value] of Object.entries(contents)) {
    origins.set(section, { file });
    if (isObject(value)) for (const name of Object.keys(value)) origins.set(`${section}.${name}`, { file });
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra overrides (tests, CLI flags), applied last. */
  overrides?: unknown;
  /**
   * Also check what the service will open before it starts: the source (simulator schedule, file,
   * Kafka TLS files and password) and the files it will write (dead letters). Off for replay and tests.
   */
  service?: boolean;
}

/**
 * Defaults ← STORMWATCH_CONFIG file ← environment ← overrides, validated as a whole: every problem
 * (unknown variables, unparsable values, schema, cross-field rules, the source's own checks) is
 * collected before one ConfigError lists them all.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const origins: Origins = new Map();
  let merged: unknown = JSON.parse(readFileSync(DEFAULT_FILE, 'utf8'));
  const file = env.STORMWATCH_CONFIG;
  if (file !== undefined && file !== '') {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!isObject(parsed)) throw new Error('expected a JSON object of sections');
      markFileOrigins(parsed, file, origins);
      merged = deepMerge(merged, parsed);
    } catch (error) {
      problems.push(`STORMWATCH_CONFIG=${file}: ${(error as Error).message}`);
    }
  }
  merged = deepMerge(merged, envOverrides(env, origins, problems));
  merged = deepMerge(merged, options.overrides);
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(merged));

  // Schema problems, one per setting; then the rules run on a copy where each invalid setting is
  // back at its default, so their problems are listed too (minus those about an invalid setting).
  const invalid = new Set<string>();
  const repaired = Value.Clone(merged) as Record<string, Record<string, unknown> | undefined>;
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const segments = error.path.split('/').slice(1);
    const leaf = segments.slice(0, 2).join('.');
    if (invalid.has(leaf)) continue;
    invalid.add(leaf);
    problems.push(describeError(error, origins, env));
    const [section, name] = segments;
    if (section === undefined) continue;
    if (name === undefined || !isObject(repaired[section])) delete repaired[section];
    else delete repaired[section]![name];
  }
  const candidate = Value.Default(ConfigSchema, repaired);
  if (Value.Check(ConfigSchema, candidate)) {
    const config = candidate as Config;
    const rules = [...detectionConfigProblems(config.detection), ...serviceConfigProblems(config), ...(options.service === true ? sourceProblems(config, env) : [])];
    for (const problem of rules) {
      if (!problems.includes(problem) && ![...invalid].some((path) => problem.includes(path))) problems.push(problem);
    }
    if (problems.length === 0) return deepFreeze(config);
  }
  throw new ConfigError(problems);
}
