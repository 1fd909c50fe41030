import { networkInterfaces } from 'node:os';
import { Registry } from 'prom-client';
import { ConfigError, loadConfig, resolveSourceKind, webhookSecret, type Config, type SourceKind } from './config.js';
import { createLogger, ReasonReporter, type Logger } from './logging.js';
import { Metrics } from './metrics.js';
import { buildApp } from './server/app.js';
import { FeedHub } from './server/feed-hub.js';
import { observeFeed } from './server/feed-observer.js';
import { accessPolicy, type AccessRefusal } from './server/protocol/access.js';
import { createService } from './service.js';
import { BoundedNdjsonFile, DeadLetterFileSink } from './sinks/dead-letter-file.js';
import { WebhookSink, type WebhookDeadLetter } from './sinks/webhook/webhook-sink.js';
import { FileFeedbackLog } from './feedback/file-log.js';
import { KafkaFeedbackLog } from './feedback/kafka-log.js';
import { FeedbackStore, type FeedbackLog } from './feedback/store.js';
import { EpisodeBoard } from './sinks/episode-board.js';
import { FeedSink } from './sinks/feed-sink.js';
import { FileSource } from './sources/file-source.js';
import { createSimulator, type SimulatorConfigInput } from './sources/simulator/index.js';
import { SimulatorSource } from './sources/simulator-source.js';
import type { MentionSource } from './sources/types.js';
import type { DeadLetterSink, EventSink } from './sinks/types.js';
import { createKafkaClient } from './kafka/client.js';
import { KafkaMetrics } from './kafka/metrics.js';
import { backoffMs, connectionOptions, describeConnection } from './kafka/options.js';
import { KafkaMentionSource } from './sources/kafka-source.js';
import { KafkaAlertSink } from './sinks/kafka-alert-sink.js';
import { KafkaDeadLetterSink } from './sinks/kafka-dead-letter-sink.js';
import { ChangelogStore, type EpisodeHandover } from './state/changelog.js';
import { StateMetrics } from './state/metrics.js';

/**
 * Composition root: config → logger, metrics → source → service (pipeline, sinks) → server;
 * signals. Everything is built here and nowhere else; only here is listen() called.
 */

interface SourceContext {
  logger: Logger;
  metrics: Metrics;
  /** The board and the feed, told when keys (and their open episodes) move between instances. */
  handover: EpisodeHandover;
}
interface BuiltSource {
  source: MentionSource;
  /** Check timestamps against the source's clock (live sources). */
  liveTimestamps: boolean;
  describe: Record<string, unknown>;
  /** Sinks the source brings along (Kafka: the alert topic), after the board and the feed. */
  sinks?: EventSink[];
  /** Dead letters the source brings along (Kafka: the dead-letter topic) instead of the file. */
  deadLetters?: DeadLetterSink;
  /** Keyed state the source brings along (Kafka: the changelog topic, docs/state.md). */
  state?: ChangelogStore;
  /** Where feedback is kept (Kafka: the feedback topic) instead of the file. */
  feedback?: FeedbackLog;
}
type SourceFactory = (config: Config, context: SourceContext) => BuiltSource;

function onBatchError(context: SourceContext) {
  return (error: Error, records: number): void => {
    context.metrics.error('receiving', 'batch_retry');
    context.logger.error({ err: error, records }, 'batch not acknowledged; retrying');
  };
}

