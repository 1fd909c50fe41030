import type { MentionInput } from '../../events/mention.js';
import { AuthorPool, engagementFor, type Author } from './authors.js';
import { brandProfile, type BrandProfile } from './brands.js';
import { resolveSimulatorConfig, type IncidentKind, type SimulatorConfig, type SimulatorConfigInput } from './config.js';
import { IncidentProfile, scheduleIncident, type ScheduledIncident } from './incidents.js';
import { AliasTable, Rng, WeightedChoice, hash32 } from './prng.js';
import { RateShape } from './rhythm.js';
import { compiledPack, renderFrom, renderTemplate, type TextContext } from './text.js';
import { crisisTopics, sectorTopics, surgeThemes, topicTagStems, type CrisisTopic, type SurgeTheme } from './vocabulary.js';

/**
 * The mention simulator: a non-homogeneous Poisson process per brand (base rate × daily rhythm ×
 * growth) plus one per scheduled incident, merged by thinning, so mentions come out in event-time
 * order. No I/O and no clock: time starts at `config.startMs` and only moves with the stream.
 */

export type Tone = 'negative' | 'neutral' | 'positive';

/** A mention with the simulator's ground truth beside it (never on the wire). */
export interface SimulatedMention {
  readonly mention: MentionInput;
  /** Event time, epoch ms (the same instant as `mention.ts`). */
  readonly tsMs: number;
  /** `background`, or the kind of the incident that produced the mention. */
  readonly source: 'background' | IncidentKind;
  readonly incidentId: string | undefined;
  /** The tone the text was written in. */
  readonly tone: Tone;
}

export interface Simulator extends Iterable<MentionInput> {
  readonly config: SimulatorConfig;
  /** The next mention, or undefined once `config.endMs` is reached (never, without endMs). */
  next(): MentionInput | undefined;
  /** The next mention with its ground truth. */
  nextLabelled(): SimulatedMention | undefined;
  /** Event time (epoch ms) of the mention `next()` will return, so an adapter can wait for it. */
  peekNextTs(): number | undefined;
  /** The incidents with their event-time windows, in config order. */
  scheduledIncidents(): readonly ScheduledIncident[];
  /** Expected mentions per minute for a brand at an event time (background plus incidents). */
  expectedRatePerMinute(key: string, tMs: number): number;
  /**
   * Expected number of mentions over [fromMs, toMs) for one key, or for all keys when `key` is
   * undefined: the rate integrated numerically in `stepMs` steps (midpoint rule).
   */
  expectedMentions(fromMs: number, toMs: number, key?: string, stepMs?: number): number;
  /** Mentions returned so far. */
  readonly emitted: number;
  labelled(): IterableIterator<SimulatedMention>;
}

/** Thinning works in chunks of event time; bounds are recomputed per chunk. */
const CHUNK_MS = 5 * 60_000;

interface IncidentRuntime {
  readonly scheduled: ScheduledIncident;
  readonly brand: BrandProfile;
  readonly profile: IncidentProfile;
  /** Extra mentions per ms at rhythm 1 and profile 1. */
  readonly extraPerMs: number;
  readonly crisisTopic: CrisisTopic | undefined;
  readonly surgeTheme: SurgeTheme | undefined;
  readonly customPhrase: string | undefined;
  readonly tags: readonly string[];
  /** Drizzle: negative share of the brand's background at the plateau. */
  readonly backgroundNegativeShare: number;
  /** Bot burst: the shared text the bots vary. */
  readonly botText: string;
}

const botSuffixes = ['', '', '!', '!!', ' ‼️', ' 😡', ' RT', ' #truth', ' !!!', ' 👇'];

class MentionSimulator implements Simulator {
  readonly config: SimulatorConfig;
  private readonly rng: Rng;
  private readonly shape: RateShape;
  private readonly brands: readonly BrandProfile[];
  private readonly brandByKey = new Map<string, BrandProfile>();
  private readonly pools: readonly AuthorPool[];
  private readonly brandPicker: AliasTable;
  private readonly totalRatePerMs: number;
  private readonly languages: WeightedChoice<string>;
  private readonly platforms: WeightedChoice<string>;
  private readonly incidents: readonly IncidentRuntime[];
  private readonly schedule: readonly ScheduledIncident[];
  private readonly byStart: readonly IncidentRuntime[];
  private readonly seedTag: string;

