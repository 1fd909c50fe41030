import { networkInterfaces } from 'node:os';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { ConfigError, resolveSourceKind, type Config, type SourceKind } from './config/schema.js';
import { loadConfig } from './config/load.js';
import { webhookSecret } from './config/rules.js';
import type { DetectionEngine } from './detect/engine.js';
import type { EpisodeCurves } from './episodes/curves.js';
import { EpisodeBoard } from './episodes/board.js';
import { BoundedNdjsonFile } from './files/ndjson-file.js';
import { FileFeedbackLog } from './feedback/file-log.js';
import { KafkaFeedbackLog } from './feedback/kafka-log.js';
import { FeedbackStore, type FeedbackLog } from './feedback/store.js';
import { createKafkaClient } from './kafka/client.js';
import { KafkaMetrics } from './kafka/metrics.js';
import { backoffMs, connectionOptions, describeConnection } from './config/kafka.js';
import { createLogger, ReasonReporter, type Logger } from './logging.js';
import { Metrics } from './metrics/metrics.js';
import { MentionPipeline } from './pipeline.js';
import type { DeadLetterSink, EpisodeHandover, EventSink, MentionSource, PartitionStateHooks, RawRecord } from './ports.js';
import { buildApp } from './server/app.js';
import { FeedHub } from './server/feed-hub.js';
import { observeFeed } from './server/feed-observer.js';
import { accessPolicy, type AccessRefusal } from './server/protocol/access.js';
import { createCore, recordListeners, StormwatchService, type Core } from './service.js';
import { DeadLetterFileSink } from './sinks/dead-letter-file.js';
import { FeedSink } from './sinks/feed-sink.js';
import { KafkaAlertSink } from './sinks/kafka-alert-sink.js';
import { KafkaDeadLetterSink } from './sinks/kafka-dead-letter-sink.js';
import { WebhookSink, type WebhookDeadLetter } from './sinks/webhook/webhook-sink.js';
import { FileSource } from './sources/file-source.js';
import { KafkaMentionSource } from './sources/kafka-source.js';
import { createSimulator, type SimulatorConfigInput } from './sources/simulator/index.js';
import { SimulatorSource } from './sources/simulator-source.js';
import { ChangelogStore } from './state/changelog.js';
import { StateMetrics } from './state/metrics.js';

/**
 * Composition root, the only one of the service: every part is built here and handed what it
 * needs, in the order the data flows (docs: ARCHITECTURE.md):
 *   config → logs, metrics → what people see (feed, board) → outputs (sinks, dead letters,
 *   feedback) → engine → keyed state → input (source) → pipeline → service → server → signals.
 * Only here is listen() called.
 */

/** What people and dashboards read: the websocket feed and the board of episodes. */
interface Views {
  hub: FeedHub;
  board: EpisodeBoard;
}

/** Where everything the service produces goes. */
interface Outputs {
  sinks: EventSink[];
  deadLetters: DeadLetterSink;
  feedback: FeedbackLog;
  webhookLetters?: BoundedNdjsonFile<WebhookDeadLetter>;
}

/** Where mentions come from. */
interface Input {
  source: MentionSource;
  /** Check timestamps against the source's clock (live sources). */
  liveTimestamps: boolean;
  describe: Record<string, unknown>;
}

function configOrExit(): Config {
  try {
    return loadConfig({ service: true });
  } catch (error) {
    fail(error);
  }
}

function buildViews(config: Config, metrics: Metrics, logger: Logger): Views {
  const hub = new FeedHub(config.feed);
  observeFeed(hub, metrics, logger);
  return { hub, board: new EpisodeBoard(config.feed.recentEpisodes) };
}

function onBatchError(metrics: Metrics, logger: Logger) {
  return (error: Error, records: number): void => {
    metrics.error('receiving', 'batch_retry');
    logger.error({ err: error, records }, 'batch not acknowledged; retrying');
  };
}

/** The board and the feed first, then the alert topic (Kafka) and webhooks; dead letters and feedback to the topic or to files. */
async function buildOutputs(config: Config, kafka: Kafka | undefined, views: Views, metrics: Metrics, logger: Logger): Promise<Outputs> {
  const webhooks = buildWebhooks(config, logger, metrics);
  const sinks: EventSink[] = [views.board, new FeedSink(views.hub)];
  if (kafka !== undefined) sinks.push(new KafkaAlertSink({ kafka, config: config.kafka, logger }));
  if (webhooks !== undefined) sinks.push(webhooks.sink);
  const deadLetters = kafka !== undefined ? new KafkaDeadLetterSink({ kafka, config: config.kafka, logger }) : await deadLetterFile(config, metrics, logger);
  const feedback = kafka !== undefined
    ? new KafkaFeedbackLog({ kafka, config: config.kafka, logger })
    : new FileFeedbackLog({ path: config.feedback.path, maxBytes: config.feedback.maxBytes, logger });
  return { sinks, deadLetters, feedback, ...(webhooks !== undefined ? { webhookLetters: webhooks.letters } : {}) };
}

