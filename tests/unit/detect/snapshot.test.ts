import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectionEngine, type IngestOutcome } from '../../../src/detect/engine.js';
import { decodeKeySnapshot, encodeKeySnapshot, SNAPSHOT_VERSION, SnapshotError } from '../../../src/detect/snapshot.js';
import type { ClassificationEvent } from '../../../src/events/classification.js';
import type { Mention } from '../../../src/events/mention.js';
import { collectEvents, detectionConfig, keywordScorer } from '../../support/detection.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const config = detectionConfig({ learningMs: 60 * MINUTE });

const scorer = keywordScorer;

function word(n: number): string {
  let out = '';
  for (let x = n + 1; x > 0; x = Math.floor(x / 26)) out += String.fromCharCode(97 + (x % 26));
  return out;
}

/** A small deterministic generator (mulberry32): the same scenario on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Four hours over five keys: acme storms at 120-140 min; calm talks steadily; gripe complains at
 * low volume (a drizzle); sporadic speaks twice and goes quiet (leaves the active set); rise
 * surges and becomes a storm (one episode that changes level). Mentions
 * arrive up to 90 s out of order (within the allowed lateness) and a few far too late.
 */
function scenario(): Mention[] {
  const rnd = random(42);
  const out: Mention[] = [];
  let seq = 0;
  const push = (key: string, tsMs: number, text: string) => {
    seq++;
    out.push({ id: `m${seq}`, key, text: `${text} ${word(seq)}`, tsMs, authorId: `a${seq % 997}`, followers: seq % 50, verified: false, likes: seq % 3, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined });
  };
  for (let minute = 0; minute < 240; minute++) {
    const storm = minute >= 120 && minute < 140;
    const n = storm ? 150 : 10;
    for (let i = 0; i < n; i++) push('acme', T0 + minute * MINUTE + (i * MINUTE) / n, storm ? 'bad outage #acmedown' : rnd() < 0.2 ? 'bad' : 'ok');
    for (let i = 0; i < 5; i++) push('calm', T0 + minute * MINUTE + i * 12_000, rnd() < 0.1 ? 'good' : 'fine');
    if (minute >= 60) push('gripe', T0 + minute * MINUTE + 30_000, minute >= 150 && rnd() < 0.8 ? 'bad service' : 'meh');
    if (minute === 3 || minute === 4) push('sporadic', T0 + minute * MINUTE, 'hi');
    // rise: a launch surge at 150-165 min that turns into an incident (harm words) until 185.
    const rise = minute >= 150 && minute < 185 ? 60 : 5;
    for (let i = 0; i < rise; i++) push('rise', T0 + minute * MINUTE + (i * MINUTE) / rise, rise === 5 ? 'fine' : minute < 165 ? 'good launch' : 'explosion at the launch, people injured');
  }
  // Disorder: each mention moves back by up to 90 s; one in 500 arrives 10 minutes late.
  const shifted = out.map((m, i) => ({ ...m, arrival: m.tsMs + rnd() * 90_000 + (i % 500 === 0 ? 600_000 : 0) }));
  shifted.sort((a, b) => a.arrival - b.arrival);
  return shifted.map(({ arrival: _, ...m }) => m);
}

const MENTIONS = scenario();

/**
 * Events per key (the engine's order within a key is its contract), without the drivers: they
 * (and the explanation's "about …" that names them, and the burst's no-audience share) are
 * rebuilt from the mentions after a restore, against this engine's term background (see docs/state.md).
 */
function perKey(events: ClassificationEvent[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    const { drivers: _, ...rest } = e;
    const { noAudienceShare: _share, ...coordination } = rest.evidence.coordination;
    rest.evidence = { ...rest.evidence, coordination };
    rest.explanation = rest.explanation.replace(/; about [^;]*$/, '');
    const list = out.get(e.key) ?? [];
    list.push(JSON.stringify(rest));
    out.set(e.key, list);
  }
  return out;
}

/** As a live source would: the clock follows the latest mention, so quiet keys leave play. */
function ingestLive(engine: DetectionEngine, m: Mention): IngestOutcome {
  const outcome = engine.ingest(m);
  engine.advanceTo(m.tsMs);
  return outcome;
}