  private t: number;
  private chunkEndMs: number;
  private boundPerMs = 0;
  private nextIncident = 0;
  private active: IncidentRuntime[] = [];
  private pending: SimulatedMention | undefined;
  private done = false;
  private seq = 0;
  emitted = 0;

  constructor(config: SimulatorConfig) {
    this.config = config;
    this.rng = new Rng(config.seed, 1);
    this.seedTag = config.seed.toString(36);
    this.shape = new RateShape(config.startMs, config.dailyRhythm, config.utcOffsetMinutes, config.growthPerDay);
    this.brands = config.brands.map((b, i) => brandProfile(b, i));
    for (const brand of this.brands) this.brandByKey.set(brand.key, brand);
    this.pools = this.brands.map((b) => new AuthorPool(config.seed, b.hash, b.authorPoolSize));
    this.brandPicker = new AliasTable(this.brands.map((b) => b.ratePerMs));
    this.totalRatePerMs = this.brands.reduce((sum, b) => sum + b.ratePerMs, 0);
    this.languages = new WeightedChoice(Object.entries(config.languages));
    this.platforms = new WeightedChoice(Object.entries(config.platforms));
    this.incidents = config.incidents.map((_, index) => this.prepareIncident(index));
    this.schedule = Object.freeze(this.incidents.map((i) => i.scheduled));
    this.byStart = [...this.incidents].sort((a, b) => a.scheduled.startMs - b.scheduled.startMs || a.scheduled.index - b.scheduled.index);
    this.t = config.startMs;
    this.chunkEndMs = config.startMs;
  }

  private prepareIncident(index: number): IncidentRuntime {
    const config = this.config.incidents[index]!;
    const brand = this.brandByKey.get(config.key)!;
    // Per-incident choices come from their own stream, so adding an incident changes nothing else.
    const local = new Rng(hash32(this.config.seed, index, brand.hash), 2);
    let crisisTopic: CrisisTopic | undefined;
    let surgeTheme: SurgeTheme | undefined;
    let customPhrase: string | undefined;
    let topic: string | undefined;
    if (config.kind === 'storm') {
      if (config.topic === undefined) crisisTopic = local.pick(sectorTopics[brand.sector]);
      else if ((crisisTopics as readonly string[]).includes(config.topic)) crisisTopic = config.topic as CrisisTopic;
      else customPhrase = config.topic.replace(/[_-]+/g, ' ');
      topic = crisisTopic ?? config.topic;
    } else if (config.kind === 'surge') {
      if (config.topic === undefined) surgeTheme = local.pick(surgeThemes);
      else if ((surgeThemes as readonly string[]).includes(config.topic)) surgeTheme = config.topic as SurgeTheme;
      else customPhrase = config.topic.replace(/[_-]+/g, ' ');
      topic = surgeTheme ?? config.topic;
    }
    const scheduled = Object.freeze(scheduleIncident(config, index, this.config.startMs, topic));
    const s = brand.short;
    let tags: string[];
    switch (config.kind) {
      case 'storm': {
        const stem = crisisTopic ? topicTagStems[crisisTopic] : 'fail';
        tags = [`#${s}fail`, `#boycott${s}`, `#${s}${stem}`, `#${s}${stem}`, `#${brand.compact}`];
        break;
      }
      case 'surge':
        tags = [`#${brand.compact}`, `#${s}${surgeTheme === 'launch' ? 'launch' : 'ad'}`, '#viral'];
        break;
      case 'drizzle':
        tags = [`#${brand.compact}`, '#customerservice'];
        break;
      case 'bot_burst':
        tags = [`#boycott${s}`, `#${s}scam`];
        break;
    }
    const peak = scheduled.peakMultiplier;
    const baseNegative = this.config.negativeShare;
    // Drizzle: extra mentions are all complaints; the brand's background turns negative too, so the
    // plateau reaches the target share: (bg·1 + (peak−1)) / peak = target.
    const backgroundNegativeShare =
      config.kind === 'drizzle' ? Math.min(1, Math.max(baseNegative, scheduled.peakNegativeShare * peak - (peak - 1))) : baseNegative;
    let botText = '';
    if (config.kind === 'bot_burst') {
      const pack = compiledPack('en');
      botText = renderTemplate(local.pick(pack.templates.bot), { brand, pack, negative: true, tags, tagChance: 1 }, local);
    }
    return {
      scheduled,
      brand,
      profile: IncidentProfile.forKind(config.kind, scheduled.startMs, config.durationMs),
      extraPerMs: brand.ratePerMs * (peak - 1),
      crisisTopic,
      surgeTheme,
      customPhrase,
      tags,
      backgroundNegativeShare,
      botText,
    };
  }

