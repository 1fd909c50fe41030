import type { Level } from '../events/classification.js';
import type { ClassifierState } from './classifier/classifier.js';
import { HLL_REGISTERS } from './hll.js';
import type { AlarmSnapshot, EpisodeSnapshot, KeySnapshot, NegativitySnapshot, RateSnapshot, RingBucketSnapshot } from './snapshot-types.js';
import { Field, FIELDS } from './window/bucket-ring.js';

/**
 * A versioned binary snapshot of one key's detection state: its window ring (only the buckets
 * still in play), rate and negativity baselines, classifier state machine and open episode.
 * The driver tracker (terms, samples of a hot key) and the engine-wide term background are not
 * in it: both are rebuilt from the mentions that follow (see docs/state.md).
 *
 * Layout (little-endian), version 3. Version 2 has positive counts where version 3 has the unread
 * ones (ring sum 4), and no read counts in the episode: it is read as if every mention was read. Version 1,
 * whose streamTimeMs and lateThroughBucket were the exporting engine's, shared by every key, and
 * whose ring had no alarm counts, is refused: such a key starts cold.
 *   u8 version, u8 flags (1 = ring, 2 = episode), u16 key length, key (UTF-8),
 *   u32 bucketMs, f64 streamTimeMs, f64 lateThroughBucket, f64 closedThrough, f64 lastDataBucket,
 *   rate: 7 × f64, season 24 × f32, seasonVisits 24 × u16,
 *   negativity: 4 × f64, alarm: 2 × f64,
 *   classifier: u8 state, u8 candidate, u32 candidateRun, f64 candidateOnsetMs, u32 quietRun,
 *     u32 lowRun, 3 × f64 cooldown (storm, drizzle, surge),
 *   [episode: u8 level, u8 level it opened as, f64 level changed at, f64 onsetMs, f64 startedAtMs, u32 sequence, f64 peakSeverity,
 *     f64 lastAnnouncedSeverity, u8 flags (1 subsided, 2 coordinated), u32 escalations, 5 × f64 peaks and totals
 *     (version 2: 4, without the read mentions), u8 course length, course × 4 × f64 (at, mentions,
 *     negative, read; version 2: 3, without read), u32 length + the latest event as JSON],
 *   [ring: u8 buckets, each: i16 bucket − closedThrough, 6 × f32 sums (mentions, weight, negative,
 *     negative intensity, unread, alarm), 2 sparse sketches
 *     (u32 bitmap of non-zero registers, then their values)].
 * Numbers are stored at the precision the engine keeps them, so a restore is exact.
 */
export const SNAPSHOT_VERSION = 3;
/** The previous version, still read (see the layout). */
const READABLE_OLDER_VERSION = 2;

const FLAG_RING = 1;
const FLAG_EPISODE = 2;
const HOURS = 24;
const LEVELS: readonly Level[] = ['storm', 'drizzle', 'surge'];
const STATES: readonly ClassifierState['state'][] = ['calm', 'storm', 'drizzle', 'surge'];

export type SnapshotErrorCode = 'unknown_version' | 'malformed' | 'config_mismatch';

