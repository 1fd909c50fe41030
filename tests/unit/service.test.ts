import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import type { SentimentScorer } from '../../src/detect/sentiment/types.js';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { classificationEventErrors } from '../../src/events/classification.js';
import { assertValidEvent } from '../support/detection.js';
import { fakeEvent } from './server/fixtures.js';
import { createLogger } from '../../src/logging.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { MentionPipeline } from '../../src/pipeline.js';
import { createCore, recordListeners, StormwatchService, type ServiceParts } from '../../src/service.js';
import { EpisodeBoard } from '../../src/episodes/board.js';
import type { DeadLetter, DeadLetterSink, EventSink } from '../../src/ports.js';
import { generateMentions } from '../../src/sources/simulator/index.js';
import type { BatchHandler, MentionSource, RawRecord } from '../../src/ports.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 2, 3, 6, 0, 0);
// One brand, a 4 h warm-up (detection learns for 3 h), a storm, and the stream ends at its height.
const simulator = {
  seed: 11,
  startMs: START,
  endMs: START + 4 * HOUR + 25 * 60_000,
  brands: [{ key: 'acme-air', baseRatePerMinute: 60, sector: 'airline' as const }],
  warmupMs: 4 * HOUR,
  incidents: [{ kind: 'storm' as const, key: 'acme-air', startOffsetMs: 4 * HOUR, durationMs: 40 * 60_000, intensity: 0.6, topic: 'outage' }],
};
const mentions = [...generateMentions(simulator, simulator.endMs)];
const lastTs = Date.parse(mentions.at(-1)!.ts as string);

class ManualSource implements MentionSource {
  readonly name = 'manual';
  handler: BatchHandler | undefined;
  clock = START;
  stopped = false;
  readonly log: string[];
  constructor(log: string[]) {
    this.log = log;
  }
  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    this.log.push('source stopped');
  }
  isReady(): boolean {
    return this.handler !== undefined && !this.stopped;
  }
  now(): number {
    return this.clock;
  }
  latestPossibleMs(): number {
    return this.clock;
  }
}

class MemorySink implements EventSink {
  events: ClassificationEvent[] = [];
  failing = false;
  closed = false;
  constructor(
    readonly name: string,
    private readonly log: string[] = [],
  ) {}
  async publish(events: readonly ClassificationEvent[]): Promise<void> {
    if (this.failing) throw new Error(`${this.name} unavailable`);
    for (const event of events) assertValidEvent(event);
    this.events.push(...events);
  }
  isReady(): boolean {
    return !this.closed;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.log.push(`${this.name} closed`);
  }
}

class MemoryDeadLetters implements DeadLetterSink {
  readonly name = 'memory-dlq';
  letters: DeadLetter[] = [];
  async write(letters: readonly DeadLetter[]): Promise<void> {
    this.letters.push(...letters);
  }
  isReady(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}

function setup(options: { scorer?: SentimentScorer; live?: boolean; config?: Config } = {}) {
  const log: string[] = [];
  const config = options.config ?? loadConfig({ env: {}, overrides: { metrics: { keyAllowList: ['acme-air'] } } });
  const source = new ManualSource(log);
  const sink = new MemorySink('memory', log);
  const board = new EpisodeBoard();
  const deadLetters = new MemoryDeadLetters();
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false, keyAllowList: config.metrics.keyAllowList });
  const deps: ServiceParts = {
    source,
    sinks: [board, sink],
    deadLetters,
    metrics,
    logger: createLogger({ log: { level: 'silent' } }),
    liveTimestamps: options.live ?? true,
    wallNowMs: () => Date.UTC(2026, 0, 1),
    ...(options.scorer ? { scorer: options.scorer } : {}),
  };
  const wallNowMs = deps.wallNowMs!;
  const core = createCore(config, { ...deps, wallNowMs });
  const listeners = recordListeners({ ...deps, ...core, allowList: new Set(config.metrics.keyAllowList) });
  const pipeline = new MentionPipeline<RawRecord>(config, core.engine, listeners);
  const service = new StormwatchService(config, { ...deps, ...core, pipeline, wallNowMs });
  return { service, publisher: core.publisher, engine: core.engine, source, sink, board, deadLetters, registry, log };
}

function records(from: number, to: number): RawRecord[] {
  return mentions.slice(from, to).map((m, i) => ({ value: JSON.stringify(m), origin: { source: 'test', offset: String(from + i) } }));
}

/** Hands a batch to the service as the source would: its clock at the batch's last mention. */
function deliver(s: ReturnType<typeof setup>, batch: RawRecord[]): Promise<void> {
  s.source.clock = Math.max(s.source.clock, Date.parse(JSON.parse(batch.at(-1)!.value as string).ts));
  return s.source.handler!(batch);
}

async function feed(s: ReturnType<typeof setup>, batchSize = 2000): Promise<void> {
  for (let i = 0; i < mentions.length; i += batchSize) await deliver(s, records(i, i + batchSize));
}