async function deadLetterFile(config: Config, metrics: Metrics, logger: Logger): Promise<DeadLetterFileSink> {
  const file = new DeadLetterFileSink({
    path: config.deadLetters.path,
    maxBytes: config.deadLetters.maxBytes,
    onDrop: (count, why, error) => {
      metrics.deadLettersDropped.inc(count);
      if (why === 'write_failed') logger.error({ err: error, count, path: config.deadLetters.path }, 'dead letters lost');
    },
  });
  await file.ready();
  // Checked by loadConfig, but the folder may have changed since: say so rather than run unready.
  if (!file.isReady()) fail(new ConfigError([`deadLetters.path (STORMWATCH_DEAD_LETTERS_PATH): cannot open ${config.deadLetters.path}`]));
  return file;
}

/** The webhook sink and its dead-letter file, when targets are configured (secrets from the environment). */
function buildWebhooks(config: Config, logger: Logger, metrics: Metrics): { sink: WebhookSink; letters: BoundedNdjsonFile<WebhookDeadLetter> } | undefined {
  const w = config.webhooks;
  if (w.targets.length === 0) return undefined;
  const letters = new BoundedNdjsonFile<WebhookDeadLetter>(
    {
      path: w.deadLetterPath,
      maxBytes: w.deadLetterMaxBytes,
      onDrop: (count, why, error) => logger.error({ err: error, count, why, path: w.deadLetterPath }, 'webhook dead letters lost'),
    },
    (letter) => JSON.stringify(letter) + '\n',
  );
  const sink = new WebhookSink({
    targets: w.targets.map((t) => ({ ...t, secret: webhookSecret(t.name) })),
    maxAttempts: w.maxAttempts,
    initialBackoffMs: w.initialBackoffMs,
    maxBackoffMs: w.maxBackoffMs,
    timeoutMs: w.timeoutMs,
    maxQueuedEvents: w.maxQueuedEvents,
    deadLetters: letters,
    requests: metrics.webhookRequests,
    deadLettered: metrics.webhookDeadLetters,
    logger,
  });
  return { sink, letters };
}

/**
 * When keys (and their open episodes) move between instances, each instance's board, feed and
 * curves show the open episodes it holds (docs/scaling.md).
 */
function handoverTo(views: Views, curves: EpisodeCurves): EpisodeHandover {
  return {
    retract: (keys) => {
      views.board.retract(keys);
      views.hub.retract(keys);
      curves.retract(keys);
    },
    inherit: (events) => {
      views.board.inherit(events);
      views.hub.inherit(events);
    },
  };
}

/** Keyed state on the changelog topic (docs/state.md), when the source is Kafka and state is on. */
function buildState(config: Config, kafka: Kafka | undefined, engine: DetectionEngine, handover: EpisodeHandover, metrics: Metrics, logger: Logger): ChangelogStore | undefined {
  if (kafka === undefined || !config.state.enabled) return undefined;
  return new ChangelogStore({
    kafka,
    engine,
    config: config.state,
    groupId: config.kafka.groupId,
    mentionsTopic: config.kafka.mentionsTopic,
    createTopics: config.kafka.createTopics,
    replicationFactor: config.kafka.replicationFactor,
    logger,
    metrics: new StateMetrics(metrics.registry),
    handover,
  });
}