function run(mentions: readonly Mention[]): { events: ClassificationEvent[]; engine: DetectionEngine; late: number } {
  const { events, onEvent } = collectEvents();
  const engine = new DetectionEngine(config, scorer, onEvent);
  let late = 0;
  for (const m of mentions) if (ingestLive(engine, m) === 'late') late++;
  return { events, engine, late };
}

/** Runs the first `split` mentions, moves every key into a fresh engine, runs the rest there. */
function runSplit(split: number): { events: ClassificationEvent[]; snapshots: Map<string, Uint8Array>; late: number } {
  const first = run(MENTIONS.slice(0, split));
  const snapshots = new Map<string, Uint8Array>();
  for (const key of first.engine.trackedKeys()) snapshots.set(key, first.engine.exportKey(key)!);
  const events = [...first.events];
  const second = new DetectionEngine(config, scorer, collectEvents(events).onEvent);
  // Each key brings its own stream time: nothing else to resume.
  for (const bytes of snapshots.values()) second.importKey(bytes);
  let late = first.late;
  for (const m of MENTIONS.slice(split)) if (ingestLive(second, m) === 'late') late++;
  second.finish();
  return { events, snapshots, late };
}

test('export, import into a fresh engine, same mentions after: the same events as an engine that never stopped', () => {
  const reference = run(MENTIONS);
  reference.engine.finish();
  const expected = perKey(reference.events);
  assert.ok((expected.get('acme') ?? []).some((e) => e.includes('"storm.started"')), 'the scenario has a storm');
  assert.ok(reference.late > 0, 'the scenario has late mentions');

  const indexAt = (minute: number) => MENTIONS.findIndex((m) => m.tsMs >= T0 + minute * MINUTE);
  assert.ok((expected.get('rise') ?? []).some((e) => e.includes('"storm.level_changed"')), 'the scenario has a level change');
  const minutes = [0.5, 30, 61, 100, 119, 120.5, 121, 121.5, 122, 122.5, 123, 124, 125, 130, 135.3, 139, 141, 145, 150, 155, 160, 168, 175, 200, 239.9];
  let sawCandidate = false;
  let sawEpisode = false;
  let sawInactive = false;
  let sawRisen = false;
  for (const minute of minutes) {
    const split = indexAt(minute);
    const { events, snapshots, late } = runSplit(split);
    const acme = decodeKeySnapshot(snapshots.get('acme')!);
    if (acme.classifier.candidate === 'storm' && acme.episode === undefined) sawCandidate = true;
    if (acme.episode?.level === 'storm') sawEpisode = true;
    const riseBytes = snapshots.get('rise');
    const rise = riseBytes === undefined ? undefined : decodeKeySnapshot(riseBytes).episode;
    if (rise?.openedAs === 'surge' && rise.level === 'storm') sawRisen = true;
    if (snapshots.has('sporadic') && decodeKeySnapshot(snapshots.get('sporadic')!).ring === undefined) sawInactive = true;
    assert.deepEqual(perKey(events), expected, `split at minute ${minute}`);
    assert.equal(late, reference.late, `late mentions, split at minute ${minute}`);
  }
  assert.ok(sawCandidate, 'one split fell mid-candidate');
  assert.ok(sawEpisode, 'one split fell mid-storm');
  assert.ok(sawInactive, 'one split had a key outside the active set');
  assert.ok(sawRisen, 'one split fell in an episode that had risen from surge to storm');
});

test('a restored storm keeps its episode id, and its end counts the mentions from before and after', () => {
  const reference = run(MENTIONS);
  reference.engine.finish();
  const split = MENTIONS.findIndex((m) => m.tsMs >= T0 + 130 * MINUTE);
  const { events } = runSplit(split);
  const started = events.filter((e) => e.key === 'acme' && e.type === 'storm.started');
  const ended = events.filter((e) => e.key === 'acme' && e.type === 'storm.ended');
  assert.equal(started.length, 1);
  assert.equal(ended.length, 1);
  assert.equal(ended[0]!.episodeId, started[0]!.episodeId);
  const referenceEnded = reference.events.find((e) => e.key === 'acme' && e.type === 'storm.ended')!;
  assert.deepEqual(ended[0]!.postMortem, referenceEnded.postMortem);
  assert.ok(ended[0]!.postMortem!.totalMentions >= 20 * 150);
});

