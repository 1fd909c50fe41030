// Helpers for integration tests against a real Kafka broker: the local one from scripts/kafka.sh
// (started by scripts/run-tests.mjs) or any broker named in STORMWATCH_TEST_BROKERS.
// Every test isolates itself with uniqueName() topics and groups and disconnects in t.after.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import type { Admin, IHeaders, ITopicConfig, Kafka as KafkaClient, KafkaConfig, Producer } from 'kafkajs';

import { classificationEventErrors, type ClassificationEvent } from '../../src/events/classification.js';
import type { EventSink } from '../../src/ports.js';
import { waitFor } from './until.js';

const { Kafka, logLevel, Partitioners } = kafkajs;
const execFileAsync = promisify(execFile);

/** The brokers under test, from STORMWATCH_TEST_BROKERS (comma-separated host:port). */
export function brokers(): string[] {
  const raw = process.env.STORMWATCH_TEST_BROKERS;
  if (!raw || raw.trim() === '') {
    throw new Error(
      'STORMWATCH_TEST_BROKERS is not set: run integration tests with `node scripts/run-tests.mjs integration` ' +
        '(it starts the local broker), or start one with `bash scripts/kafka.sh start` and export ' +
        'STORMWATCH_TEST_BROKERS=127.0.0.1:19092',
    );
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

let nameCounter = 0;
/** A topic / group / client name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  nameCounter += 1;
  return `${prefix}-${randomUUID()}-${nameCounter}`;
}

function clientLogLevel(): number {
  switch ((process.env.STORMWATCH_TEST_KAFKA_LOGLEVEL ?? '').toLowerCase()) {
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    case 'debug':
      return logLevel.DEBUG;
    default:
      return logLevel.NOTHING;
  }
}

/**
 * A kafkajs client for the brokers under test. Quiet by default; set
 * STORMWATCH_TEST_KAFKA_LOGLEVEL=error|warn|info|debug to see its logs.
 */
export function createKafka(overrides: Partial<KafkaConfig> = {}): KafkaClient {
  return new Kafka({
    clientId: uniqueName('stormwatch-test'),
    brokers: brokers(),
    logLevel: clientLogLevel(),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}

/** A producer with kafkajs's current default partitioner chosen explicitly (no v2 warning). */
export function createProducer(kafka: KafkaClient = createKafka()): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
}

/** Runs fn with a connected admin client, always disconnecting it. */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>, kafka: KafkaClient = createKafka()): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export type TopicConfigEntries = Record<string, string> | ReadonlyArray<{ name: string; value: string }>;

/** Creates a topic (replication factor 1) and waits until every partition has a leader. */
export async function createTopic(name: string, partitions = 1, configEntries?: TopicConfigEntries): Promise<string> {
  const entries = configEntries === undefined
    ? []
    : Array.isArray(configEntries)
      ? [...(configEntries as ReadonlyArray<{ name: string; value: string }>)]
      : Object.entries(configEntries as Record<string, string>).map(([k, v]) => ({ name: k, value: v }));
  const topic: ITopicConfig = { topic: name, numPartitions: partitions, replicationFactor: 1, configEntries: entries };
  await withAdmin(async (admin) => {
    const created = await admin.createTopics({ topics: [topic], waitForLeaders: true, timeout: 10000 });
    if (!created) throw new Error(`createTopic: topic ${name} already exists`);
  });
  return name;
}

export interface JsonRecord {
  key?: string | null;
  value: unknown;
  partition?: number;
  headers?: IHeaders;
  timestamp?: string;
}

/** Produces records as JSON values (acks from all in-sync replicas), in batches of 500. */
export async function produceJson(topic: string, records: ReadonlyArray<JsonRecord>, kafka: KafkaClient = createKafka()): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      const messages = records.slice(i, i + 500).map((r) => ({
        key: r.key ?? null,
        value: JSON.stringify(r.value),
        ...(r.partition !== undefined ? { partition: r.partition } : {}),
        ...(r.headers !== undefined ? { headers: r.headers } : {}),
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
      }));
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The value as text (null for a tombstone). */
  value: string | null;
  /** The value parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  headers: Record<string, string>;
  timestamp: string;
}

export interface ConsumeOptions {
  groupId?: string;
  fromBeginning?: boolean;
  kafka?: KafkaClient;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads topic with an independent consumer in a fresh group (from the beginning, nothing committed)
 * until predicate(all records so far) is true; rejects after timeoutMs with what it had read.
 */
export async function consumeUntil(
  topic: string,
  predicate: (records: ReadonlyArray<ConsumedRecord>) => boolean,
  timeoutMs: number,
  options: ConsumeOptions = {},
): Promise<ConsumedRecord[]> {
  const kafka = options.kafka ?? createKafka();
  const consumer = kafka.consumer({
    groupId: options.groupId ?? uniqueName('test-reader'),
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 200,
  });
  const records: ConsumedRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
    return await new Promise<ConsumedRecord[]>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(records);
      };
      timer = setTimeout(() => {
        const last = records.slice(-3).map((r) => `${r.partition}@${r.offset}: ${r.value ?? 'null'}`);
        finish(new Error(`consumeUntil(${topic}): predicate not met within ${timeoutMs} ms after ${records.length} records (last: ${last.join(' | ')})`));
      }, timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) finish(event.payload.error);
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic: t, partition, message }) => {
            if (settled) return;
            const value = message.value === null ? null : message.value.toString('utf8');
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) {
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
            }
            records.push({
              topic: t,
              partition,
              offset: message.offset,
              key: message.key === null ? null : message.key.toString('utf8'),
              value,
              json: parseJson(value),
              headers,
              timestamp: message.timestamp,
            });
            if (predicate(records)) finish();
          },
        })
        .catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    });
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect();
  }
}