  scheduledIncidents(): readonly ScheduledIncident[] {
    return this.schedule;
  }

  expectedRatePerMinute(key: string, tMs: number): number {
    const brand = this.brandByKey.get(key);
    if (!brand) return 0;
    let perMs = brand.ratePerMs;
    for (const incident of this.incidents) {
      if (incident.brand === brand) perMs += incident.extraPerMs * incident.profile.at(tMs);
    }
    return perMs * this.shape.at(tMs) * 60_000;
  }

  expectedMentions(fromMs: number, toMs: number, key?: string, stepMs = 60_000): number {
    const brand = key === undefined ? undefined : this.brandByKey.get(key);
    if (key !== undefined && brand === undefined) return 0;
    const basePerMs = brand === undefined ? this.totalRatePerMs : brand.ratePerMs;
    const incidents = this.incidents.filter((i) => (brand === undefined || i.brand === brand) && i.scheduled.endMs > fromMs && i.scheduled.startMs < toMs);
    let total = 0;
    for (let a = fromMs; a < toMs; a += stepMs) {
      const width = Math.min(stepMs, toMs - a);
      const mid = a + width / 2;
      let perMs = basePerMs;
      for (const incident of incidents) perMs += incident.extraPerMs * incident.profile.at(mid);
      total += perMs * this.shape.at(mid) * width;
    }
    return total;
  }

  private startChunk(): void {
    const from = this.t;
    const to = from + CHUNK_MS;
    this.chunkEndMs = to;
    if (this.active.some((i) => i.scheduled.endMs <= from)) this.active = this.active.filter((i) => i.scheduled.endMs > from);
    while (this.nextIncident < this.byStart.length && this.byStart[this.nextIncident]!.scheduled.startMs < to) {
      const incident = this.byStart[this.nextIncident++]!;
      if (incident.scheduled.endMs > from) this.active.push(incident);
    }
    const shapeMax = this.shape.maxRhythmBetween(from, to) * Math.max(this.shape.growth(from), this.shape.growth(to));
    let bound = this.totalRatePerMs;
    for (const incident of this.active) bound += incident.extraPerMs * incident.profile.maxBetween(from, to);
    // A hair above the exact bound guards against rounding at the chunk's edges.
    this.boundPerMs = bound * shapeMax * 1.000001;
  }

  private generate(): SimulatedMention | undefined {
    const rng = this.rng;
    const endMs = this.config.endMs;
    for (;;) {
      if (this.t >= this.chunkEndMs) this.startChunk();
      this.t += rng.exponential(this.boundPerMs);
      if (this.t >= this.chunkEndMs) {
        this.t = this.chunkEndMs;
        if (endMs !== undefined && this.t >= endMs) return undefined;
        continue;
      }
      if (endMs !== undefined && this.t >= endMs) return undefined;
      const shape = this.shape.at(this.t);
      let x = rng.next() * this.boundPerMs - this.totalRatePerMs * shape;
      if (x < 0) return this.background(this.brands[this.brandPicker.sample(rng.next())]!);
      for (const incident of this.active) {
        x -= incident.extraPerMs * shape * incident.profile.at(this.t);
        if (x < 0) return this.fromIncident(incident);
      }
      // Rejected candidate: thinning.
    }
  }