test('a restored key keeps its closed buckets closed: a mention at or before them is late for it', () => {
  const first = run(MENTIONS.slice(0, MENTIONS.findIndex((m) => m.tsMs >= T0 + 100 * MINUTE)));
  const bytes = first.engine.exportKey('calm')!;
  const closedThrough = decodeKeySnapshot(bytes).lateThroughBucket;
  assert.ok(closedThrough >= decodeKeySnapshot(bytes).closedThrough);
  const fresh = new DetectionEngine(config, scorer, () => undefined);
  fresh.importKey(bytes);
  const at = (bucket: number, key = 'calm'): Mention => ({ id: `x${bucket}`, key, text: 'fine', tsMs: bucket * config.bucketMs + 1, authorId: 'z', followers: 0, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined });
  assert.equal(fresh.ingest(at(closedThrough - 3)), 'late');
  assert.equal(fresh.ingest(at(closedThrough)), 'late');
  assert.equal(fresh.ingest(at(closedThrough - 2, 'newcomer')), 'accepted', 'another key is judged by the engine watermark alone');
  assert.equal(fresh.ingest(at(closedThrough + 1)), 'accepted');
  assert.equal(fresh.stats().late, 2);
});

test('snapshots of another version, damaged, or of another bucket width are refused', () => {
  const { engine } = run(MENTIONS.slice(0, 5000));
  const bytes = engine.exportKey('acme')!;
  assert.equal(bytes[0], SNAPSHOT_VERSION);
  const fresh = new DetectionEngine(config, scorer, () => undefined);
  const future = Uint8Array.from(bytes);
  future[0] = SNAPSHOT_VERSION + 1;
  assert.throws(() => fresh.importKey(future), (err: unknown) => err instanceof SnapshotError && err.code === 'unknown_version');
  assert.throws(() => fresh.importKey(bytes.subarray(0, bytes.length - 3)), (err: unknown) => err instanceof SnapshotError && err.code === 'malformed');
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => fresh.importKey(longer), (err: unknown) => err instanceof SnapshotError && err.code === 'malformed');
  const otherWidth = new DetectionEngine(detectionConfig({ bucketMs: 30_000, shortWindowMs: 300_000 }), scorer, () => undefined);
  assert.throws(() => otherWidth.importKey(bytes), (err: unknown) => err instanceof SnapshotError && err.code === 'config_mismatch');
  assert.equal(fresh.stats().keysTracked, 0, 'nothing was half-restored');
  assert.equal(fresh.importKey(bytes), 'acme');
  const again = decodeKeySnapshot(fresh.exportKey('acme')!);
  assert.deepEqual(again, decodeKeySnapshot(bytes), "export of an import gives the same state, the key's own time included");
  assert.equal(fresh.stats().watermarkMs, Number.NEGATIVE_INFINITY, "importing moves no clock of the engine's");
});