/** A snapshot that cannot be restored: of another version, damaged, or taken under another bucket width or a longer ring. */
export class SnapshotError extends Error {
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function sparseSketchSize(sketch: Uint8Array, offset: number): number {
  let n = 4;
  for (let i = 0; i < HLL_REGISTERS; i++) if (sketch[offset + i] !== 0) n++;
  return n;
}

function encodedSize(s: KeySnapshot, keyBytes: Uint8Array): number {
  let n = 1 + 1 + 2 + keyBytes.length + 4 + 8 * 4;
  n += 7 * 8 + HOURS * 4 + HOURS * 2;
  n += 4 * 8 + 2 * 8;
  n += 2 + 4 + 8 + 4 + 4 + 3 * 8;
  if (s.episode !== undefined) n += 1 + 1 + 8 + 8 + 8 + 4 + 8 + 8 + 1 + 4 + 5 * 8 + 1 + s.episode.course.length * 32 + 4 + s.episode.lastEvent.length;
  if (s.ring !== undefined) {
    n += 1;
    for (const b of s.ring) n += 2 + FIELDS * 4 + sparseSketchSize(b.sketches, 0) + sparseSketchSize(b.sketches, HLL_REGISTERS);
  }
  return n;
}

class Writer {
  private at = 0;
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(x: number): void {
    this.view.setUint8(this.at, x);
    this.at += 1;
  }
  u16(x: number): void {
    this.view.setUint16(this.at, x, true);
    this.at += 2;
  }
  i16(x: number): void {
    this.view.setInt16(this.at, x, true);
    this.at += 2;
  }
  u32(x: number): void {
    this.view.setUint32(this.at, x, true);
    this.at += 4;
  }
  f32(x: number): void {
    this.view.setFloat32(this.at, x, true);
    this.at += 4;
  }
  f64(x: number): void {
    this.view.setFloat64(this.at, x, true);
    this.at += 8;
  }
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.at);
    this.at += b.length;
  }
  sketch(sketch: Uint8Array, offset: number): void {
    let bitmap = 0;
    for (let i = 0; i < HLL_REGISTERS; i++) if (sketch[offset + i] !== 0) bitmap |= 1 << i;
    this.u32(bitmap >>> 0);
    for (let i = 0; i < HLL_REGISTERS; i++) if (sketch[offset + i] !== 0) this.u8(sketch[offset + i]!);
  }
  get length(): number {
    return this.at;
  }
}

class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): number {
    if (this.at + n > this.bytes.length) throw new SnapshotError('malformed', `snapshot truncated at byte ${this.at}`);
    const at = this.at;
    this.at += n;
    return at;
  }
  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.need(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }
  raw(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }
  sketch(into: Uint8Array, offset: number): void {
    const bitmap = this.u32();
    for (let i = 0; i < HLL_REGISTERS; i++) if ((bitmap >>> i) & 1) into[offset + i] = this.u8();
  }
  get done(): boolean {
    return this.at === this.bytes.length;
  }
}

function levelCode(level: Level | undefined): number {
  return level === undefined ? 0 : LEVELS.indexOf(level) + 1;
}

function episodeFlags(bits: number): { subsided: boolean; coordinated: boolean } {
  return { subsided: (bits & 1) !== 0, coordinated: (bits & 2) !== 0 };
}

function levelOf(code: number): Level | undefined {
  if (code === 0) return undefined;
  const level = LEVELS[code - 1];
  if (level === undefined) throw new SnapshotError('malformed', `unknown level code ${code}`);
  return level;
}

function writeRate(w: Writer, r: RateSnapshot): void {
  for (const x of [r.level, r.weightPerMention, r.volumeDispersion, r.weightDispersion, r.bucketsSeen, r.authorsPerMention, r.textsPerMention]) w.f64(x);
  for (let h = 0; h < HOURS; h++) w.f32(r.season[h]!);
  for (let h = 0; h < HOURS; h++) w.u16(r.seasonVisits[h]!);
}

function writeClassifier(w: Writer, c: ClassifierState): void {
  w.u8(STATES.indexOf(c.state));
  w.u8(levelCode(c.candidate));
  w.u32(c.candidateRun);
  w.f64(c.candidateOnsetMs);
  w.u32(c.quietRun);
  w.u32(c.lowRun);
  w.f64(c.cooldownUntilMs.storm);
  w.f64(c.cooldownUntilMs.drizzle);
  w.f64(c.cooldownUntilMs.surge);
}

