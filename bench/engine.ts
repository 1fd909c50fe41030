/**
 * Engine benchmark: the whole per-mention path (parse, validate, sentiment, windows,
 * classifier, event building) over pre-generated mentions, on one thread.
 *
 *   node --expose-gc --max-old-space-size=6144 dist/bench/engine.js [--mentions N] [--keys K] [--runs R] [--heap-keys 10000,100000,1000000] [--json FILE]
 *
 * Prints mentions/s per core (median of the runs), p50/p99 time per mention, and heap per
 * tracked key at the given key counts, with the machine, Node version and git commit.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { median, quantileSorted } from 'simple-statistics';
import { loadConfig } from '../src/config/load.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { createPipeline } from '../src/pipeline.js';
import { generateMentions, manyKeysConfig } from '../src/sources/simulator/index.js';
import { machineInfo } from './machine.js';

interface Options {
  mentions: number;
  keys: number;
  runs: number;
  heapKeys: number[];
  json: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { mentions: 500_000, keys: 10_000, runs: 5, heapKeys: [10_000, 100_000, 1_000_000], json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--mentions':
        options.mentions = Number(value);
        i++;
        break;
      case '--keys':
        options.keys = Number(value);
        i++;
        break;
      case '--runs':
        options.runs = Number(value);
        i++;
        break;
      case '--heap-keys':
        options.heapKeys = (value ?? '').split(',').filter((s) => s !== '').map(Number);
        i++;
        break;
      case '--json':
        options.json = value;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return options;
}

const config = loadConfig({ env: {} });

/** Mentions as the wire carries them (JSON text), over `keys` keys with skewed popularity. */
function generateLines(mentions: number, keys: number): string[] {
  // Span sized so the stream averages `mentions` over 12 hours of event time.
  const spanMs = 12 * 3_600_000;
  const sim = manyKeysConfig({ keys, totalRatePerMinute: mentions / (spanMs / 60_000), spanMs, seed: 1 });
  const lines: string[] = [];
  for (const m of generateMentions(sim, Date.UTC(2025, 2, 3, 6) + spanMs)) {
    lines.push(JSON.stringify(m));
    if (lines.length >= mentions) break;
  }
  return lines;
}

/** One pass: wall-clock rate and CPU time per mention (the firmer figure on a shared machine). */
function throughputRun(lines: readonly string[]): { perSecond: number; cpuMicrosPerMention: number; events: number } {
  let events = 0;
  const pipeline = createPipeline(config, createSentimentScorer(), { onEvent: () => events++ });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const line of lines) pipeline.handleRecord(line);
  pipeline.finish();
  const used = process.cpuUsage(cpu);
  return { perSecond: lines.length / ((performance.now() - start) / 1000), cpuMicrosPerMention: (used.user + used.system) / lines.length, events };
}

/** Time of each mention, in microseconds, over one run (timer overhead included, ~0.05 µs). */
function latencyRun(lines: readonly string[]): number[] {
  const pipeline = createPipeline(config, createSentimentScorer(), { onEvent: () => undefined });
  const times = new Float64Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const start = performance.now();
    pipeline.handleRecord(lines[i]!);
    times[i] = (performance.now() - start) * 1000;
  }
  return Array.from(times).sort((a, b) => a - b);
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

/** Memory in use: the JS heap plus the typed arrays' backing stores, which live outside it. */
function memoryInUse(): { heap: number; total: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, total: m.heapUsed + m.arrayBuffers };
}

/**
 * Memory held per tracked key after three mentions per key (rings allocated: the worst case):
 * JS heap alone and heap plus array buffers (bucket rings and hour profiles are typed arrays).
 */
function heapPerKey(keys: number): { heap: number; total: number } {
  const pipeline = createPipeline(config, createSentimentScorer(), { onEvent: () => undefined });
  gc();
  const before = memoryInUse();
  const t0 = Date.UTC(2025, 2, 3, 6);
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < keys; k++) {
      pipeline.engine.ingest({
        id: `m-${round}-${k}`,
        key: `brand-${k}`,
        text: 'just landed, the crew was lovely',
        tsMs: t0 + round * 20_000 + (k % 1000),
        authorId: `author-${k % 5000}`,
        followers: 100,
        verified: false,
        likes: 1,
        shares: 0,
        replies: 0,
        lang: 'en',
        platform: 'x',
        url: undefined,
      });
    }
  }
  gc();
  const after = memoryInUse();
  if (pipeline.engine.stats().keysTracked !== keys) throw new Error('not every key is tracked');
  return { heap: (after.heap - before.heap) / keys, total: (after.total - before.total) / keys };
}

const options = parseArgs(process.argv.slice(2));
const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; commit ${machine.commit}; ${machine.date}`);
const generateStart = performance.now();
const lines = generateLines(options.mentions, options.keys);
console.log(`generated ${lines.length.toLocaleString('en-US')} mentions over ${options.keys.toLocaleString('en-US')} keys in ${((performance.now() - generateStart) / 1000).toFixed(1)} s`);

throughputRun(lines.slice(0, Math.min(lines.length, 50_000))); // warm-up
const runs = Array.from({ length: options.runs }, () => throughputRun(lines));
const perSecond = runs.map((r) => r.perSecond);
const latencies = latencyRun(lines);
const heap = options.heapKeys.map((keys) => {
  const perKey = heapPerKey(keys);
  return { keys, bytesPerKey: Math.round(perKey.total), jsHeapBytesPerKey: Math.round(perKey.heap) };
});

const result = {
  machine,
  mentions: lines.length,
  keys: options.keys,
  events: runs[0]!.events,
  mentionsPerSecond: { median: Math.round(median(perSecond)), runs: perSecond.map(Math.round) },
  cpuMicrosPerMention: { median: median(runs.map((r) => r.cpuMicrosPerMention)), runs: runs.map((r) => r.cpuMicrosPerMention) },
  microsecondsPerMention: { p50: quantileSorted(latencies, 0.5), p99: quantileSorted(latencies, 0.99), p999: quantileSorted(latencies, 0.999) },
  heapBytesPerKey: heap,
};
console.log('');
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| mentions/s per core (median of ${runs.length}) | ${result.mentionsPerSecond.median.toLocaleString('en-US')} (runs: ${result.mentionsPerSecond.runs.map((r) => r.toLocaleString('en-US')).join(', ')}) |`);
console.log(`| CPU per mention (median of ${runs.length}) | ${result.cpuMicrosPerMention.median.toFixed(2)} µs (runs: ${result.cpuMicrosPerMention.runs.map((r) => r.toFixed(2)).join(', ')}) |`);
console.log(`| time per mention p50 / p99 / p99.9 | ${result.microsecondsPerMention.p50.toFixed(1)} / ${result.microsecondsPerMention.p99.toFixed(1)} / ${result.microsecondsPerMention.p999.toFixed(1)} µs |`);
for (const h of heap) console.log(`| memory per tracked key at ${h.keys.toLocaleString('en-US')} keys (JS heap + array buffers; JS heap alone) | ${h.bytesPerKey.toLocaleString('en-US')} B (${h.jsHeapBytesPerKey.toLocaleString('en-US')} B) |`);
console.log(`| classification events | ${result.events} |`);
if (options.json !== undefined) writeFileSync(options.json, JSON.stringify(result, null, 2) + '\n');
