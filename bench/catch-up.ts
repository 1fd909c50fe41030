/**
 * Catch-up benchmark: many restored keys far behind the clock (a restart after a pause), brought
 * forward by the service's sliced advance while the event loop keeps serving.
 *
 *   node dist/bench/catch-up.js [--keys 100000] [--gap-hours 72] [--json FILE]
 *
 * Builds `keys` keys with a few minutes of mentions each (all in play: data in their windows),
 * exports and restores them into a fresh engine, then moves its clock `gap-hours` ahead two ways
 * in the same run: in one call (what a tick did before) and in slices (advanceInSlices). Prints
 * the wall time of each and, for the sliced run, the event-loop delay (p50, p99, max, from
 * perf_hooks.monitorEventLoopDelay) and the longest gap between 1 ms timer callbacks.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.js';
import { DetectionEngine } from '../src/detect/engine.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { advanceInSlices } from '../src/service.js';
import { machineInfo } from './machine.js';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '100000' }, 'gap-hours': { type: 'string', default: '72' }, json: { type: 'string' } }, strict: true });
const keys = Number(values.keys);
const gapMs = Number(values['gap-hours']) * 3_600_000;
const config = loadConfig({ env: {} }).detection;
const scorer = createSentimentScorer();
const T0 = Date.UTC(2026, 0, 5, 9, 0);

function restoredEngine(snapshots: readonly Uint8Array[]): DetectionEngine {
  const engine = new DetectionEngine(config, scorer, () => undefined);
  for (const bytes of snapshots) engine.importKey(bytes);
  return engine;
}

const source = new DetectionEngine(config, scorer, () => undefined);
for (let minute = 0; minute < 4; minute++) {
  for (let k = 0; k < keys; k++) {
    source.ingest({ id: `m${minute}-${k}`, key: `key-${k}`, text: 'the app works fine today', tsMs: T0 + minute * 60_000 + (k % 60_000), authorId: `a${k}`, followers: 10, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined });
  }
}
const snapshots = [...source.trackedKeys()].map((key) => source.exportKey(key)!);
const nowMs = T0 + gapMs;

// One call: the event loop is blocked for the whole catch-up.
const blocking = restoredEngine(snapshots);
const t0 = performance.now();
blocking.advanceTo(nowMs);
const blockingMs = performance.now() - t0;

// Slices, with a 1 ms timer standing in for probes and batches.
const sliced = restoredEngine(snapshots);
const delay = monitorEventLoopDelay({ resolution: 1 });
let lastTick = performance.now();
let longestTimerGapMs = 0;
const timer = setInterval(() => {
  const now = performance.now();
  longestTimerGapMs = Math.max(longestTimerGapMs, now - lastTick);
  lastTick = now;
}, 1);
delay.enable();
const t1 = performance.now();
await advanceInSlices(sliced, nowMs);
const slicedMs = performance.now() - t1;
delay.disable();
clearInterval(timer);

const ms = (ns: number) => Math.round(ns / 1e4) / 100;
const figures = {
  machine: machineInfo(),
  keys,
  gapHours: gapMs / 3_600_000,
  inPlayBefore: sliced.stats().keysTracked,
  inPlayAfter: sliced.stats().keysActive,
  oneCallMs: Math.round(blockingMs),
  slicedMs: Math.round(slicedMs),
  eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  longestTimerGapMs: Math.round(longestTimerGapMs * 100) / 100,
};
process.stdout.write(
  `catch-up: ${keys.toLocaleString('en-US')} restored keys, clock ${figures.gapHours} h ahead\n` +
    `  one call:  ${figures.oneCallMs} ms with the event loop blocked\n` +
    `  slices:    ${figures.slicedMs} ms in all; event-loop delay p50 ${figures.eventLoopDelayMs.p50} ms, p99 ${figures.eventLoopDelayMs.p99} ms, max ${figures.eventLoopDelayMs.max} ms; longest gap between 1 ms timers ${figures.longestTimerGapMs} ms\n` +
    `  keys in play after: ${figures.inPlayAfter} (the rest catch up at their next mention)\n`,
);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(figures, null, 2));