function writeEpisode(w: Writer, e: EpisodeSnapshot): void {
  w.u8(levelCode(e.level));
  w.u8(levelCode(e.openedAs));
  w.f64(e.levelChangedAtMs);
  w.f64(e.onsetMs);
  w.f64(e.startedAtMs);
  w.u32(e.sequence);
  w.f64(e.peakSeverity);
  w.f64(e.lastAnnouncedSeverity);
  w.u8((e.subsided ? 1 : 0) | (e.coordinated ? 2 : 0));
  w.u32(e.escalations);
  for (const x of [e.peakMentionsPerMinute, e.peakRateRatio, e.totalMentions, e.negativeMentions, e.readMentions]) w.f64(x);
  if (e.course.length > 255) throw new SnapshotError('malformed', 'episode course longer than 255 points');
  w.u8(e.course.length);
  for (const p of e.course) {
    w.f64(p.atMs);
    w.f64(p.mentions);
    w.f64(p.negative);
    w.f64(p.read);
  }
  w.u32(e.lastEvent.length);
  w.raw(e.lastEvent);
}

/** Ring buckets are stored relative to `closedThrough`, which they lie close to. */
function writeRing(w: Writer, ring: readonly RingBucketSnapshot[], closedThrough: number): void {
  if (ring.length > 255) throw new SnapshotError('malformed', 'more than 255 ring buckets');
  w.u8(ring.length);
  for (const b of ring) {
    const delta = b.bucket - closedThrough;
    if (delta < -32768 || delta > 32767) throw new SnapshotError('malformed', `ring bucket ${b.bucket} too far from closedThrough`);
    w.i16(delta);
    for (let f = 0; f < FIELDS; f++) w.f32(b.sums[f]!);
    w.sketch(b.sketches, 0);
    w.sketch(b.sketches, HLL_REGISTERS);
  }
}

/** Encodes a key's snapshot (about 0.3-0.6 kB for a typical key; see docs/state.md). */
export function encodeKeySnapshot(s: KeySnapshot): Uint8Array {
  const keyBytes = encoder.encode(s.key);
  if (keyBytes.length > 0xffff) throw new SnapshotError('malformed', 'key longer than 65535 bytes');
  const w = new Writer(encodedSize(s, keyBytes));
  w.u8(SNAPSHOT_VERSION);
  w.u8((s.ring !== undefined ? FLAG_RING : 0) | (s.episode !== undefined ? FLAG_EPISODE : 0));
  w.u16(keyBytes.length);
  w.raw(keyBytes);
  w.u32(s.bucketMs);
  w.f64(s.streamTimeMs);
  w.f64(s.lateThroughBucket);
  w.f64(s.closedThrough);
  w.f64(s.lastDataBucket);
  writeRate(w, s.rate);
  const n = s.negativity;
  for (const x of [n.usualMentions, n.usualNegative, n.slowMentions, n.slowNegative]) w.f64(x);
  w.f64(s.alarm.usualMentions);
  w.f64(s.alarm.usualAlarmed);
  writeClassifier(w, s.classifier);
  if (s.episode !== undefined) writeEpisode(w, s.episode);
  if (s.ring !== undefined) writeRing(w, s.ring, s.closedThrough);
  if (w.length !== w.bytes.length) throw new Error(`snapshot size mismatch: wrote ${w.length} of ${w.bytes.length}`);
  return w.bytes;
}

function readKey(r: Reader): string {
  try {
    return decoder.decode(r.raw(r.u16()));
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError('malformed', 'key is not valid UTF-8');
  }
}

function readRate(r: Reader): RateSnapshot {
  const rate: RateSnapshot = {
    level: r.f64(),
    weightPerMention: r.f64(),
    volumeDispersion: r.f64(),
    weightDispersion: r.f64(),
    bucketsSeen: r.f64(),
    authorsPerMention: r.f64(),
    textsPerMention: r.f64(),
    season: new Float32Array(HOURS),
    seasonVisits: new Uint16Array(HOURS),
  };
  for (let h = 0; h < HOURS; h++) rate.season[h] = r.f32();
  for (let h = 0; h < HOURS; h++) rate.seasonVisits[h] = r.u16();
  return rate;
}