async function metric(registry: Registry, name: string): Promise<string> {
  return registry.getSingleMetricAsString(name);
}

test('batches flow through the pipeline to every sink: a storm starts, events are valid and restamped', async () => {
  const s = setup();
  await s.service.start();
  await feed(s);
  const types = s.sink.events.map((e) => e.type);
  assert.ok(types.includes('storm.started'), `events: ${types.join(', ')}`);
  for (const event of s.sink.events) {
    assert.deepEqual(classificationEventErrors(event), []);
    assert.equal(event.emittedAt, '2026-01-01T00:00:00.000Z', 'emittedAt is the wall clock');
  }
  assert.equal(s.board.activeByLevel().storm + s.board.snapshot().recent.filter((v) => v.level === 'storm').length, 1);
  assert.match(await metric(s.registry, 'stormwatch_mentions_total'), new RegExp(`outcome="accepted"} ${mentions.length}`));
  assert.match(await metric(s.registry, 'stormwatch_classification_events_total'), /type="storm.started"} 1/);
  assert.match(await metric(s.registry, 'stormwatch_key_mentions_total'), new RegExp(`key="acme-air"} ${mentions.length}`));
  assert.match(await metric(s.registry, 'stormwatch_processing_duration_seconds'), /stage="engine"/);
  await s.service.stop();
});

test('the wall-clock tick ends the storm of a key that went quiet', async () => {
  const s = setup();
  await s.service.start();
  await feed(s);
  assert.ok(!s.sink.events.some((e) => e.type === 'storm.ended'), 'not ended while only the stream moves time');
  s.source.clock = lastTs + 3 * HOUR;
  await s.service.tick();
  const ended = s.sink.events.find((e) => e.type === 'storm.ended');
  assert.ok(ended, 'storm.ended after the tick');
  assert.ok(ended.postMortem);
  assert.equal(s.board.activeCount(), 0);
  await s.service.stop();
});

test('bad records are counted by reason and dead-lettered with their origin; never fatal', async () => {
  const s = setup();
  await s.service.start();
  const batch: RawRecord[] = [
    { value: 'not json', origin: { source: 'test', line: 1 } },
    { value: JSON.stringify({ id: 'x', key: 'k', text: 't' }), origin: { source: 'test', line: 2 } },
    { value: JSON.stringify({ ...mentions[0], ts: '2099-01-01T00:00:00Z' }), origin: { source: 'test', line: 3 } },
    { value: null, origin: { source: 'test', line: 4 } },
    ...records(0, 10),
  ];
  await s.source.handler!(batch);
  assert.deepEqual(
    s.deadLetters.letters.map((l) => [l.reason, l.origin.line]),
    [['invalid_json', 1], ['missing_field', 2], ['bad_timestamp', 3], ['empty', 4]],
  );
  assert.equal(s.deadLetters.letters[0]?.value, 'not json');
  const rejected = await metric(s.registry, 'stormwatch_mentions_rejected_total');
  for (const reason of ['invalid_json', 'missing_field', 'bad_timestamp', 'empty']) assert.match(rejected, new RegExp(`reason="${reason}"} 1`));
  assert.match(await metric(s.registry, 'stormwatch_dead_letters_total'), /reason="invalid_json"} 1/);
  assert.match(await metric(s.registry, 'stormwatch_mentions_total'), /outcome="accepted"} 10/);
  await s.service.stop();
});

test('a record that makes the engine throw is counted and skipped; the batch still completes', async () => {
  const real = createSentimentScorer();
  const scorer: SentimentScorer = {
    score: (text, lang) => {
      if (text === 'boom') throw new Error('scorer bug');
      return real.score(text, lang);
    },
  };
  const s = setup({ scorer });
  await s.service.start();
  const bomb = { value: JSON.stringify({ ...mentions[0], id: 'bomb', text: 'boom' }), origin: { source: 'test', offset: 'bomb' } };
  await s.source.handler!([bomb, ...records(0, 5)]);
  assert.match(await metric(s.registry, 'stormwatch_errors_total'), /stage="processing",error_type="unexpected_exception"} 1/);
  assert.match(await metric(s.registry, 'stormwatch_mentions_total'), /outcome="accepted"} 5/);
  await s.service.stop();
});

test('a failing sink rejects the batch; the redelivered batch is not ingested twice and events reach the sink once', async () => {
  const s = setup();
  await s.service.start();
  s.sink.failing = true;
  let failed: RawRecord[] | undefined;
  for (let i = 0; i < mentions.length && failed === undefined; i += 500) {
    const batch = records(i, i + 500);
    await deliver(s, batch).catch((error: unknown) => {
      assert.ok(error instanceof AggregateError);
      failed = batch;
    });
  }
  assert.ok(failed, 'the batch that started the storm failed to publish');
  assert.ok(s.board.activeCount() === 1, 'the healthy sink got the event');
  const accepted = s.service.stats().accepted;
  s.sink.failing = false;
  await deliver(s, failed); // the source's retry
  assert.equal(s.service.stats().accepted, accepted, 'redelivery is not ingested again');
  assert.deepEqual(s.sink.events.map((e) => e.type), ['storm.started']);
  assert.equal(s.board.snapshot().active[0]?.events, 1, 'the healthy sink did not get it twice');
  assert.match(await metric(s.registry, 'stormwatch_errors_total'), /stage="sending",error_type="sink_publish_failed"} 1/);
  await s.service.stop();
});

