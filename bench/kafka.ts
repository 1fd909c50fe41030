/**
 * Kafka benchmark, on a real broker (the local one: `bash scripts/kafka.sh start`):
 *
 *  1. Throughput. A 6-partition topic of pre-produced mentions (simulator: 10k keys, skewed
 *     popularity, storms; produced once, reused while it holds the right count). Each run reads
 *     the whole topic twice, interleaved: (a) raw kafkajs consumption (eachBatch, nothing done with
 *     the records) and (b) stormwatch consuming and processing it (KafkaMentionSource → service →
 *     pipeline → alert sink, commits per batch, state checkpoints off). Rates are measured from the
 *     first batch to the last record; prints both medians and the ratio b/a.
 *  2. Latency. A live topic under steady load (background keys, wall-clock timestamps) where
 *     storms start on some keys: produce-to-alert latency of each storm.started, measured as the
 *     wall time its record reaches a consumer of the alert topic minus the moment the bucket that
 *     triggered it could close (bucket end + allowed lateness, the first instant a mention can
 *     move the watermark past it). Detection runs with 10 s buckets so a run takes minutes.
 *
 *   node dist/bench/kafka.js [--count 2000000] [--runs 3] [--latency-storms 40] [--load 5000] [--skip-latency] [--skip-throughput] [--json FILE]
 *
 * Brokers: STORMWATCH_BENCH_BROKERS (default 127.0.0.1:19092).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import type { Admin, Message, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { median, quantileSorted } from 'simple-statistics';
import { loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { createKafkaClient } from '../src/kafka/client.js';
import { connectionOptions } from '../src/config/kafka.js';
import { createLogger } from '../src/logging.js';
import { Metrics } from '../src/metrics/metrics.js';
import { createService } from '../src/service.js';
import { KafkaAlertSink } from '../src/sinks/kafka-alert-sink.js';
import { KafkaDeadLetterSink } from '../src/sinks/kafka-dead-letter-sink.js';
import { KafkaMentionSource } from '../src/sources/kafka-source.js';
import type { MentionSource } from '../src/ports.js';
import { generateMentions, manyKeysConfig, Rng } from '../src/sources/simulator/index.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { createPipeline } from '../src/pipeline.js';
import { machineInfo } from './machine.js';

const { Kafka, logLevel, Partitioners, CompressionTypes } = kafkajs;

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000000' },
    keys: { type: 'string', default: '10000' },
    partitions: { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
    'latency-storms': { type: 'string', default: '40' },
    load: { type: 'string', default: '2000' },
    'skip-latency': { type: 'boolean', default: false },
    'skip-throughput': { type: 'boolean', default: false },
    'max-bytes-per-partition': { type: 'string', default: '1048576' },
    json: { type: 'string' },
  },
  strict: true,
});
const COUNT = Number(values.count);
const KEYS = Number(values.keys);
const PARTITIONS = Number(values.partitions);
const RUNS = Number(values.runs);
const BROKERS = (process.env.STORMWATCH_BENCH_BROKERS ?? '127.0.0.1:19092').split(',');
// Fetch size per partition for both (a) and (b); default: the service's. The topic holds 12 hours
// of event time read batch by batch, one partition at a time, so partitions run hours apart; event
// time is per key, so (b) processes every mention (the late count printed should be 0).
const MAX_BYTES_PER_PARTITION = Number(values['max-bytes-per-partition']);
// -ordered: topics of earlier versions were produced with requests in parallel, out of order per key.
const TOPIC = `stormwatch-bench-mentions-${COUNT}-${KEYS}-p${PARTITIONS}-ordered`;

const kafka = new Kafka({ clientId: 'stormwatch-bench', brokers: BROKERS, logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 30_000 });

function log(message: string): void {
  process.stderr.write(`bench/kafka: ${message}\n`);
}

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

async function recordsIn(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

/** Sends batches of 10k messages, a few requests in flight, acks 1, no compression. */
/** Produces in order, one request at a time: a key's mentions must reach its partition in the order they were made. */
async function produceAll(producer: Producer, topic: string, messages: Iterable<Message>, total: number): Promise<void> {
  let batch: Message[] = [];
  let sent = 0;
  let lastLog = performance.now();
  for (const m of messages) {
    batch.push(m);
    if (batch.length === 10_000) {
      await producer.send({ topic, messages: batch, acks: 1, compression: CompressionTypes.None });
      sent += batch.length;
      batch = [];
      if (performance.now() - lastLog > 5000) {
        log(`produced ${sent.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
        lastLog = performance.now();
      }
    }
  }
  if (batch.length > 0) await producer.send({ topic, messages: batch, acks: 1, compression: CompressionTypes.None });
}

/** The throughput topic's mentions: 12 h of the many-keys simulator, COUNT of them, keyed by brand. */
function* throughputMentions(): Generator<Message & { key: string; value: string }> {
  const spanMs = 12 * 3_600_000;
  const startMs = Date.UTC(2025, 2, 3, 6);
  const sim = manyKeysConfig({ keys: KEYS, totalRatePerMinute: COUNT / (spanMs / 60_000), spanMs, seed: 1, startMs });
  let n = 0;
  for (const m of generateMentions(sim, startMs + 2 * spanMs)) {
    yield { key: m.key, value: JSON.stringify(m) };
    if (++n >= COUNT) return;
  }
}

/**
 * (c) The engine's own replay of the same mentions, in this process: the pipeline fed the records'
 * bytes in topic order per partition (as Buffers, as kafkajs hands them over), no Kafka, no sinks.
 */
function replayRun(records: readonly Buffer[]): { perSecond: number; events: number; late: number; cpuMicrosPerRecord: number } {
  let events = 0;
  const pipeline = createPipeline(loadConfig({ env: {} }), createSentimentScorer(), { onEvent: () => void events++ });
  const cpuFirst = cpuMicros();
  const first = performance.now();
  for (const value of records) pipeline.handleRecord(value);
  pipeline.finish();
  const seconds = (performance.now() - first) / 1000;
  return { perSecond: records.length / seconds, events, late: pipeline.engine.stats().late, cpuMicrosPerRecord: (cpuMicros() - cpuFirst) / records.length };
}

/** The throughput topic: reused when it already holds exactly COUNT records. */
async function ensureThroughputTopic(): Promise<{ produced: boolean; seconds: number }> {
  const exists = await withAdmin(async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(TOPIC)) return false;
    const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    if (meta.topics[0]?.partitions.length === PARTITIONS && (await recordsIn(admin, TOPIC)) === COUNT) return true;
    await admin.deleteTopics({ topics: [TOPIC] });
    await new Promise((r) => setTimeout(r, 2000));
    return false;
  });
  if (exists) return { produced: false, seconds: 0 };
  await withAdmin((admin) => admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, configEntries: [{ name: 'retention.ms', value: '-1' }, { name: 'max.message.bytes', value: String(16 * 1024 * 1024) }] }], waitForLeaders: true }));
  const started = performance.now();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  await produceAll(producer, TOPIC, throughputMentions(), COUNT);
  await producer.disconnect();
  const count = await withAdmin((admin) => recordsIn(admin, TOPIC));
  if (count !== COUNT) throw new Error(`topic ${TOPIC} holds ${count} records, expected ${COUNT} (the simulator ran out?)`);
  return { produced: true, seconds: (performance.now() - started) / 1000 };
}

function serviceConfig(overrides: Record<string, unknown>): Config {
  return loadConfig({
    env: {},
    overrides: {
      log: { level: 'warn' },
      state: { enabled: false },
      ...overrides,
      kafka: { brokers: [...BROKERS], partitions: PARTITIONS, createTopics: true, clientId: 'stormwatch-bench', ...(overrides.kafka as object) },
    },
  });
}

/** (a) Raw kafkajs: batches of the whole topic, nothing done with them. Same fetch sizes as the service. */
/** CPU time of this process (all threads) in microseconds. */
function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function rawRun(config: Config): Promise<{ perSecond: number; cpuMicrosPerRecord: number }> {
  const consumer = kafka.consumer({
    groupId: `bench-raw-${randomUUID()}`,
    maxBytesPerPartition: config.kafka.maxBytesPerPartition,
    maxBytes: config.kafka.maxBytes,
    maxWaitTimeInMs: config.kafka.maxWaitTimeMs,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  let first = 0;
  let last = 0;
  let cpuFirst = 0;
  let cpuLast = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (first === 0) {
          first = performance.now();
          cpuFirst = cpuMicros();
        }
        seen += batch.messages.length;
        if (seen >= COUNT && last === 0) {
          last = performance.now();
          cpuLast = cpuMicros();
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.disconnect();
  return { perSecond: COUNT / ((last - first) / 1000), cpuMicrosPerRecord: (cpuLast - cpuFirst) / COUNT };
}

/** (b) Stormwatch: the service as main.ts wires it for Kafka, timed around its batch handler. */
async function stormwatchRun(): Promise<{ perSecond: number; events: number; late: number; cpuMicrosPerRecord: number }> {
  const suffix = randomUUID();
  const config = serviceConfig({ kafka: { maxBytesPerPartition: MAX_BYTES_PER_PARTITION, groupId: `bench-sw-${suffix}`, mentionsTopic: TOPIC, alertsTopic: `stormwatch-bench-alerts-${suffix}`, deadLettersTopic: `stormwatch-bench-dl-${suffix}`, clock: 'records' } });
  const logger = createLogger(config);
  const client = createKafkaClient(connectionOptions(config.kafka), logger);
  const metrics = new Metrics(new Registry(), { keyAllowList: [] });
  const kafkaSource = new KafkaMentionSource({ kafka: client, config: config.kafka, logger });
  const alerts = new KafkaAlertSink({ kafka: client, config: config.kafka, logger });
  alerts.start();
  let seen = 0;
  let first = 0;
  let last = 0;
  let events = 0;
  let cpuFirst = 0;
  let cpuLast = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const source: MentionSource = {
    name: kafkaSource.name,
    isReady: () => kafkaSource.isReady(),
    now: () => kafkaSource.now(),
    latestPossibleMs: () => kafkaSource.latestPossibleMs(),
    stop: () => kafkaSource.stop(),
    start: (handler) =>
      kafkaSource.start(async (batch) => {
        if (first === 0) {
          first = performance.now();
          cpuFirst = cpuMicros();
        }
        await handler(batch);
        seen += batch.length;
        if (seen >= COUNT && last === 0) {
          last = performance.now();
          cpuLast = cpuMicros();
          resolveDone();
        }
      }),
  };
  const service = createService(config, {
    source,
    sinks: [alerts, { name: 'count', isReady: () => true, publish: async (e) => void (events += e.length), close: async () => undefined }],
    deadLetters: new KafkaDeadLetterSink({ kafka: client, config: config.kafka, logger }),
    metrics,
    logger,
    liveTimestamps: false,
  });
  await service.start();
  await done;
  const late = service.stats().late;
  await service.stop();
  await withAdmin((admin) => admin.deleteTopics({ topics: [config.kafka.alertsTopic, config.kafka.deadLettersTopic] })).catch(() => undefined);
  return { perSecond: COUNT / ((last - first) / 1000), events, late, cpuMicrosPerRecord: (cpuLast - cpuFirst) / COUNT };
}

// ---- latency ------------------------------------------------------------------------------

const LATENCY_DETECTION = {
  bucketMs: 10_000,
  shortWindowMs: 50_000,
  allowedLatenessMs: 5_000,
  learningMs: 300_000,
  levelHalfLifeMs: 3_600_000,
  minDwellMs: 60_000,
  cooldownMs: 60_000,
  idleEvictMs: 3_600_000,
};
const WORDS = ['phone', 'battery', 'screen', 'store', 'order', 'delivery', 'support', 'update', 'camera', 'price', 'app', 'service', 'account', 'refund', 'shipping'];
const ANGRY = ['terrible', 'awful', 'furious', 'worst', 'broken', 'scam', 'disgusting', 'useless', 'angry', 'hate'];

function letters(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + rng.int(26));
  return s;
}

function mentionJson(rng: Rng, key: string, tsMs: number, angry: boolean, seq: number): string {
  const text = angry
    ? `${rng.pick(ANGRY)} ${rng.pick(WORDS)} from ${key}, ${rng.pick(ANGRY)} experience, never again ${letters(rng, 6)} #fail`
    : `my ${rng.pick(WORDS)} from ${key} arrived today ${letters(rng, 6)}`;
  return JSON.stringify({
    id: `lat-${seq}`,
    key,
    text,
    ts: new Date(tsMs).toISOString(),
    author: { id: `u${rng.int(1_000_000)}`, followers: rng.int(2000) },
    engagement: { likes: rng.int(5), shares: 0, replies: 0 },
    lang: 'en',
  });
}

interface LatencyResult {
  storms: number;
  detected: number;
  loadPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  latenciesMs: number[];
}

/**
 * Background keys at `load` mentions/s in total (Zipf-like), storm keys at a steady 6/min, with
 * a 6-minute history produced first at once (so baselines are learned), then live: each storm key
 * gets a burst of angry mentions (40/s) starting at a staggered time.
 */
async function latencyRun(storms: number, load: number): Promise<LatencyResult> {
  const suffix = randomUUID();
  const topic = `stormwatch-bench-live-${suffix}`;
  const alertsTopic = `stormwatch-bench-live-alerts-${suffix}`;
  await withAdmin((admin) =>
    admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, configEntries: [{ name: 'max.message.bytes', value: String(16 * 1024 * 1024) }] }, { topic: alertsTopic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(16 * 1024 * 1024) }] }], waitForLeaders: true }),
  );
  const rng = new Rng(7, 3);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const stormKeys = Array.from({ length: storms }, (_, i) => `storm-brand-${i}`);
  const backgroundKeys = 2000;
  const pickBackground = (): string => `brand-${Math.floor(backgroundKeys * rng.next() ** 3)}`;
  let seq = 0;
  // History: 6 minutes before now, at the same rates, as fast as the broker takes it.
  const historyStart = Date.now() - 6 * 60_000;
  const history: Message[] = [];
  // The same rates as live: a different rate would make every background key surge.
  for (let t = historyStart; t < Date.now(); t += 1000) {
    for (let i = 0; i < load; i++) history.push(mk(pickBackground(), t + rng.int(1000), false));
    for (const key of stormKeys) if (rng.next() < 0.1) history.push(mk(key, t + rng.int(1000), false));
  }
  function mk(key: string, ts: number, angry: boolean): Message {
    return { key, value: mentionJson(rng, key, ts, angry, seq++) };
  }
  await produceAll(producer, topic, history, history.length);

  const config = serviceConfig({
    detection: LATENCY_DETECTION,
    // At most half the lateness (the config's rule): the producers here share this machine's clock.
    input: { maxFutureMs: LATENCY_DETECTION.allowedLatenessMs / 2 },
    kafka: { groupId: `bench-live-${suffix}`, mentionsTopic: topic, alertsTopic, deadLettersTopic: `stormwatch-bench-live-dl-${suffix}`, clock: 'wall', maxWaitTimeMs: 50, lagIntervalMs: 1000 },
    tick: { intervalMs: 100 },
  });
  const logger = createLogger(config);
  const client = createKafkaClient(connectionOptions(config.kafka), logger);
  const metrics = new Metrics(new Registry(), { keyAllowList: [] });
  const alerts = new KafkaAlertSink({ kafka: client, config: config.kafka, logger });
  alerts.start();
  const source = new KafkaMentionSource({ kafka: client, config: config.kafka, logger });
  const service = createService(config, {
    source,
    sinks: [alerts],
    deadLetters: new KafkaDeadLetterSink({ kafka: client, config: config.kafka, logger }),
    metrics,
    logger,
    liveTimestamps: true,
  });

  // The alert topic's reader: wall time of arrival per storm.started.
  const latencies: number[] = [];
  const startedKeys = new Set<string>();
  const alertConsumer = kafka.consumer({ groupId: `bench-live-alerts-${suffix}`, maxWaitTimeInMs: 20 });
  await alertConsumer.connect();
  await alertConsumer.subscribe({ topic: alertsTopic, fromBeginning: true });
  await alertConsumer.run({
    eachMessage: async ({ message }) => {
      const received = Date.now();
      const event = JSON.parse(message.value!.toString()) as { type: string; key: string; at: string };
      if (event.type !== 'storm.started' || !event.key.startsWith('storm-brand-') || startedKeys.has(event.key)) return;
      startedKeys.add(event.key);
      latencies.push(received - (Date.parse(event.at) + LATENCY_DETECTION.allowedLatenessMs));
    },
  });
  await service.start();

  // Live: background load plus storm keys' usual trickle; storms start 60 s in, staggered over 60 s.
  const liveStart = Date.now();
  const stormStart = new Map(stormKeys.map((k, i) => [k, liveStart + 60_000 + Math.floor((i * 60_000) / storms)]));
  const stormEnd = liveStart + 60_000 + 60_000 + 90_000;
  const liveEnd = stormEnd + 30_000;
  let produced = 0;
  let sendFailures = 0;
  for (let tick = Date.now(); tick < liveEnd; tick = Date.now()) {
    const messages: Message[] = [];
    const n = Math.round(load / 50);
    for (let i = 0; i < n; i++) messages.push(mk(pickBackground(), Date.now(), false));
    for (const key of stormKeys) {
      const start = stormStart.get(key)!;
      const storming = tick >= start && tick < start + 90_000;
      if (storming) for (let i = 0; i < 2; i++) messages.push(mk(key, Date.now(), true));
      else if (rng.next() < 0.1 / 50) messages.push(mk(key, Date.now(), false));
    }
    produced += messages.length;
    await producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }).catch(() => void sendFailures++);
    const wait = 20 - (Date.now() - tick);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 5000));
  const loadPerSecond = produced / ((Date.now() - 5000 - liveStart) / 1000);
  await service.stop();
  await alertConsumer.disconnect();
  await producer.disconnect();
  await withAdmin((admin) => admin.deleteTopics({ topics: [topic, alertsTopic, config.kafka.deadLettersTopic] })).catch(() => undefined);
  if (sendFailures > 0) log(`${sendFailures} live sends failed`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const quantile = (p: number): number => (sorted.length > 0 ? quantileSorted(sorted, p) : Number.NaN);
  return {
    storms,
    detected: latencies.length,
    loadPerSecond: Math.round(loadPerSecond),
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    latenciesMs: latencies,
  };
}