function readClassifier(r: Reader): ClassifierState {
  const state = STATES[r.u8()];
  if (state === undefined) throw new SnapshotError('malformed', 'unknown classifier state');
  return {
    state,
    candidate: levelOf(r.u8()),
    candidateRun: r.u32(),
    candidateOnsetMs: r.f64(),
    quietRun: r.u32(),
    lowRun: r.u32(),
    cooldownUntilMs: { storm: r.f64(), drizzle: r.f64(), surge: r.f64() },
  };
}

function readEpisode(r: Reader, version: number): EpisodeSnapshot {
  const older = version === READABLE_OLDER_VERSION;
  const level = levelOf(r.u8());
  const openedAs = levelOf(r.u8());
  if (level === undefined || openedAs === undefined) throw new SnapshotError('malformed', 'episode without a level');
  const e: EpisodeSnapshot = {
    level,
    openedAs,
    levelChangedAtMs: r.f64(),
    onsetMs: r.f64(),
    startedAtMs: r.f64(),
    sequence: r.u32(),
    peakSeverity: r.f64(),
    lastAnnouncedSeverity: r.f64(),
    ...episodeFlags(r.u8()),
    escalations: r.u32(),
    peakMentionsPerMinute: r.f64(),
    peakRateRatio: r.f64(),
    totalMentions: r.f64(),
    negativeMentions: r.f64(),
    readMentions: 0,
    course: [],
    lastEvent: new Uint8Array(0),
  };
  e.readMentions = older ? e.totalMentions : r.f64();
  const points = r.u8();
  for (let i = 0; i < points; i++) {
    const atMs = r.f64();
    const mentions = r.f64();
    const negative = r.f64();
    e.course.push({ atMs, mentions, negative, read: older ? mentions : r.f64() });
  }
  e.lastEvent = Uint8Array.from(r.raw(r.u32()));
  return e;
}

function readRing(r: Reader, closedThrough: number, version: number): RingBucketSnapshot[] {
  const ring: RingBucketSnapshot[] = [];
  const count = r.u8();
  for (let i = 0; i < count; i++) {
    const bucket = closedThrough + r.i16();
    const sums = new Float32Array(FIELDS);
    for (let f = 0; f < FIELDS; f++) sums[f] = r.f32();
    if (version === READABLE_OLDER_VERSION) sums[Field.Unread] = 0;
    const sketches = new Uint8Array(2 * HLL_REGISTERS);
    r.sketch(sketches, 0);
    r.sketch(sketches, HLL_REGISTERS);
    ring.push({ bucket, sums, sketches });
  }
  return ring;
}

/** Decodes a snapshot; throws `SnapshotError` for another version or damaged bytes. */
export function decodeKeySnapshot(bytes: Uint8Array): KeySnapshot {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== SNAPSHOT_VERSION && version !== READABLE_OLDER_VERSION) throw new SnapshotError('unknown_version', `snapshot version ${version}, this build reads versions ${READABLE_OLDER_VERSION} and ${SNAPSHOT_VERSION}`);
  const flags = r.u8();
  const key = readKey(r);
  const bucketMs = r.u32();
  const streamTimeMs = r.f64();
  const lateThroughBucket = r.f64();
  const closedThrough = r.f64();
  const lastDataBucket = r.f64();
  const rate = readRate(r);
  const negativity: NegativitySnapshot = { usualMentions: r.f64(), usualNegative: r.f64(), slowMentions: r.f64(), slowNegative: r.f64() };
  const alarm: AlarmSnapshot = { usualMentions: r.f64(), usualAlarmed: r.f64() };
  const classifier = readClassifier(r);
  const episode = flags & FLAG_EPISODE ? readEpisode(r, version) : undefined;
  const ring = flags & FLAG_RING ? readRing(r, closedThrough, version) : undefined;
  if (!r.done) throw new SnapshotError('malformed', 'trailing bytes after the snapshot');
  return { key, bucketMs, streamTimeMs, lateThroughBucket, closedThrough, lastDataBucket, ring, rate, negativity, alarm, classifier, episode };
}