  private backgroundNegativeShare(brand: BrandProfile): number {
    let share = this.config.negativeShare;
    for (const incident of this.active) {
      if (incident.brand === brand && incident.scheduled.kind === 'drizzle') {
        const p = incident.profile.at(this.t);
        if (p > 0) share = Math.max(share, share + (incident.backgroundNegativeShare - share) * p);
      }
    }
    return share;
  }

  private background(brand: BrandProfile): SimulatedMention {
    const rng = this.rng;
    const lang = this.languages.sample(rng.next());
    const pack = compiledPack(lang);
    const negativeShare = this.backgroundNegativeShare(brand);
    const u = rng.next();
    let tone: Tone;
    let text: string;
    const tags = [`#${brand.compact}`];
    if (u < negativeShare) {
      tone = 'negative';
      text = renderFrom(negativeShare > this.config.negativeShare && rng.chance(0.5) ? 'drizzle' : 'complaint', { brand, pack, negative: true, tags, tagChance: 0.1 }, rng);
    } else {
      const v = (u - negativeShare) / (1 - negativeShare);
      const set = v < 0.35 ? 'praise' : v < 0.5 ? 'question' : 'neutral';
      tone = set === 'praise' ? 'positive' : 'neutral';
      text = renderFrom(set, { brand, pack, negative: false, tags, tagChance: 0.15 }, rng);
    }
    const author = this.pools[brand.index]!.regular(rng);
    return this.emit(brand, lang, author, text, tone, 1, 'background', undefined);
  }

  private fromIncident(incident: IncidentRuntime): SimulatedMention {
    const rng = this.rng;
    const brand = incident.brand;
    const pool = this.pools[brand.index]!;
    const kind = incident.scheduled.kind;
    if (kind === 'bot_burst') {
      let text = incident.botText + rng.pick(botSuffixes);
      if (rng.chance(0.15)) text = text.toUpperCase();
      return this.emit(brand, 'en', pool.bot(incident.scheduled.index, rng), text, 'negative', 0.3, kind, incident.scheduled.id, 'x');
    }
    const lang = this.languages.sample(rng.next());
    const pack = compiledPack(lang);
    const context: TextContext = {
      brand,
      pack,
      negative: kind !== 'surge',
      topicPhrases: incident.crisisTopic ? pack.pack.topics[incident.crisisTopic] : incident.customPhrase ? [incident.customPhrase] : undefined,
      themePhrases: incident.surgeTheme ? pack.pack.themes[incident.surgeTheme] : incident.customPhrase ? [incident.customPhrase] : undefined,
      tags: incident.tags,
      tagChance: kind === 'drizzle' ? 0.15 : 0.7,
    };
    const u = rng.next();
    if (kind === 'drizzle') {
      const text = renderFrom(u < 0.6 ? 'drizzle' : 'complaint', context, rng);
      return this.emit(brand, lang, pool.regular(rng), text, 'negative', 1, kind, incident.scheduled.id);
    }
    const a = rng.next();
    if (kind === 'storm') {
      if (a < 0.06) {
        const text = renderFrom(u < 0.5 ? 'stormNews' : 'storm', context, rng);
        return this.emit(brand, lang, pool.influencer(rng), text, 'negative', 4, kind, incident.scheduled.id, u < 0.5 ? 'news' : undefined);
      }
      const author = a < 0.8 ? pool.crowd(rng) : pool.regular(rng);
      if (u < 0.88) return this.emit(brand, lang, author, renderFrom('storm', context, rng), 'negative', 2.5, kind, incident.scheduled.id);
      return this.emit(brand, lang, author, renderFrom('stormQuestion', context, rng), 'neutral', 1.5, kind, incident.scheduled.id);
    }
    // surge
    const author = a < 0.05 ? pool.influencer(rng) : a < 0.65 ? pool.crowd(rng) : pool.regular(rng);
    const heat = a < 0.05 ? 4 : 2;
    if (u < 0.68) return this.emit(brand, lang, author, renderFrom('surge', { ...context, negative: false }, rng), 'positive', heat, kind, incident.scheduled.id);
    if (u < 0.95) return this.emit(brand, lang, author, renderFrom('surgeNeutral', { ...context, negative: false }, rng), 'neutral', heat, kind, incident.scheduled.id);
    return this.emit(brand, lang, author, renderFrom('complaint', { ...context, negative: true }, rng), 'negative', 1, kind, incident.scheduled.id);
  }