/** The repository root (the folder holding scripts/kafka.sh), found from this file's location. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'kafka.sh'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('repoRoot: scripts/kafka.sh not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** True when the brokers under test are the local broker that scripts/kafka.sh controls. */
export function localBrokerControllable(): boolean {
  const list = process.env.STORMWATCH_TEST_BROKERS?.split(',').map((s) => s.trim()) ?? [];
  const port = process.env.STORMWATCH_KAFKA_PORT ?? '19092';
  return list.length === 1 && (list[0] === `127.0.0.1:${port}` || list[0] === `localhost:${port}`);
}

async function kafkaScript(command: 'start' | 'stop' | 'status'): Promise<string> {
  if (!localBrokerControllable()) {
    throw new Error(`kafka.sh ${command}: STORMWATCH_TEST_BROKERS (${process.env.STORMWATCH_TEST_BROKERS ?? 'unset'}) is not the local scripts/kafka.sh broker`);
  }
  const root = repoRoot();
  try {
    const { stdout, stderr } = await execFileAsync('bash', [join(root, 'scripts', 'kafka.sh'), command], {
      cwd: root,
      env: process.env,
      timeout: 180_000,
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message?: string };
    throw new Error(`scripts/kafka.sh ${command} failed: ${e.message ?? ''}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Stops the local broker (data kept); for broker-outage tests. Resolves when the process has exited. */
export function stopBroker(): Promise<string> {
  return kafkaScript('stop');
}

/** Starts the local broker again with the same data; resolves once clients can fetch metadata. */
export function startBroker(): Promise<string> {
  return kafkaScript('start');
}

// ---------------------------------------------------------------------------------------------
// Kafka adapter tests (tests/integration/kafka-*.test.ts): raw records, the storm stream, metrics.

export interface RawProduceRecord {
  key?: string | Buffer | null;
  /** Bytes as they go on the wire (a string is sent as UTF-8); null is a tombstone. */
  value: string | Buffer | null;
  headers?: IHeaders;
  timestamp?: string;
}

/** Produces records as they are (invalid JSON, invalid UTF-8, null values), acks from all replicas. */
export async function produceRaw(topic: string, records: ReadonlyArray<RawProduceRecord>, kafka: KafkaClient = createKafka()): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        key: r.key ?? null,
        value: r.value,
        ...(r.headers !== undefined ? { headers: r.headers } : {}),
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * The start of the storm scenario's stream (tests/scenarios/storm.json): 06:00 UTC like the
 * scenario (same daily rhythm), on the latest day whose `hours` of mentions end before now, so
 * live-mode timestamp checks and the topic's 7-day retention accept them.
 */
export function stormStartMs(hours: number, nowMs = Date.now()): number {
  const day = 86_400_000;
  let start = Math.floor(nowMs / day) * day + 6 * 3_600_000;
  while (start + hours * 3_600_000 + 5 * 60_000 > nowMs) start -= day;
  return start;
}

/** The brand key of the storm and of the quiet brand beside it (tests/scenarios/storm.json). */
export const STORM_KEY = 'acme-air';
export const QUIET_KEY = 'quiet-co';
export const STORM_OFFSET_MS = 6 * 3_600_000;
export const STORM_DURATION_MS = 90 * 60_000;

/** tests/scenarios/storm.json's simulator config, started at `startMs`. */
export function stormSimulatorConfig(startMs: number, hours: number) {
  return {
    seed: 7,
    startMs,
    endMs: startMs + hours * 3_600_000,
    brands: [
      { key: STORM_KEY, baseRatePerMinute: 30, sector: 'airline' as const },
      { key: QUIET_KEY, baseRatePerMinute: 8 },
    ],
    incidents: [{ kind: 'storm' as const, key: STORM_KEY, startOffsetMs: STORM_OFFSET_MS, durationMs: STORM_DURATION_MS, intensity: 0.5, topic: 'flights_cancelled' }],
  };
}

/** A mention as a record of the mentions topic: keyed by brand, record timestamp = mention time. */
export function mentionRecord(mention: { key: string; ts: string | number }): JsonRecord {
  const tsMs = typeof mention.ts === 'number' ? mention.ts : Date.parse(mention.ts);
  return { key: mention.key, value: mention, timestamp: String(tsMs) };
}

/** The value of one series of a Prometheus text exposition (summed over series matching `labels`). */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (m === null || m[1] !== name) continue;
    const series: Record<string, string> = {};
    for (const pair of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) series[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) {
      sum += Number(m[4]);
      found = true;
    }
  }
  return found ? sum : Number.NaN;
}

/** End offsets and the group's committed offsets of a topic, per partition. */
export async function groupProgress(topic: string, groupId: string): Promise<{ end: number; committed: number; partitions: Array<{ partition: number; end: number; committed: number }> }> {
  return withAdmin(async (admin) => {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    const partitions = ends.map((e) => ({ partition: e.partition, end: Number(e.high), committed: byPartition.get(e.partition) ?? 0 }));
    return {
      end: partitions.reduce((s, p) => s + p.end, 0),
      committed: partitions.reduce((s, p) => s + p.committed, 0),
      partitions,
    };
  });
}

export interface InProcessService {
  service: import('../../src/service.js').StormwatchService;
  source: import('../../src/sources/kafka-source.js').KafkaMentionSource;
  alerts: import('../../src/sinks/kafka-alert-sink.js').KafkaAlertSink;
  deadLetters: import('../../src/sinks/kafka-dead-letter-sink.js').KafkaDeadLetterSink;
  metrics: import('../../src/metrics/metrics.js').Metrics;
  /** The Prometheus exposition of the service's registry. */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The service wired as main.ts wires it for Kafka (source, alert sink, dead-letter sink), in this
 * process, on the brokers under test. Logs go to stderr at STORMWATCH_TEST_LOG_LEVEL (default silent).
 */
export async function startInProcessService(kafkaOverrides: Record<string, unknown>, overrides: Record<string, unknown> = {}): Promise<InProcessService> {
  const [{ loadConfig }, { createLogger }, { Metrics }, { createService }, { createKafkaClient }, { KafkaMetrics }, { connectionOptions }, { KafkaMentionSource }, { KafkaAlertSink }, { KafkaDeadLetterSink }, { Registry }, { pino }] =
    await Promise.all([
      import('../../src/config/load.js'),
      import('../../src/logging.js'),
      import('../../src/metrics/metrics.js'),
      import('../../src/service.js'),
      import('../../src/kafka/client.js'),
      import('../../src/kafka/metrics.js'),
      import('../../src/config/kafka.js'),
      import('../../src/sources/kafka-source.js'),
      import('../../src/sinks/kafka-alert-sink.js'),
      import('../../src/sinks/kafka-dead-letter-sink.js'),
      import('prom-client'),
      import('pino'),
    ]);
  const level = process.env.STORMWATCH_TEST_LOG_LEVEL ?? 'silent';
  const config = loadConfig({
    env: {},
    overrides: { ...overrides, log: { level }, kafka: { brokers: brokers(), clientId: uniqueName('stormwatch'), feedbackTopic: uniqueName('feedback'), ...kafkaOverrides } },
  });
  const logger = createLogger(config, pino.destination(2));
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false });
  const kafka = createKafkaClient(connectionOptions(config.kafka), logger);
  const source = new KafkaMentionSource({ kafka, config: config.kafka, logger, metrics: new KafkaMetrics(registry) });
  const alerts = new KafkaAlertSink({ kafka, config: config.kafka, logger });
  alerts.start();
  const deadLetters = new KafkaDeadLetterSink({ kafka, config: config.kafka, logger });
  // Every event the service publishes is checked against the schema; stop() fails on the first that breaks it.
  const broken: string[] = [];
  const schemaCheck: EventSink = {
    name: 'schema-check',
    publish: async (events: readonly ClassificationEvent[]) => {
      for (const e of events) for (const problem of classificationEventErrors(e)) broken.push(`${e.type} ${e.id}: ${problem}`);
    },
    isReady: () => true,
    close: async () => undefined,
  };
  const service = createService(config, { source, sinks: [alerts, schemaCheck], deadLetters, metrics, logger, liveTimestamps: config.kafka.clock === 'wall' });
  await service.start();
  const stop = async (): Promise<void> => {
    await service.stop();
    assert.deepEqual(broken, [], 'published events break ClassificationEventSchema');
  };
  return { service, source, alerts, deadLetters, metrics, scrape: () => registry.metrics(), stop };
}

/** Resolves once `topic` exists (for topics the service under test creates). */
export function waitForTopic(topic: string, timeoutMs = 30_000): Promise<true> {
  return waitFor(`topic ${topic}`, () => withAdmin(async (admin) => ((await admin.listTopics()).includes(topic) ? true : undefined)), timeoutMs, 300);
}

export interface ServiceProcess {
  proc: import('./processes.js').NodeProcess;
  url: string;
  scrape(): Promise<string>;
  /** HTTP status of /readyz (0 when the request fails). */
  readyz(): Promise<number>;
}

/**
 * Starts the real service (dist/src/main.js) on the brokers under test with Kafka settings from
 * `env` (STORMWATCH_KAFKA_*), on a free port; resolves once it listens. Kill it in t.after.
 */
/** One test's own topics and group, and the environment that points a service process at them. */
export interface ServiceTopics {
  readonly mentionsTopic: string;
  readonly alertsTopic: string;
  readonly deadLettersTopic: string;
  readonly groupId: string;
  readonly env: Record<string, string>;
}

/**
 * Creates a unique mentions topic with `partitions` partitions and names the alert and
 * dead-letter topics and the group. The environment keeps sessions short: a killed member
 * holds its partitions until its session expires.
 */
export async function serviceTopics(partitions: number): Promise<ServiceTopics> {
  const mentionsTopic = await createTopic(uniqueName('mentions'), partitions);
  const alertsTopic = uniqueName('alerts');
  const deadLettersTopic = uniqueName('dead-letters');
  const groupId = uniqueName('group');
  return {
    mentionsTopic,
    alertsTopic,
    deadLettersTopic,
    groupId,
    env: {
      STORMWATCH_KAFKA_MENTIONS_TOPIC: mentionsTopic,
      STORMWATCH_KAFKA_ALERTS_TOPIC: alertsTopic,
      STORMWATCH_KAFKA_DEAD_LETTERS_TOPIC: deadLettersTopic,
      STORMWATCH_KAFKA_FEEDBACK_TOPIC: uniqueName('feedback'),
      STORMWATCH_KAFKA_GROUP_ID: groupId,
      STORMWATCH_KAFKA_PARTITIONS: String(partitions),
      STORMWATCH_KAFKA_SESSION_TIMEOUT_MS: '6000',
      STORMWATCH_KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    },
  };
}

/** Starts service processes for one test and stops every one of them when the test ends. */
export function serviceProcesses(t: { after(fn: () => Promise<void>): void }): (env: Record<string, string>, timeoutMs?: number) => Promise<ServiceProcess> {
  const running: ServiceProcess[] = [];
  t.after(async () => {
    await Promise.all(running.map((s) => s.proc.kill('SIGTERM', 5000)));
  });
  return async (env, timeoutMs) => {
    const service = await startServiceProcess(env, timeoutMs);
    running.push(service);
    return service;
  };
}

export async function startServiceProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
  const { spawnNode } = await import('./processes.js');
  const root = repoRoot();
  const proc = spawnNode(join(root, 'dist', 'src', 'main.js'), [], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      // At least info: the "listening" line tells the URL.
      STORMWATCH_LOG_LEVEL: ['debug', 'trace'].includes(process.env.STORMWATCH_TEST_LOG_LEVEL ?? '') ? process.env.STORMWATCH_TEST_LOG_LEVEL! : 'info',
      STORMWATCH_KAFKA_BROKERS: brokers().join(','),
      STORMWATCH_KAFKA_CLIENT_ID: uniqueName('stormwatch'),
      ...env,
    },
  });
  let line: string;
  try {
    line = await proc.waitForLine(/stormwatch listening on/, timeoutMs);
  } catch (error) {
    await proc.kill('SIGKILL');
    throw error;
  }
  const url = (JSON.parse(line) as { url: string }).url;
  const get = async (path: string) => fetch(url + path, { signal: AbortSignal.timeout(5000) });
  return {
    proc,
    url,
    scrape: async () => (await get('/metrics')).text(),
    readyz: async () => {
      try {
        return (await get('/readyz')).status;
      } catch {
        return 0;
      }
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface PrivateBroker {
  brokers: string;
  /** Stops the broker and removes its state folder. */
  destroy(): Promise<void>;
}

/**
 * A broker of this test file's own (scripts/kafka.sh with its own state folder and free ports,
 * the jars shared with the local broker's), for tests that stop and start the broker: other test
 * runs in the same tree keep using theirs undisturbed. Points this process's
 * STORMWATCH_TEST_BROKERS and STORMWATCH_KAFKA_* at it, so brokers(), stopBroker() and
 * startBroker() act on it.
 */
export async function startPrivateBroker(): Promise<PrivateBroker> {
  const { mkdtempSync, mkdirSync, rmSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = repoRoot();
  const sharedLib = join(process.env.STORMWATCH_KAFKA_DIR ?? join(root, '.kafka'), 'lib');
  const dir = mkdtempSync(join(tmpdir(), 'stormwatch-kafka-'));
  if (existsSync(join(sharedLib, '.complete'))) symlinkSync(sharedLib, join(dir, 'lib'));
  else mkdirSync(join(dir, 'lib'));
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  Object.assign(process.env, {
    STORMWATCH_KAFKA_DIR: dir,
    STORMWATCH_KAFKA_PORT: String(port),
    STORMWATCH_KAFKA_CONTROLLER_PORT: String(controllerPort),
    STORMWATCH_TEST_BROKERS: `127.0.0.1:${port}`,
  });
  await kafkaScript('start');
  return {
    brokers: `127.0.0.1:${port}`,
    destroy: async () => {
      try {
        await kafkaScript('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
