import type { MentionInput } from '../../events/mention.js';
import { AuthorPool, engagementFor, type Author } from './authors.js';
import type { BrandProfile } from './brands.js';
import type { IncidentKind, SimulatorConfig } from './config.js';
import type { IncidentRuntime } from './incident-runtime.js';
import { WeightedChoice, type Rng } from './prng.js';
import { compiledPack, renderFrom, type TextContext } from './text.js';

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

const botSuffixes = ['', '', '!', '!!', ' ‼️', ' 😡', ' RT', ' #truth', ' !!!', ' 👇'];

/**
 * Writes the mentions the simulator's process decided on: language, text, author, engagement,
 * platform, timestamp and URL, drawing from the simulator's random stream in a fixed order.
 */
export class MentionWriter {
  private readonly seedTag: string;
  private readonly pools: readonly AuthorPool[];
  private readonly languages: WeightedChoice<string>;
  private readonly platforms: WeightedChoice<string>;
  private seq = 0;

  constructor(
    private readonly config: SimulatorConfig,
    brands: readonly BrandProfile[],
    private readonly rng: Rng,
  ) {
    this.seedTag = config.seed.toString(36);
    this.pools = brands.map((b) => new AuthorPool(config.seed, b.hash, b.authorPoolSize));
    this.languages = new WeightedChoice(Object.entries(config.languages));
    this.platforms = new WeightedChoice(Object.entries(config.platforms));
  }

  /** A background mention of `brand` at `tMs`, negative with probability `negativeShare` (raised by a drizzle). */
  background(brand: BrandProfile, tMs: number, negativeShare: number): SimulatedMention {
    const rng = this.rng;
    const lang = this.languages.sample(rng.next());
    const pack = compiledPack(lang);
    const share = negativeShare;
    const u = rng.next();
    let tone: Tone;
    let text: string;
    const tags = [`#${brand.compact}`];
    if (u < share) {
      tone = 'negative';
      text = renderFrom(share > this.config.negativeShare && rng.chance(0.5) ? 'drizzle' : 'complaint', { brand, pack, negative: true, tags, tagChance: 0.1 }, rng);
    } else {
      const v = (u - share) / (1 - share);
      const set = v < 0.35 ? 'praise' : v < 0.5 ? 'question' : 'neutral';
      tone = set === 'praise' ? 'positive' : 'neutral';
      text = renderFrom(set, { brand, pack, negative: false, tags, tagChance: 0.15 }, rng);
    }
    const author = this.pools[brand.index]!.regular(rng);
    return this.emit(tMs, brand, lang, author, text, tone, 1, 'background', undefined);
  }

  /** A mention `incident` adds at `tMs`. */
  fromIncident(incident: IncidentRuntime, tMs: number): SimulatedMention {
    const rng = this.rng;
    const brand = incident.brand;
    const pool = this.pools[brand.index]!;
    const kind = incident.scheduled.kind;
    const id = incident.scheduled.id;
    if (kind === 'bot_burst') {
      let text = incident.botText + rng.pick(botSuffixes);
      if (rng.chance(0.15)) text = text.toUpperCase();
      return this.emit(tMs, brand, 'en', pool.bot(incident.scheduled.index, rng), text, 'negative', 0.3, kind, id, 'x');
    }
    const lang = this.languages.sample(rng.next());
    const context = incidentContext(incident, lang);
    const u = rng.next();
    if (kind === 'drizzle') {
      const text = renderFrom(u < 0.6 ? 'drizzle' : 'complaint', context, rng);
      return this.emit(tMs, brand, lang, pool.regular(rng), text, 'negative', 1, kind, id);
    }
    const a = rng.next();
    if (kind === 'storm') {
      if (a < 0.06) {
        const text = renderFrom(u < 0.5 ? 'stormNews' : 'storm', context, rng);
        return this.emit(tMs, brand, lang, pool.influencer(rng), text, 'negative', 4, kind, id, u < 0.5 ? 'news' : undefined);
      }
      const author = a < 0.8 ? pool.crowd(rng) : pool.regular(rng);
      if (u < 0.88) return this.emit(tMs, brand, lang, author, renderFrom('storm', context, rng), 'negative', 2.5, kind, id);
      return this.emit(tMs, brand, lang, author, renderFrom('stormQuestion', context, rng), 'neutral', 1.5, kind, id);
    }
    // surge
    const author = a < 0.05 ? pool.influencer(rng) : a < 0.65 ? pool.crowd(rng) : pool.regular(rng);
    const heat = a < 0.05 ? 4 : 2;
    if (u < 0.68) return this.emit(tMs, brand, lang, author, renderFrom('surge', { ...context, negative: false }, rng), 'positive', heat, kind, id);
    if (u < 0.95) return this.emit(tMs, brand, lang, author, renderFrom('surgeNeutral', { ...context, negative: false }, rng), 'neutral', heat, kind, id);
    return this.emit(tMs, brand, lang, author, renderFrom('complaint', { ...context, negative: true }, rng), 'negative', 1, kind, id);
  }

  private emit(
    tMs: number,
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
    const tsMs = Math.floor(tMs);
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
}

/** What an incident's texts talk about, in language `lang`. */
function incidentContext(incident: IncidentRuntime, lang: string): TextContext {
  const pack = compiledPack(lang);
  const kind = incident.scheduled.kind;
  return {
    brand: incident.brand,
    pack,
    negative: kind !== 'surge',
    topicPhrases: incident.crisisTopic ? pack.pack.topics[incident.crisisTopic] : incident.customPhrase ? [incident.customPhrase] : undefined,
    themePhrases: incident.surgeTheme ? pack.pack.themes[incident.surgeTheme] : incident.customPhrase ? [incident.customPhrase] : undefined,
    tags: incident.tags,
    tagChance: kind === 'drizzle' ? 0.15 : 0.7,
  };
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
