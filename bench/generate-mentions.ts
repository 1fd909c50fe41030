/**
 * Writes simulated mentions as NDJSON, fast, for benchmarks and file replay.
 *
 *   node dist/bench/generate-mentions.js --count 1000000 --keys 10000 --out /tmp/m.ndjson \
 *     [--seed 42] [--bad-lines 0.001] [--hours 12] [--start 2025-03-03T06:00:00Z] [--labels /tmp/labels.json]
 *
 * Keys get a Zipf-like popularity (the six default brands first); incidents (storms mostly) are
 * spread over the event-time span after a warm-up. The total rate is chosen so `--count` lines
 * cover about `--hours` of event time. `--bad-lines` is the fraction of lines replaced by invalid
 * records (bad JSON, non-objects, missing fields, wrong types, bad timestamps). `--out -` writes
 * to stdout. A JSON summary goes to stderr; `--labels` writes the incident schedule.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { corruptMention, createSimulator, manyKeysConfig, Rng } from '../src/sources/simulator/index.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    keys: { type: 'string', default: '6' },
    out: { type: 'string', default: '-' },
    seed: { type: 'string', default: '42' },
    'bad-lines': { type: 'string', default: '0' },
    hours: { type: 'string', default: '12' },
    start: { type: 'string' },
    labels: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  console.error('usage: generate-mentions --count N --keys K --out FILE|- [--seed N] [--bad-lines F] [--hours H] [--start ISO] [--labels FILE]');
  process.exit(0);
}

function num(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`generate-mentions: --${name} must be a number in [${min}, ${max}], got ${raw}`);
    process.exit(2);
  }
  return value;
}

const count = Math.floor(num('count', values.count, 1, 1e9));
const keys = Math.floor(num('keys', values.keys, 1, 1e6));
const seed = Math.floor(num('seed', values.seed, 0, 4_294_967_295));
const badFraction = num('bad-lines', values['bad-lines'], 0, 1);
const hours = num('hours', values.hours, 0.1, 24 * 365);
const startMs = values.start === undefined ? undefined : Date.parse(values.start);
if (startMs !== undefined && Number.isNaN(startMs)) {
  console.error(`generate-mentions: --start is not a date: ${values.start}`);
  process.exit(2);
}

const spanMs = hours * 3_600_000;
// Every rate scales with the total rate, so size it from the expected count of a unit-rate run.
const shape = { keys, seed, spanMs, ...(startMs === undefined ? {} : { startMs }) };
const unit = createSimulator(manyKeysConfig({ ...shape, totalRatePerMinute: 1 }));
const unitStart = unit.config.startMs;
const totalRatePerMinute = count / unit.expectedMentions(unitStart, unitStart + spanMs);
const simulator = createSimulator(manyKeysConfig({ ...shape, totalRatePerMinute }));
const badRng = new Rng(seed, 7);

const began = performance.now();
const fd = values.out === '-' ? 1 : openSync(values.out as string, 'w');
const BATCH = 8192;
let batch: string[] = [];
let bytes = 0;
let bad = 0;
let firstTs = Number.NaN;
let lastTs = Number.NaN;
const flush = (): void => {
  if (batch.length === 0) return;
  const chunk = batch.join('\n') + '\n';
  bytes += Buffer.byteLength(chunk);
  writeSync(fd, chunk);
  batch = [];
};
for (let i = 0; i < count; i++) {
  const labelled = simulator.nextLabelled();
  if (labelled === undefined) break;
  if (i === 0) firstTs = labelled.tsMs;
  lastTs = labelled.tsMs;
  if (badFraction > 0 && badRng.next() < badFraction) {
    batch.push(corruptMention(labelled.mention, badRng).line);
    bad++;
  } else {
    batch.push(JSON.stringify(labelled.mention));
  }
  if (batch.length >= BATCH) flush();
}
flush();
if (fd !== 1) closeSync(fd);
const elapsedMs = performance.now() - began;

if (values.labels !== undefined) {
  writeFileSync(values.labels, JSON.stringify({ seed, keys, incidents: simulator.scheduledIncidents() }, null, 2) + '\n');
}

console.error(
  JSON.stringify({
    lines: simulator.emitted,
    badLines: bad,
    keys,
    seed,
    incidents: simulator.scheduledIncidents().length,
    eventFrom: new Date(firstTs).toISOString(),
    eventTo: new Date(lastTs).toISOString(),
    bytes,
    elapsedMs: Math.round(elapsedMs),
    linesPerSecond: Math.round(simulator.emitted / (elapsedMs / 1000)),
    node: process.version,
  }),
);