/** One factory per source kind; the Kafka adapter plugs in here. */
const sourceFactories: Record<SourceKind, SourceFactory> = {
  simulator(config, context) {
    const { speedup, ...simulatorConfig } = config.simulator;
    // loadConfig({ service: true }) has checked the simulator's own rules.
    const simulator = createSimulator(simulatorConfig as SimulatorConfigInput);
    const source = new SimulatorSource(simulator, {
      speedup,
      batchIntervalMs: config.source.batchIntervalMs,
      maxBatchRecords: config.source.maxBatchRecords,
      onBatchError: onBatchError(context),
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
  file(config, context) {
    const source = new FileSource({
      path: config.file.path,
      pace: config.file.pace,
      speedup: config.file.speedup,
      batchIntervalMs: config.source.batchIntervalMs,
      maxBatchRecords: config.source.maxBatchRecords,
      maxLineBytes: config.input.maxBytes,
      onBatchError: onBatchError(context),
      onReadError: (error) => {
        context.metrics.error('receiving', 'unexpected_exception');
        context.logger.error({ err: error, path: config.file.path }, 'cannot read the mention file; source stopped');
      },
      onEnd: (lines) => context.logger.info({ lines, path: config.file.path }, 'end of the mention file; event time keeps running'),
    });
    return { source, liveTimestamps: false, describe: { path: config.file.path, pace: config.file.pace, speedup: config.file.speedup } };
  },
  kafka(config, context) {
    // Checked by loadConfig({ service: true }): TLS files readable, SASL password present.
    const kafka = createKafkaClient(connectionOptions(config.kafka), context.logger);
    const state = config.state.enabled
      ? new ChangelogStore({
          kafka,
          config: config.state,
          groupId: config.kafka.groupId,
          mentionsTopic: config.kafka.mentionsTopic,
          createTopics: config.kafka.createTopics,
          replicationFactor: config.kafka.replicationFactor,
          logger: context.logger,
          metrics: new StateMetrics(context.metrics.registry),
          handover: context.handover,
        })
      : undefined;
    const source = new KafkaMentionSource({
      kafka,
      config: config.kafka,
      logger: context.logger,
      metrics: new KafkaMetrics(context.metrics.registry),
      onBatchError: onBatchError(context),
      ...(state !== undefined ? { state } : {}),
    });
    const alerts = new KafkaAlertSink({ kafka, config: config.kafka, logger: context.logger });
    alerts.start();
    return {
      source,
      // clock 'records' replays history: timestamps are not checked against the wall clock.
      liveTimestamps: config.kafka.clock === 'wall',
      describe: describeConnection(config.kafka),
      sinks: [alerts],
      deadLetters: new KafkaDeadLetterSink({ kafka, config: config.kafka, logger: context.logger }),
      feedback: new KafkaFeedbackLog({ kafka, config: config.kafka, logger: context.logger }),
      ...(state !== undefined ? { state } : {}),
    };
  },
};

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

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`stormwatch: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ service: true });
  } catch (error) {
    fail(error);
  }
  const logger = createLogger(config);
  const registry = new Registry();
  const metrics = new Metrics(registry, { keyAllowList: config.metrics.keyAllowList });
  const hub = new FeedHub(config.feed);
  observeFeed(hub, metrics, logger);
  const board = new EpisodeBoard(config.feed.recentEpisodes);
  const handover: EpisodeHandover = {
    retract: (keys) => {
      board.retract(keys);
      hub.retract(keys);
      service.curves.retract(keys);
    },
    inherit: (events) => {
      board.inherit(events);
      hub.inherit(events);
    },
  };
  const context: SourceContext = { logger, metrics, handover };

  const kind = resolveSourceKind(config);
  const built = sourceFactories[kind](config, context);

  let deadLetters: DeadLetterSink;
  if (built.deadLetters !== undefined) deadLetters = built.deadLetters;
  else {
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
    deadLetters = file;
  }

  const webhooks = buildWebhooks(config, logger, metrics);
  const feedbackLog = built.feedback ?? new FileFeedbackLog({ path: config.feedback.path, maxBytes: config.feedback.maxBytes, logger });
  const feedbackStore = new FeedbackStore(metrics.feedback);
  // In the background, retried: feedback must not hold up detection (POST /feedback answers 503 meanwhile).
  const startFeedback = (attempt: number): void => {
    feedbackLog.start((record) => feedbackStore.apply(record)).then(
      () => logger.info({ log: feedbackLog.name, summary: feedbackStore.summary() }, 'feedback log open: kept verdicts are counted (from the topic: as they are read back)'),
      (error: unknown) => {
        const waitMs = backoffMs(attempt, 1000, 30_000);
        logger.warn({ err: error, log: feedbackLog.name, retryInMs: waitMs }, 'cannot read the feedback back; retrying');
        setTimeout(() => startFeedback(attempt + 1), waitMs).unref();
      },
    );
  };
  startFeedback(0);
  const service = createService(config, {
    source: built.source,
    sinks: [board, new FeedSink(hub), ...(built.sinks ?? []), ...(webhooks !== undefined ? [webhooks.sink] : [])],
    deadLetters,
    metrics,
    logger,
    liveTimestamps: built.liveTimestamps,
    ...(built.state !== undefined ? { state: built.state } : {}),
  });
  const allowed = new Set(config.metrics.keyAllowList);
  metrics.observe({
    keysTracked: () => service.pipeline.engine.stats().keysTracked,
    keysEvicted: () => {
      const s = service.pipeline.engine.stats();
      return { idle: s.keysEvicted, limit: s.keysEvictedForRoom };
    },
    activeEpisodes: () => board.activeByLevel(),
    activeEpisodeLevelByKey: () => board.activeLevelByKey(allowed),
    eventTimeMs: () => built.source.now(),
    sourceReady: () => built.source.isReady(),
    wsClients: () => hub.size,
    expectedMentionsPerSecond: () => service.pipeline.engine.expectedRatePerMs(built.source.now()) * 1000,
    keyWindowRate: (key) => {
      const rate = service.pipeline.engine.windowRate(key);
      return rate && { observedPerSecond: rate.observedPerMs * 1000, usualPerSecond: rate.usualPerMs * 1000 };
    },
  });

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
  const app = await buildApp({ feed: hub, board, registry, logger, readiness: () => service.readiness(), access, onRefused, acknowledge: (latest, request) => service.acknowledge(latest, request), feedback: { store: feedbackStore, log: feedbackLog }, curve: (episodeId) => service.curves.curve(episodeId), recentEvents: (limit) => hub.recentEvents(limit) });

  // Shutdown: once, in order, within a deadline; a second signal exits at once.
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
      await built.state?.close();
      await webhooks?.letters.close();
      await feedbackLog.close();
      try {
        await app.close();
      } catch (error) {
        logger.error({ err: error }, 'closing the server failed');
      }
      logger.info({ mentions: service.pipeline.engine.stats().accepted }, 'stopped');
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

  try {
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    // Port taken, address not on this machine, name that does not resolve: the operator's to fix, no stack trace.
    const { code, message } = error as Error & { code?: string };
    logger.fatal({ host: config.server.host, port: config.server.port, code }, `cannot listen on ${config.server.host}:${config.server.port}: ${message}`);
    await service.stop();
    logger.flush();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
  await service.start();
  logger.info({ url, port, source: kind, webhooks: config.webhooks.targets.map((t) => t.name), ...built.describe }, `stormwatch listening on ${url} (websocket ${url.replace('http', 'ws')}/ws)`);
}

await main();