test('a version-2 snapshot is read as if every mention was read: no unread counts in the ring, read counts equal to the mentions in the episode', async () => {
  const { Field } = await import('../../../src/detect/window/bucket-ring.js');
  const { engine } = run(MENTIONS.slice(0, 5000));
  const snapshot = decodeKeySnapshot(engine.exportKey('acme')!);
  assert.ok(snapshot.ring !== undefined && snapshot.ring.length > 0 && snapshot.episode !== undefined);

  // The ring: version 2 kept positive counts in field 4 (here 7 in every bucket); the layout is the same.
  for (const b of snapshot.ring) b.sums[Field.Unread] = 7;
  const ringOnly = encodeKeySnapshot({ ...snapshot, episode: undefined });
  assert.deepEqual(decodeKeySnapshot(ringOnly).ring!.map((b) => b.sums[Field.Unread]), snapshot.ring.map(() => 7));
  const ringV2 = Uint8Array.from(ringOnly);
  ringV2[0] = 2;
  const decodedRing = decodeKeySnapshot(ringV2);
  assert.deepEqual(decodedRing.ring!.map((b) => b.sums[Field.Unread]), snapshot.ring.map(() => 0));
  assert.deepEqual({ ...decodedRing, ring: undefined }, { ...snapshot, ring: undefined, episode: undefined });

  // The episode (last in a snapshot without a ring): version 2 had neither the read total (the
  // fifth f64 of the totals) nor each course point's read count (its fourth f64).
  const e = snapshot.episode;
  const v3 = encodeKeySnapshot({ ...snapshot, ring: undefined });
  const tail = 4 + e.lastEvent.length;
  const courseStart = v3.length - tail - 32 * e.course.length;
  const readTotalAt = courseStart - 1 - 8;
  const parts: Uint8Array[] = [v3.subarray(0, readTotalAt), v3.subarray(readTotalAt + 8, courseStart)];
  for (let i = 0; i < e.course.length; i++) parts.push(v3.subarray(courseStart + 32 * i, courseStart + 32 * i + 24));
  parts.push(v3.subarray(v3.length - tail));
  const v2 = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (v2.set(p, at), at + p.length), 0);
  v2[0] = 2;
  const decoded = decodeKeySnapshot(v2).episode!;
  assert.equal(decoded.readMentions, e.totalMentions);
  assert.deepEqual(decoded.course, e.course.map((p) => ({ ...p, read: p.mentions })));
  assert.deepEqual({ ...decoded, readMentions: 0, course: [] }, { ...e, readMentions: 0, course: [] });
  const fresh = new DetectionEngine(config, scorer, () => undefined);
  assert.equal(fresh.importKey(v2), 'acme');
});

test("a version-1 snapshot (the exporter's engine-wide horizon, no alarm counts) is refused: the key starts cold", () => {
  const { engine } = run(MENTIONS.slice(0, 5000));
  const v1 = Uint8Array.from(engine.exportKey('calm')!);
  v1[0] = 1;
  const fresh = new DetectionEngine(config, scorer, () => undefined);
  assert.throws(() => fresh.importKey(v1), (err: unknown) => err instanceof SnapshotError && err.code === 'unknown_version');
  const next = MENTIONS.slice(5000).find((m) => m.key === 'calm')!;
  assert.equal(fresh.ingest(next), 'accepted', 'the cold key takes its next mention');
});

test('keysOf selects, dropKey forgets (a revoked partition), re-import restores', () => {
  const { engine } = run(MENTIONS.slice(0, 3000));
  assert.deepEqual(engine.keysOf((k) => k.startsWith('c')).sort(), ['calm']);
  const bytes = engine.exportKey('calm')!;
  const before = engine.stats();
  assert.equal(engine.dropKey('calm'), true);
  assert.equal(engine.dropKey('calm'), false);
  assert.equal(engine.exportKey('calm'), undefined);
  assert.equal(engine.stats().keysTracked, before.keysTracked - 1);
  assert.equal(engine.stats().keysActive, before.keysActive - 1);
  engine.importKey(bytes);
  assert.deepEqual(engine.stats(), before);
});

test('snapshot size per key', (t) => {
  const split = MENTIONS.findIndex((m) => m.tsMs >= T0 + 130 * MINUTE);
  const { engine } = run(MENTIONS.slice(0, split));
  const sizes: Record<string, number> = {};
  for (const key of engine.trackedKeys()) sizes[key] = engine.exportKey(key)!.length;
  t.diagnostic(`snapshot bytes per key mid-storm: ${JSON.stringify(sizes)}`);
  // A calm active key (5 mentions a minute): header, baselines, classifier and a 6-bucket ring.
  assert.ok(sizes.calm! < 700, `calm key ${sizes.calm} bytes`);
  // A quiet key outside the active set has no ring.
  assert.ok(sizes.sporadic! < 400, `quiet key ${sizes.sporadic} bytes`);
  // A storming key adds its episode, course, latest event (JSON, for the handover) and fuller sketches.
  assert.ok(sizes.acme! < 6000, `storming key ${sizes.acme} bytes`);
});