/** One builder per source kind. */
const inputs: Record<SourceKind, (config: Config, parts: { kafka: Kafka | undefined; state: PartitionStateHooks | undefined; metrics: Metrics; logger: Logger }) => Input> = {
  simulator(config, { metrics, logger }) {
    const { speedup, ...simulatorConfig } = config.simulator;
    // loadConfig({ service: true }) has checked the simulator's own rules.
    const simulator = createSimulator(simulatorConfig as SimulatorConfigInput);
    const source = new SimulatorSource(simulator, {
      speedup,
      batchIntervalMs: config.source.batchIntervalMs,
      maxBatchRecords: config.source.maxBatchRecords,
      onBatchError: onBatchError(metrics, logger),
    });
    const incidents = simulator.scheduledIncidents().map((i) => ({
      kind: i.kind,
      key: i.key,
      startsAt: new Date(i.startMs).toISOString(),
      startsInWallSeconds: Math.round((i.startMs - simulator.config.startMs) / speedup / 1000),
    }));
    return {
      source,
      liveTimestamps: true,
      describe: { speedup, seed: simulator.config.seed, brands: simulator.config.brands.length, startsAt: new Date(simulator.config.startMs).toISOString(), incidents },
    };
  },
  file(config, { metrics, logger }) {
    const source = new FileSource({
      path: config.file.path,
      pace: config.file.pace,
      speedup: config.file.speedup,
      batchIntervalMs: config.source.batchIntervalMs,
      maxBatchRecords: config.source.maxBatchRecords,
      maxLineBytes: config.input.maxBytes,
      onBatchError: onBatchError(metrics, logger),
      onReadError: (error) => {
        metrics.error('receiving', 'unexpected_exception');
        logger.error({ err: error, path: config.file.path }, 'cannot read the mention file; source stopped');
      },
      onEnd: (lines) => logger.info({ lines, path: config.file.path }, 'end of the mention file; event time keeps running'),
    });
    return { source, liveTimestamps: false, describe: { path: config.file.path, pace: config.file.pace, speedup: config.file.speedup } };
  },
  kafka(config, { kafka, state, metrics, logger }) {
    const source = new KafkaMentionSource({
      kafka: kafka!,
      config: config.kafka,
      logger,
      metrics: new KafkaMetrics(metrics.registry),
      onBatchError: onBatchError(metrics, logger),
      ...(state !== undefined ? { state } : {}),
    });
    // clock 'records' replays history: timestamps are not checked against the wall clock.
    return { source, liveTimestamps: config.kafka.clock === 'wall', describe: describeConnection(config.kafka) };
  },
};

/** Feedback is read back in the background, retried: it must not hold up detection (POST /feedback answers 503 meanwhile). */
function startFeedback(log: FeedbackLog, metrics: Metrics, logger: Logger): FeedbackStore {
  const store = new FeedbackStore(metrics.feedback);
  const attempt = (n: number): void => {
    log.start((record) => store.apply(record)).then(
      () => logger.info({ log: log.name, summary: store.summary() }, 'feedback log open: kept verdicts are counted (from the topic: as they are read back)'),
      (error: unknown) => {
        const waitMs = backoffMs(n, 1000, 30_000);
        logger.warn({ err: error, log: log.name, retryInMs: waitMs }, 'cannot read the feedback back; retrying');
        setTimeout(() => attempt(n + 1), waitMs).unref();
      },
    );
  };
  attempt(0);
  return store;
}

/** Gauges read at scrape time. */
function observeService(config: Config, metrics: Metrics, parts: { engine: DetectionEngine; views: Views; source: MentionSource }): void {
  const { engine, views, source } = parts;
  const allowed = new Set(config.metrics.keyAllowList);
  metrics.observe({
    keysTracked: () => engine.stats().keysTracked,
    keysEvicted: () => {
      const s = engine.stats();
      return { idle: s.keysEvicted, limit: s.keysEvictedForRoom };
    },
    mentionsUnread: () => engine.stats().unread,
    activeEpisodes: () => views.board.activeByLevel(),
    activeEpisodeLevelByKey: () => views.board.activeLevelByKey(allowed),
    eventTimeMs: () => source.now(),
    sourceReady: () => source.isReady(),
    wsClients: () => views.hub.size,
    expectedMentionsPerSecond: () => engine.expectedRatePerMs(source.now()) * 1000,
    keyWindowRate: (key) => {
      const rate = engine.windowRate(key);
      return rate && { observedPerSecond: rate.observedPerMs * 1000, usualPerSecond: rate.usualPerMs * 1000 };
    },
  });
}

async function buildServer(config: Config, parts: { registry: Registry; metrics: Metrics; logger: Logger; views: Views; core: Core; service: StormwatchService; feedback: { store: FeedbackStore; log: FeedbackLog } }) {
  const { registry, metrics, logger, views, core, service, feedback } = parts;
  const access = accessPolicy({
    boundHost: config.server.host,
    interfaceAddresses: Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
    allowedHosts: config.server.allowedHosts,
    allowedOrigins: config.server.allowedOrigins,
  });
  // Counted every time; logged per reason at most once a minute (a hostile page can retry in a loop).
  const refusals = new ReasonReporter(logger, 'request refused (403): Host not in server.allowedHosts, or Origin not in server.allowedOrigins');
  const onRefused = (reason: AccessRefusal, value: string): void => {
    metrics.httpRefused.inc({ reason });
    refusals.report(reason, { value: value.slice(0, 256) });
  };
  return buildApp({
    feed: views.hub,
    board: views.board,
    registry,
    logger,
    readiness: () => service.readiness(),
    access,
    onRefused,
    acknowledge: (latest, request) => service.acknowledge(latest, request),
    feedback,
    curve: (episodeId) => core.curves.curve(episodeId),
    recentEvents: (limit) => views.hub.recentEvents(limit),
  });
}

