/**
 * Scale-out benchmark (not a test): real service processes in one consumer group on a local Kafka.
 *
 *   npm run bench:scale -- [--brokers 127.0.0.1:19092] [--mentions 400000] [--keys 10000]
 *       [--instances 1,2,3] [--runs 1] [--restore-keys 100000] [--restore-runs 3] [--json FILE]
 *       [--logs DIR] [--drop-topics]
 *
 * 1. Throughput: `--mentions` mentions over `--keys` keys (Zipf popularity, incidents; the engine
 *    benchmark's stream) are produced once to a 6-partition topic, keyed by brand (kept and reused
 *    by later runs: its name carries the parameters). For each instance count, that many
 *    processes (`dist/src/main.js`, keyed state on, `clock: records`) consume the whole topic in a
 *    fresh group; measured: wall time from the group's first processed mention until its committed
 *    offsets reach the end offsets (commit resolution about one second: checkpoints every
 *    second), the mentions each instance handled, CPU seconds, late mentions and rebalances.
 * 2. Restore: the snapshots of `--restore-keys` keys (an engine fed a simulated stream in this
 *    process, every key exported) are written to a compacted changelog, partitioned as their
 *    mentions would be; then a fresh instance is started on it `--restore-runs` times and its
 *    restore timed (the `state restored` log line, and start to /readyz 200).
 *
 * The broker runs on the same machine and competes for the same cores: on a 2-core machine three
 * instances cannot scale linearly. Needs the local broker (`bash scripts/kafka.sh start`) or
 * --brokers; prints a table with the machine, and writes JSON with --json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient, Message, PartitionMetadata } from 'kafkajs';
import { median, medianSorted, sum } from 'simple-statistics';
import { loadConfig } from '../src/config/load.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { createPipeline } from '../src/pipeline.js';
import { generateMentions, manyKeysConfig } from '../src/sources/simulator/index.js';
import { OFFSET_HEADER, PARTITION_HEADER } from '../src/state/headers.js';
import { machineInfo } from './machine.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

const PARTITIONS = 6;
const HOUR = 3_600_000;
const STREAM_START_MS = Date.UTC(2025, 2, 3, 6);
/**
 * Small fetches from volume-balanced partitions and an hour of allowed lateness: what earlier runs
 * needed while the engine had one watermark (a backlog's mentions turned late). Event time is per
 * key now, so they no longer matter for lateness; they are kept so the figures compare with the
 * earlier tables. The table reports late mentions (expected 0).
 */
const FETCH_BYTES_PER_PARTITION = 32 * 1024;
const BENCH_LATENESS_MS = HOUR;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench → repository

interface Options {
  brokers: string;
  mentions: number;
  keys: number;
  instances: number[];
  runs: number;
  restoreKeys: number;
  restoreRuns: number;
  json: string | undefined;
  logs: string | undefined;
  dropTopics: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    brokers: process.env.STORMWATCH_KAFKA_BROKERS ?? '127.0.0.1:19092',
    mentions: 400_000,
    keys: 10_000,
    instances: [1, 2, 3],
    runs: 1,
    restoreKeys: 100_000,
    restoreRuns: 3,
    json: undefined,
    logs: undefined,
    dropTopics: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const take = (): string => {
      i++;
      if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return value;
    };
    switch (argv[i]) {
      case '--brokers':
        options.brokers = take();
        break;
      case '--mentions':
        options.mentions = Number(take());
        break;
      case '--keys':
        options.keys = Number(take());
        break;
      case '--instances':
        options.instances = take().split(',').filter((s) => s !== '').map(Number);
        break;
      case '--runs':
        options.runs = Number(take());
        break;
      case '--restore-keys':
        options.restoreKeys = Number(take());
        break;
      case '--restore-runs':
        options.restoreRuns = Number(take());
        break;
      case '--json':
        options.json = take();
        break;
      case '--logs':
        options.logs = take();
        break;
      case '--drop-topics':
        options.dropTopics = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (options.instances.some((n) => !(n >= 1 && n <= PARTITIONS))) throw new Error(`--instances: 1 to ${PARTITIONS}`);
  return options;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The value of one series of a Prometheus exposition, summed over the series matching `labels`. */
function metric(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (m === null || m[1] !== name) continue;
    const series = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1], p[2]]));
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Service processes