// ---- main ---------------------------------------------------------------------------------

const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; commit ${machine.commit}; ${machine.date}`);
try {
  await withAdmin(async () => undefined);
} catch (error) {
  console.error(`bench/kafka: no broker at ${BROKERS.join(',')} (${(error as Error).message}); start one with: bash scripts/kafka.sh start`);
  process.exit(2);
}

const result: Record<string, unknown> = { machine, brokers: BROKERS, topic: TOPIC, partitions: PARTITIONS, count: COUNT, keys: KEYS };
const rows: string[] = [];
if (!values['skip-throughput']) {
  const topic = await ensureThroughputTopic();
  log(topic.produced ? `produced ${COUNT.toLocaleString('en-US')} mentions into ${TOPIC} in ${topic.seconds.toFixed(1)} s` : `reusing ${TOPIC}`);
  const config = serviceConfig({ kafka: { maxBytesPerPartition: MAX_BYTES_PER_PARTITION } });
  const raw: number[] = [];
  const processed: number[] = [];
  const rawCpu: number[] = [];
  const swCpu: number[] = [];
  let events = 0;
  const late: number[] = [];
  const replayed: number[] = [];
  const replayCpu: number[] = [];
  let replayEvents = 0;
  const records = [...throughputMentions()].map((m) => Buffer.from(m.value));
  for (let run = 0; run < RUNS; run++) {
    const a = await rawRun(config);
    raw.push(a.perSecond);
    rawCpu.push(a.cpuMicrosPerRecord);
    const sw = await stormwatchRun();
    processed.push(sw.perSecond);
    swCpu.push(sw.cpuMicrosPerRecord);
    events = sw.events;
    late.push(sw.late);
    const c = replayRun(records);
    replayed.push(c.perSecond);
    replayCpu.push(c.cpuMicrosPerRecord);
    replayEvents = c.events;
    log(`run ${run + 1}/${RUNS}: raw ${Math.round(raw[run]!).toLocaleString('en-US')}/s, stormwatch ${Math.round(sw.perSecond).toLocaleString('en-US')}/s (${sw.late} late), replay ${Math.round(c.perSecond).toLocaleString('en-US')}/s`);
  }
  const replayMedian = median(replayed);
  const rawMedian = median(raw);
  const swMedian = median(processed);
  result.throughput = {
    rawPerSecond: { median: Math.round(rawMedian), runs: raw.map(Math.round) },
    stormwatchPerSecond: { median: Math.round(swMedian), runs: processed.map(Math.round) },
    ratio: swMedian / rawMedian,
    ratioPerRun: processed.map((p, i) => p / raw[i]!),
    events,
    lateMentions: late,
    replayPerSecond: { median: Math.round(replayMedian), runs: replayed.map(Math.round) },
    replayEvents,
    ratioToReplay: swMedian / replayMedian,
    cpuMicrosPerRecord: { raw: median(rawCpu), stormwatch: median(swCpu), replay: median(replayCpu) },
  };
  rows.push(`| fetch size per partition, both | ${MAX_BYTES_PER_PARTITION.toLocaleString('en-US')} B |`);
  rows.push(`| (a) raw kafkajs consumption, records/s (median of ${RUNS}) | ${Math.round(rawMedian).toLocaleString('en-US')} (runs: ${raw.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}) |`);
  rows.push(`| (b) stormwatch consuming + processing, mentions/s (median of ${RUNS}) | ${Math.round(swMedian).toLocaleString('en-US')} (runs: ${processed.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}) |`);
  rows.push(`| (b) mentions late (event time is per key: should be 0) | ${late.map((n) => n.toLocaleString('en-US')).join(', ')} of ${COUNT.toLocaleString('en-US')} |`);
  rows.push(`| (b) events / (c) events | ${events} / ${replayEvents} |`);
  rows.push(`| (c) the engine's replay of the same records, mentions/s (median of ${RUNS}) | ${Math.round(replayMedian).toLocaleString('en-US')} (runs: ${replayed.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}) |`);
  rows.push(`| CPU of this process per record, (a) / (b) / (c) (medians; the broker's CPU not included) | ${median(rawCpu).toFixed(2)} / ${median(swCpu).toFixed(2)} / ${median(replayCpu).toFixed(2)} µs |`);
  rows.push(`| ratio b/a | ${(swMedian / rawMedian).toFixed(2)} (per run: ${processed.map((p, i) => (p / raw[i]!).toFixed(2)).join(', ')}) |`);
  rows.push(`| ratio b/c (target 0.8) | ${(swMedian / replayMedian).toFixed(2)} (per run: ${processed.map((p, i) => (p / replayed[i]!).toFixed(2)).join(', ')}) |`);
}
if (!values['skip-latency']) {
  const lat = await latencyRun(Number(values['latency-storms']), Number(values.load));
  result.latency = { ...lat, detection: LATENCY_DETECTION };
  rows.push(`| storm alert latency after the triggering bucket can close, p50 / p99 / max (${lat.detected}/${lat.storms} storms, load ${lat.loadPerSecond.toLocaleString('en-US')} mentions/s) | ${lat.p50Ms} / ${lat.p99Ms} / ${lat.maxMs} ms |`);
}
console.log('');
console.log(`topic ${TOPIC}: ${PARTITIONS} partitions, ${COUNT.toLocaleString('en-US')} mentions over ${KEYS.toLocaleString('en-US')} keys; broker ${BROKERS.join(',')}`);
console.log('| figure | value |');
console.log('| --- | --- |');
for (const row of rows) console.log(row);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
process.exit(0);