interface Running {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  service: StormwatchService;
  engine: DetectionEngine;
  closeAfterService: readonly { close(): Promise<void> }[];
  app: { close(): Promise<void> };
}

/** SIGTERM/SIGINT stop once, in order, within a deadline (a second signal exits at once); SIGHUP reloads the policies. */
function handleSignals(running: Running): void {
  const { config, logger, metrics, service } = running;
  let shuttingDown = false;
  const shutdown = (reason: string, code: number): void => {
    if (shuttingDown) {
      logger.warn({ reason }, 'second signal: exiting now');
      logger.flush();
      process.exit(code === 0 ? 130 : code);
    }
    shuttingDown = true;
    logger.info({ reason, deadlineMs: config.shutdown.deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: config.shutdown.deadlineMs }, 'shutdown deadline passed; exiting');
      logger.flush();
      process.exit(1);
    }, config.shutdown.deadlineMs);
    deadline.unref();
    void (async () => {
      await service.stop(); // source (final checkpoint and commit), final flush, sinks (closes websocket clients), dead letters
      for (const part of running.closeAfterService) await part.close();
      try {
        await running.app.close();
      } catch (error) {
        logger.error({ err: error }, 'closing the server failed');
      }
      logger.info({ mentions: running.engine.stats().accepted }, 'stopped');
      logger.flush();
      process.exit(code);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  // SIGHUP: the per-brand policies (presets, overrides, expected events) are read again from the
  // environment and STORMWATCH_CONFIG; the rest of the configuration needs a restart.
  process.on('SIGHUP', () => {
    try {
      const next = loadConfig();
      service.setPolicies(next.policies);
      logger.info({ preset: next.policies.preset, rules: next.policies.keys.length, expected: next.policies.expected.length }, 'policies reloaded (SIGHUP)');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      logger.error({ problems: error.problems }, 'SIGHUP: the new configuration is invalid; the policies in force are kept');
    }
  });
  process.on('unhandledRejection', (error) => {
    metrics.error('processing', 'unexpected_exception');
    logger.error({ err: error }, 'unhandled rejection (service continues)');
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; shutting down');
    shutdown('uncaughtException', 1);
  });
}

/** Listens, or exits with one line: port taken, address not on this machine, name that does not resolve are the operator's to fix. */
async function listenOrExit(app: Awaited<ReturnType<typeof buildApp>>, config: Config, service: StormwatchService, logger: Logger): Promise<{ url: string; port: number }> {
  try {
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    const { code, message } = error as Error & { code?: string };
    logger.fatal({ host: config.server.host, port: config.server.port, code }, `cannot listen on ${config.server.host}:${config.server.port}: ${message}`);
    await service.stop();
    logger.flush();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  return { url: `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`, port };
}

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`stormwatch: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config);
  const registry = new Registry();
  const metrics = new Metrics(registry, { keyAllowList: config.metrics.keyAllowList });
  const views = buildViews(config, metrics, logger);
  const kind = resolveSourceKind(config);
  // Checked by loadConfig({ service: true }): TLS files readable, SASL password present.
  const kafka = kind === 'kafka' ? createKafkaClient(connectionOptions(config.kafka), logger) : undefined;
  const outputs = await buildOutputs(config, kafka, views, metrics, logger);
  const wallNowMs = Date.now;
  const core = createCore(config, { sinks: outputs.sinks, deadLetters: outputs.deadLetters, metrics, logger, wallNowMs });
  const state = buildState(config, kafka, core.engine, handoverTo(views, core.curves), metrics, logger);
  const input = inputs[kind](config, { kafka, state, metrics, logger });
  const listeners = recordListeners({ publisher: core.publisher, metrics, state, allowList: new Set(config.metrics.keyAllowList) });
  const pipeline = new MentionPipeline<RawRecord>(config, core.engine, listeners);
  const service = new StormwatchService(config, { ...core, pipeline, source: input.source, liveTimestamps: input.liveTimestamps, sinks: outputs.sinks, deadLetters: outputs.deadLetters, metrics, logger, wallNowMs, state });
  observeService(config, metrics, { engine: core.engine, views, source: input.source });
  const feedback = { store: startFeedback(outputs.feedback, metrics, logger), log: outputs.feedback };
  const app = await buildServer(config, { registry, metrics, logger, views, core, service, feedback });
  const closeAfterService = [state, outputs.webhookLetters, outputs.feedback].filter((part) => part !== undefined);
  handleSignals({ config, logger, metrics, service, engine: core.engine, closeAfterService, app });
  const { url, port } = await listenOrExit(app, config, service, logger);
  await service.start();
  logger.info({ url, port, source: kind, webhooks: config.webhooks.targets.map((t) => t.name), ...input.describe }, `stormwatch listening on ${url} (websocket ${url.replace('http', 'ws')}/ws)`);
}

await main();