test('readiness reflects the source and sinks; stop() goes in order, once', async () => {
  const s = setup();
  assert.equal(s.service.readiness().ready, false, 'not ready before start');
  await s.service.start();
  assert.deepEqual(s.service.readiness(), {
    ready: true,
    checks: { 'source:manual': true, 'deadLetters:memory-dlq': true, 'sink:episode-board': true, 'sink:memory': true },
  });
  await Promise.all([s.service.stop(), s.service.stop()]);
  await s.service.stop();
  assert.deepEqual(s.log, ['source stopped', 'memory closed']);
  assert.equal(s.service.readiness().ready, false);
});

test('replayed files are not held to the live timestamp window', async () => {
  const s = setup({ live: false });
  await s.service.start();
  s.source.clock = Date.UTC(2030, 0, 1);
  await s.source.handler!(records(0, 10));
  assert.match(await metric(s.registry, 'stormwatch_mentions_total'), /outcome="accepted"} 10/);
  await s.service.stop();
});

test('flushes never overlap: calls while one is in flight share the one queued behind it', async () => {
  const s = setup();
  await s.service.start();
  await feed(s);
  assert.ok(s.sink.events.length > 0);
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const pushEvent = (e: ClassificationEvent): void => s.publisher.event(e, s.engine);
  pushEvent({ ...s.sink.events[0]!, id: 'pending-1' });
  s.sink.publish = async (events) => {
    calls++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await gate;
    inFlight--;
    s.sink.events.push(...events);
  };
  const first = s.service.flush();
  while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
  pushEvent({ ...s.sink.events[0]!, id: 'pending-2' });
  const queued = Array.from({ length: 100 }, () => s.service.flush());
  assert.equal(new Set(queued).size, 1, 'one queued flush, shared');
  open();
  await Promise.all([first, ...queued]);
  assert.equal(maxInFlight, 1);
  assert.equal(calls, 2, 'the flush in flight, then the one queued behind it');
  assert.deepEqual(s.sink.events.slice(-2).map((e) => e.id), ['pending-1', 'pending-2']);
});

test('an outbox past its bound drops its oldest events for that sink only: counted per sink, the others get everything', async () => {
  const s = setup();
  await s.service.start();
  s.sink.failing = true;
  const template = fakeEvent('storm.escalated', { key: 'k', episodeId: 'storm-1' });
  for (let i = 0; i < 10_005; i++) {
    s.publisher.event({ ...template, id: `e${i}` }, s.engine);
    if (i % 1000 === 999) await s.service.flush().catch(() => undefined);
  }
  const text = await metric(s.registry, 'stormwatch_sink_outbox_dropped_total');
  assert.match(text, /stormwatch_sink_outbox_dropped_total\{sink="memory"\} 5$/m);
  assert.doesNotMatch(text, /sink="episode-board"/);
});

test('expected events: a planned surge is marked on every event of its episode; a storm never; a reload (setPolicies) changes the calendar', async () => {
  const s = setup();
  await s.service.start();
  const push = (e: ClassificationEvent): void => s.publisher.event(e, s.engine);
  const window = { match: 'hooli-*', from: '2025-03-03T12:00:00Z', to: '2025-03-03T13:00:00Z', levels: ['surge' as const], note: 'launch' };
  push(fakeEvent('surge.started', { key: 'hooli-phones', episodeId: 'surge-1' }));
  s.service.setPolicies({ preset: 'balanced', keys: [], expected: [window] });
  push(fakeEvent('surge.started', { key: 'hooli-phones', episodeId: 'surge-2' }));
  push(fakeEvent('surge.ended', { key: 'hooli-phones', episodeId: 'surge-2', sequence: 2, at: '2025-03-03T14:00:00.000Z' }));
  push(fakeEvent('storm.started', { key: 'hooli-phones', episodeId: 'storm-3' }));
  await s.service.flush();
  const marks = s.sink.events.map((e) => [e.episodeId, e.type, e.expected?.note]);
  assert.deepEqual(marks, [
    ['surge-1', 'surge.started', undefined],
    ['surge-2', 'surge.started', 'launch'],
    ['surge-2', 'surge.ended', 'launch'],
    ['storm-3', 'storm.started', undefined],
  ]);
  for (const e of s.sink.events) assert.deepEqual(classificationEventErrors(e), []);
});