interface Instance {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<void>;
  scrape(): Promise<string>;
  ready(): Promise<boolean>;
  stop(): Promise<void>;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', STORMWATCH_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => lines.push(l));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (url === undefined) {
    const line = lines.find((l) => l.includes('stormwatch listening on'));
    if (line !== undefined) url = (JSON.parse(line) as { url: string }).url;
    else if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start:\n${lines.slice(-20).join('\n')}`);
    } else await sleep(50);
  }
  const get = (path: string) => fetch(url + path, { signal: AbortSignal.timeout(10_000) });
  return {
    child,
    url,
    lines,
    exited,
    scrape: async () => (await get('/metrics')).text(),
    ready: async () => {
      try {
        return (await get('/readyz')).status === 200;
      } catch {
        return false;
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function logLines(instance: Instance): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of instance.lines) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Topics

async function topicRecords(admin: Admin, topic: string): Promise<number | undefined> {
  if (!(await admin.listTopics()).includes(topic)) return undefined;
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
}

async function recreateTopic(admin: Admin, topic: string, configEntries: Array<{ name: string; value: string }>): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) {
    await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
    for (let i = 0; i < 100 && (await admin.listTopics()).includes(topic); i++) await sleep(200);
  }
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1, configEntries }] });
}

/**
 * The throughput stream: as bench/engine.ts, `mentions` over `keys` keys across 12 hours of event
 * time. Each key goes to the partition with the least expected volume so far (largest keys
 * first): every partition then covers the 12 hours in about the same number of records, so
 * partitions consumed side by side stay close in event time (see the lateness note in main).
 */
function* throughputStream(mentions: number, keys: number): Generator<{ key: string; json: string; partition: number }> {
  const spanMs = 12 * HOUR;
  const sim = manyKeysConfig({ keys, totalRatePerMinute: mentions / (spanMs / 60_000), spanMs, seed: 1, startMs: STREAM_START_MS });
  const load = new Array<number>(PARTITIONS).fill(0);
  const partitionOf = new Map<string, number>();
  for (const b of [...(sim.brands ?? [])].sort((a, b) => b.baseRatePerMinute - a.baseRatePerMinute)) {
    const p = load.indexOf(Math.min(...load));
    load[p]! += b.baseRatePerMinute;
    partitionOf.set(b.key, p);
  }
  let n = 0;
  for (const m of generateMentions(sim, STREAM_START_MS + spanMs)) {
    yield { key: m.key, json: JSON.stringify(m), partition: partitionOf.get(m.key)! };
    if (++n >= mentions) return;
  }
}

/** Produces the throughput topic unless it is there already with every record. */
async function ensureMentions(kafka: KafkaClient, admin: Admin, topic: string, options: Options): Promise<{ produced: boolean; seconds: number }> {
  if ((await topicRecords(admin, topic)) === options.mentions) return { produced: false, seconds: 0 };
  const start = performance.now();
  // Record timestamps are the produce time (the mentions carry their own); kept until deleted.
  await recreateTopic(admin, topic, [{ name: 'retention.ms', value: '-1' }]);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    let batch: Message[] = [];
    const flush = async () => {
      if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });
      batch = [];
    };
    for (const m of throughputStream(options.mentions, options.keys)) {
      batch.push({ key: m.key, value: m.json, partition: m.partition });
      if (batch.length >= 2000) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  const have = await topicRecords(admin, topic);
  if (have !== options.mentions) throw new Error(`${topic}: ${have} records after producing ${options.mentions}`);
  return { produced: true, seconds: (performance.now() - start) / 1000 };
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

async function deleteGroups(admin: Admin, prefix: string): Promise<void> {
  try {
    const { groups } = await admin.listGroups();
    const mine = groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    if (mine.length > 0) await admin.deleteGroups(mine);
  } catch {
    // best effort: an empty group expires by itself
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput

interface ThroughputRun {
  instances: number;
  mentions: number;
  seconds: number;
  mentionsPerSecond: number;
  startToDoneSeconds: number;
  perInstance: number[];
  cpuSeconds: number;
  mentionsPerCpuSecond: number;
  late: number;
  replaySkipped: number;
  rebalances: number;
}

async function throughputRun(admin: Admin, topic: string, n: number, options: Options): Promise<ThroughputRun> {
  const run = randomUUID().slice(0, 8);
  const groupId = `bench-scale-${run}`;
  const stateTopic = `${topic}-state-${run}`;
  const env = {
    STORMWATCH_KAFKA_BROKERS: options.brokers,
    STORMWATCH_KAFKA_MENTIONS_TOPIC: topic,
    STORMWATCH_KAFKA_ALERTS_TOPIC: `${topic}-alerts`,
    STORMWATCH_KAFKA_DEAD_LETTERS_TOPIC: `${topic}-dead-letters`,
    STORMWATCH_KAFKA_GROUP_ID: groupId,
    STORMWATCH_KAFKA_PARTITIONS: String(PARTITIONS),
    STORMWATCH_KAFKA_CLOCK: 'records',
    STORMWATCH_KAFKA_CREATE_TOPICS: 'false',
    STORMWATCH_KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    STORMWATCH_STATE_TOPIC: stateTopic,
    STORMWATCH_STATE_CHECKPOINT_INTERVAL_MS: '1000',
    // A backlog over several partitions per instance: see LATENESS_NOTE.
    STORMWATCH_KAFKA_MAX_BYTES_PER_PARTITION: String(FETCH_BYTES_PER_PARTITION),
    STORMWATCH_DETECTION_ALLOWED_LATENESS_MS: String(BENCH_LATENESS_MS),
  };
  const startMs = Date.now();
  const instances = await Promise.all(Array.from({ length: n }, (_, i) => startInstance({ ...env, STORMWATCH_KAFKA_CLIENT_ID: `bench-scale-${run}-${i}` })));
  try {
    // The gate: without its changelog (and not allowed to create topics) an instance retries the
    // restore and its partitions wait. Opened once every member holds its final share, so no
    // partition moves mid-backlog (a moved partition lands beside others at another event time).
    await waitUntil('a stable group', 120_000, async () => {
      const shares = instances.map((i) => logLines(i).filter((l) => l.msg === 'joined the consumer group').at(-1)?.partitions as number[] | undefined);
      if (shares.some((p) => p === undefined || p.length === 0)) return false;
      const all = shares.flat() as number[];
      return all.length === PARTITIONS && new Set(all).size === PARTITIONS; // every member's latest share, disjoint
    });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: stateTopic, numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    let firstMs: number | undefined;
    let doneMs: number | undefined;
    let lastCommitted = -1;
    let movedMs = Date.now();
    while (doneMs === undefined) {
      await sleep(250);
      if (firstMs === undefined) {
        const handled = (await Promise.all(instances.map((i) => i.scrape()))).reduce((s, e) => s + metric(e, 'stormwatch_mentions_total'), 0);
        if (handled > 0) firstMs = Date.now() - 250; // within the last poll interval
        else if (Date.now() - movedMs > 120_000) throw new Error(`${n} instance(s): nothing processed within 2 minutes`);
        continue;
      }
      const ends = await admin.fetchTopicOffsets(topic);
      const committed = new Map(((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      if (ends.every((e) => committed.get(e.partition) === Number(e.high))) doneMs = Date.now();
      const total = [...committed.values()].reduce((s, o) => s + Math.max(0, o), 0);
      if (total !== lastCommitted) {
        lastCommitted = total;
        movedMs = Date.now();
      } else if (Date.now() - movedMs > 120_000) {
        throw new Error(`${n} instance(s): committed offsets stuck for 2 minutes at ${JSON.stringify([...committed])}, ends ${JSON.stringify(ends.map((e) => [e.partition, e.high]))}`);
      }
    }
    const expositions = await Promise.all(instances.map((i) => i.scrape()));
    const sum = (name: string, labels: Record<string, string> = {}) => expositions.reduce((s, e) => s + metric(e, name, labels), 0);
    const seconds = (doneMs - firstMs!) / 1000;
    const cpuSeconds = sum('process_cpu_seconds_total');
    return {
      instances: n,
      mentions: options.mentions,
      seconds,
      mentionsPerSecond: options.mentions / seconds,
      startToDoneSeconds: (doneMs - startMs) / 1000,
      perInstance: expositions.map((e) => metric(e, 'stormwatch_mentions_total')),
      cpuSeconds,
      mentionsPerCpuSecond: options.mentions / cpuSeconds,
      late: sum('stormwatch_mentions_total', { outcome: 'late' }),
      replaySkipped: sum('stormwatch_state_replay_skipped_total'),
      rebalances: sum('stormwatch_kafka_rebalances_total'),
    };
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    if (options.logs !== undefined) instances.forEach((i, k) => writeFileSync(join(options.logs!, `scale-${n}-${run}-${k}.log`), i.lines.join('\n') + '\n'));
    await admin.deleteTopics({ topics: [stateTopic], timeout: 30_000 }).catch(() => undefined);
    await deleteGroups(admin, groupId);
  }
}

// ---------------------------------------------------------------------------------------------
// Restore

interface RestoreSetup {
  keys: number;
  bytes: number;
  bytesPerKeyMedian: number;
  bytesPerKeyMax: number;
  buildSeconds: number;
}

interface RestoreRun {
  keys: number;
  restoreSeconds: number;
  startToReadySeconds: number;
}

/** Feeds an engine a simulated stream over `keys` keys (every key at least once), exports every key to the changelog. */
async function writeChangelog(kafka: KafkaClient, admin: Admin, mentionsTopic: string, changelog: string, keys: number): Promise<RestoreSetup> {
  const start = performance.now();
  await recreateTopic(admin, mentionsTopic, []);
  await recreateTopic(admin, changelog, [
    { name: 'cleanup.policy', value: 'compact' },
    { name: 'min.compaction.lag.ms', value: '0' },
  ]);
  // Four hours at about 1.5 mentions per key and hour, even popularity: baselines learning, rings of
  // the last window in memory, a few keys in an episode (the simulator's incidents).
  const spanMs = 4 * HOUR;
  const sim = manyKeysConfig({ keys, totalRatePerMinute: (keys * 1.5) / 60, spanMs, zipfExponent: 0, seed: 3, startMs: STREAM_START_MS });
  const pipeline = createPipeline(loadConfig({ env: {} }), createSentimentScorer(), { onEvent: () => undefined });
  let last: string | undefined;
  for (const m of generateMentions(sim, STREAM_START_MS + spanMs)) {
    last = JSON.stringify(m);
    pipeline.handleRecord(last);
  }
  // Keys the stream missed: one mention each at the end, so exactly `keys` keys are tracked.
  const template = JSON.parse(last!) as Record<string, unknown>;
  const brandKeys = (sim.brands ?? []).map((b) => b.key);
  let extra = 0;
  for (const key of brandKeys) {
    if (pipeline.engine.exportKey(key) !== undefined) continue;
    pipeline.handleRecord(JSON.stringify({ ...template, id: `fill-${extra++}`, key }));
  }
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, p) => ({ partitionId: p, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0], offlineReplicas: [] }));
  const partitioner = Partitioners.DefaultPartitioner();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const sizes: number[] = [];
  try {
    let batch: Message[] = [];
    for (const key of pipeline.engine.trackedKeys()) {
      const value = pipeline.engine.exportKey(key)!;
      sizes.push(value.length);
      // The partition the key's mentions would come from, as a keyed producer would choose it.
      const partition = partitioner({ topic: mentionsTopic, partitionMetadata, message: { key, value: null } });
      batch.push({ key, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength), partition, headers: { [OFFSET_HEADER]: '-1', [PARTITION_HEADER]: String(partition) } });
      if (batch.length >= 1000) {
        await producer.send({ topic: changelog, acks: -1, messages: batch });
        batch = [];
      }
    }
    if (batch.length > 0) await producer.send({ topic: changelog, acks: -1, messages: batch });
  } finally {
    await producer.disconnect();
  }
  sizes.sort((a, b) => a - b);
  return {
    keys: sizes.length,
    bytes: sum(sizes),
    bytesPerKeyMedian: medianSorted(sizes),
    bytesPerKeyMax: sizes.at(-1) ?? 0,
    buildSeconds: (performance.now() - start) / 1000,
  };
}

async function restoreRun(admin: Admin, mentionsTopic: string, changelog: string, options: Options): Promise<RestoreRun> {
  const run = randomUUID().slice(0, 8);
  const groupId = `bench-restore-${run}`;
  const startMs = Date.now();
  const instance = await startInstance({
    STORMWATCH_KAFKA_BROKERS: options.brokers,
    STORMWATCH_KAFKA_CLIENT_ID: groupId,
    STORMWATCH_KAFKA_MENTIONS_TOPIC: mentionsTopic,
    STORMWATCH_KAFKA_ALERTS_TOPIC: `${mentionsTopic}-alerts`,
    STORMWATCH_KAFKA_DEAD_LETTERS_TOPIC: `${mentionsTopic}-dead-letters`,
    STORMWATCH_KAFKA_GROUP_ID: groupId,
    STORMWATCH_KAFKA_PARTITIONS: String(PARTITIONS),
    STORMWATCH_STATE_TOPIC: changelog,
    // The snapshots are of 2025 event time: with the wall clock, the first tick after the restore
    // would close every bucket since then for every key (up to 7 days each), which is not restore.
    STORMWATCH_KAFKA_CLOCK: 'records',
  });
  try {
    const deadline = Date.now() + 10 * 60_000;
    let readyMs: number | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error('no restore within 10 minutes');
      const restored = logLines(instance).filter((l) => l.msg === 'state restored');
      readyMs ??= restored.length > 0 && (await instance.ready()) ? Date.now() : undefined;
      if (readyMs !== undefined) {
        const exposition = await instance.scrape();
        if (metric(exposition, 'stormwatch_state_snapshots_rejected_total') > 0) throw new Error('snapshots were rejected');
        return {
          keys: metric(exposition, 'stormwatch_state_keys_restored_total'),
          restoreSeconds: restored.reduce((s, l) => s + Number(l.seconds ?? 0), 0),
          startToReadySeconds: (readyMs - startMs) / 1000,
        };
      }
      await sleep(50);
    }
  } finally {
    await instance.stop();
    if (options.logs !== undefined) writeFileSync(join(options.logs, `restore-${run}.log`), instance.lines.join('\n') + '\n');
    await deleteGroups(admin, groupId);
  }
}

// ---------------------------------------------------------------------------------------------

const options = parseArgs(process.argv.slice(2));
const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; commit ${machine.commit}; ${machine.date}`);
console.log(`broker ${options.brokers} (on this machine, sharing its cores); ${PARTITIONS} partitions; keyed state on`);
const kafka = new Kafka({ clientId: 'stormwatch-bench-scale', brokers: options.brokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
try {
  const topic = `stormwatch-bench-scale-m${options.mentions}-k${options.keys}-balanced`;
  const setup = await ensureMentions(kafka, admin, topic, options);
  const existing = await admin.listTopics();
  const sinks = [`${topic}-alerts`, `${topic}-dead-letters`].filter((t) => !existing.includes(t));
  if (sinks.length > 0) await admin.createTopics({ waitForLeaders: true, topics: sinks.map((t) => ({ topic: t, numPartitions: PARTITIONS, replicationFactor: 1 })) });
  console.log(setup.produced ? `produced ${fmt(options.mentions)} mentions over ${fmt(options.keys)} keys to ${topic} in ${setup.seconds.toFixed(1)} s` : `reusing ${topic} (${fmt(options.mentions)} mentions over ${fmt(options.keys)} keys)`);

  const throughput: ThroughputRun[] = [];
  for (const n of options.instances) {
    for (let r = 0; r < options.runs; r++) {
      const result = await throughputRun(admin, topic, n, options);
      throughput.push(result);
      console.log(`  ${n} instance(s), run ${r + 1}: ${fmt(result.mentionsPerSecond)} mentions/s over ${result.seconds.toFixed(1)} s; split ${result.perInstance.map((x) => fmt(x)).join(' / ')}`);
    }
  }

  const restoreMentions = `stormwatch-bench-restore-k${options.restoreKeys}`;
  const changelog = `${restoreMentions}-state`;
  let restore: { setup: RestoreSetup; runs: RestoreRun[] } | undefined;
  if (options.restoreKeys > 0 && options.restoreRuns > 0) {
    const restoreSetup = await writeChangelog(kafka, admin, restoreMentions, changelog, options.restoreKeys);
    console.log(
      `changelog of ${fmt(restoreSetup.keys)} keys written in ${restoreSetup.buildSeconds.toFixed(1)} s: ${fmt(restoreSetup.bytes / 1e6, 1)} MB of snapshots, ` +
        `median ${fmt(restoreSetup.bytesPerKeyMedian)} B a key, max ${fmt(restoreSetup.bytesPerKeyMax)} B`,
    );
    const runs: RestoreRun[] = [];
    for (let r = 0; r < options.restoreRuns; r++) runs.push(await restoreRun(admin, restoreMentions, changelog, options));
    restore = { setup: restoreSetup, runs };
  }

  // The table.
  const base = median(throughput.filter((r) => r.instances === options.instances[0]).map((r) => r.mentionsPerSecond));
  console.log('');
  console.log(`| instances | mentions/s (median of ${options.runs}) | vs ${options.instances[0]} | seconds | start to done, s | mentions per instance | CPU s (all instances) | mentions per CPU s | late | rebalances |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of options.instances) {
    const runs = throughput.filter((r) => r.instances === n);
    const mid = runs.find((r) => r.mentionsPerSecond === median(runs.map((x) => x.mentionsPerSecond))) ?? runs[0]!;
    console.log(
      `| ${n} | ${fmt(median(runs.map((r) => r.mentionsPerSecond)))} | ${(median(runs.map((r) => r.mentionsPerSecond)) / base).toFixed(2)}x | ${mid.seconds.toFixed(1)} | ${mid.startToDoneSeconds.toFixed(1)} | ` +
        `${mid.perInstance.map((x) => fmt(x)).join(' / ')} | ${mid.cpuSeconds.toFixed(1)} | ${fmt(mid.mentionsPerCpuSecond)} | ${fmt(mid.late)} | ${mid.rebalances} |`,
    );
  }
  if (restore !== undefined) {
    console.log('');
    console.log(`| restore | keys | changelog MB | restore s (median of ${restore.runs.length}) | start to ready s | keys/s |`);
    console.log('| --- | --- | --- | --- | --- | --- |');
    const seconds = median(restore.runs.map((r) => r.restoreSeconds));
    console.log(
      `| 1 instance, ${PARTITIONS} partitions | ${fmt(restore.runs[0]!.keys)} | ${fmt(restore.setup.bytes / 1e6, 1)} | ${seconds.toFixed(2)} (${restore.runs.map((r) => r.restoreSeconds.toFixed(2)).join(', ')}) | ` +
        `${median(restore.runs.map((r) => r.startToReadySeconds)).toFixed(2)} | ${fmt(restore.runs[0]!.keys / seconds)} |`,
    );
  }
  console.log('');
  console.log(`Note: ${machine.cores} cores shared by the broker, this process and every instance; with fewer cores than instances plus the broker, throughput cannot grow linearly with instances.`);

  if (options.json !== undefined) {
    writeFileSync(options.json, JSON.stringify({ machine, options, partitions: PARTITIONS, topic, throughput, restore }, null, 2) + '\n');
    console.log(`written ${options.json}`);
  }
  if (options.dropTopics) await admin.deleteTopics({ topics: [topic, `${topic}-alerts`, `${topic}-dead-letters`, restoreMentions, changelog, `${restoreMentions}-alerts`, `${restoreMentions}-dead-letters`], timeout: 30_000 }).catch(() => undefined);
} finally {
  await admin.disconnect();
}