  private emit(
    brand: BrandProfile,
    lang: string,
    author: Author,
    text: string,
    tone: Tone,
    heat: number,
    source: SimulatedMention['source'],
    incidentId: string | undefined,
    platformOverride?: string,
  ): SimulatedMention {
    const rng = this.rng;
    const tsMs = Math.floor(this.t);
    const seq = this.seq++;
    const platform = platformOverride ?? this.platforms.sample(rng.next());
    const format = this.config.timestampFormat;
    const ts = format === 'epochMs' || (format === 'mixed' && rng.chance(0.5)) ? tsMs : new Date(tsMs).toISOString();
    const mention: MentionInput = {
      id: `sim-${this.seedTag}-${seq.toString(36)}`,
      key: brand.key,
      text,
      ts,
      author: { id: author.id, followers: author.followers, verified: author.verified },
      engagement: engagementFor(author.followers, heat, rng),
      lang,
      platform,
    };
    const url = urlFor(platform, author.id, brand, tsMs, seq);
    if (url !== undefined) mention.url = url;
    return { mention, tsMs, source, incidentId, tone };
  }

  nextLabelled(): SimulatedMention | undefined {
    if (this.pending === undefined && !this.done) {
      this.pending = this.generate();
      if (this.pending === undefined) this.done = true;
    }
    const out = this.pending;
    this.pending = undefined;
    if (out !== undefined) this.emitted++;
    return out;
  }

  next(): MentionInput | undefined {
    return this.nextLabelled()?.mention;
  }

  peekNextTs(): number | undefined {
    if (this.pending === undefined && !this.done) {
      this.pending = this.generate();
      if (this.pending === undefined) this.done = true;
    }
    return this.pending?.tsMs;
  }

  *[Symbol.iterator](): IterableIterator<MentionInput> {
    for (let m = this.next(); m !== undefined; m = this.next()) yield m;
  }

  *labelled(): IterableIterator<SimulatedMention> {
    for (let m = this.nextLabelled(); m !== undefined; m = this.nextLabelled()) yield m;
  }
}

function urlFor(platform: string, handle: string, brand: BrandProfile, tsMs: number, seq: number): string | undefined {
  const id = `${tsMs}${String(seq % 100_000).padStart(5, '0')}`;
  switch (platform) {
    case 'x':
      return `https://x.com/${handle}/status/${id}`;
    case 'instagram':
      return `https://www.instagram.com/p/${(tsMs * 7 + seq).toString(36)}/`;
    case 'facebook':
      return `https://www.facebook.com/${handle}/posts/${id}`;
    case 'reddit':
      return `https://www.reddit.com/r/${brand.compact}/comments/${(seq + 1e9).toString(36)}/`;
    case 'tiktok':
      return `https://www.tiktok.com/@${handle}/video/${id}`;
    case 'mastodon':
      return `https://mastodon.social/@${handle}/${id}`;
    case 'news':
      return `https://news.example.com/${brand.key}/${id}`;
    case 'forum':
      return `https://forum.example.org/t/${brand.key}/${seq}`;
    default:
      return undefined;
  }
}

/** Builds a simulator; throws `SimulatorConfigError` listing every config problem. */
export function createSimulator(config: SimulatorConfigInput = {}): Simulator {
  return new MentionSimulator(resolveSimulatorConfig(config));
}
