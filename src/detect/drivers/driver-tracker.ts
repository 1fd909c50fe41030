import type { Drivers } from '../../events/classification.js';
import type { Mention } from '../../events/mention.js';
import { forEachTerm } from './terms.js';

const MAX_DISTINCT = 2000; // per tracker: a flood of unique words cannot grow it without bound
const SAMPLE_TEXT_CHARS = 280;

interface Sample {
  id: string;
  text: string;
  authorId: string | undefined;
  reach: number;
  sentiment: number;
  url: string | undefined;
}

/**
 * Background term frequencies over all keys: the "usual language" a hot key's terms are
 * compared with. Fed by a sample of mentions; counts decay so it follows the conversation.
 */
export class TermBackground {
  private readonly counts = new Map<string, number>();
  private total = 0;
  constructor(private readonly capacity = 20_000) {}

  observe(text: string): void {
    forEachTerm(text, (term) => {
      this.counts.set(term, (this.counts.get(term) ?? 0) + 1);
      this.total++;
    });
    if (this.counts.size > this.capacity) this.halve();
  }

  /** Relative frequency with add-one smoothing. */
  frequency(term: string): number {
    return ((this.counts.get(term) ?? 0) + 1) / (this.total + this.counts.size + 1);
  }

  private halve(): void {
    this.total = 0;
    for (const [term, count] of this.counts) {
      const half = Math.floor(count / 2);
      if (half === 0) this.counts.delete(term);
      else {
        this.counts.set(term, half);
        this.total += half;
      }
    }
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const current = map.get(key);
  if (current !== undefined) map.set(key, current + by);
  else if (map.size < MAX_DISTINCT) map.set(key, by);
}

/** An account with fewer followers than this has no audience: what freshly made sockpuppets look like. */
export const NO_AUDIENCE_FOLLOWERS = 10;

/** Mentions of a burst by what is known of their authors' audience (NO_AUDIENCE_FOLLOWERS). */
export interface Audience {
  readonly tracked: number;
  readonly known: number;
  readonly none: number;
}

/**
 * What a hot key's conversation is about: term and hashtag counts, top authors and the most
 * amplified negative posts. Exists only while a key is in an episode, on its way to one, or its
 * window scores above a low bar (src/detect/bucket-closer.ts), so calm keys pay nothing for it.
 */
export class DriverTracker {
  private readonly terms = new Map<string, number>();
  private readonly hashtags = new Map<string, number>();
  private readonly authors = new Map<string, number>();
  private readonly followers = new Map<string, number>();
  private readonly samples: Sample[] = [];
  private termTotal = 0;
  /** The burst's mentions by what is known of their authors' audience, counted in place. */
  private readonly counts = { tracked: 0, known: 0, none: 0 };

  constructor(private readonly maxSamples: number) {}

  observe(mention: Mention, reach: number, sentiment: number): void {
    this.counts.tracked++;
    if (mention.followers !== undefined) {
      this.counts.known++;
      if (mention.followers < NO_AUDIENCE_FOLLOWERS) this.counts.none++;
    }
    forEachTerm(mention.text, (term, isHashtag) => {
      bump(isHashtag ? this.hashtags : this.terms, term, 1);
      this.termTotal++;
    });
    if (mention.authorId !== undefined) {
      bump(this.authors, mention.authorId, 1);
      if (this.followers.has(mention.authorId) || this.followers.size < MAX_DISTINCT) this.followers.set(mention.authorId, mention.followers ?? 0);
    }
    if (sentiment < 0) this.offerSample(mention, reach, sentiment);
  }

  private offerSample(mention: Mention, reach: number, sentiment: number): void {
    if (this.maxSamples === 0) return;
    if (this.samples.length >= this.maxSamples && reach <= this.samples[this.samples.length - 1]!.reach) return;
    if (this.samples.some((s) => s.id === mention.id)) return;
    const sample: Sample = {
      id: mention.id,
      text: mention.text.length > SAMPLE_TEXT_CHARS ? mention.text.slice(0, SAMPLE_TEXT_CHARS - 1) + '…' : mention.text,
      authorId: mention.authorId,
      reach,
      sentiment,
      url: mention.url,
    };
    // Keep the list sorted by reach, descending, ties by id for determinism.
    let at = this.samples.findIndex((s) => s.reach < reach || (s.reach === reach && s.id > mention.id));
    if (at === -1) at = this.samples.length;
    this.samples.splice(at, 0, sample);
    if (this.samples.length > this.maxSamples) this.samples.pop();
  }

  /** The mentions since tracking began (the burst), those whose author's followers are known, and those from accounts with no audience: a live view, read at each bucket close. */
  audience(): Audience {
    return this.counts;
  }

  summarise(background: TermBackground, maxTerms: number): Drivers {
    const ranked = (map: Map<string, number>) =>
      [...map]
        .filter(([, count]) => count >= 2)
        .map(([term, count]) => ({ term, count, lift: round2(count / Math.max(1, this.termTotal) / background.frequency(term)) }))
        .sort((a, b) => b.lift * Math.log1p(b.count) - a.lift * Math.log1p(a.count) || (a.term < b.term ? -1 : 1))
        .slice(0, maxTerms);
    const authors = [...this.authors]
      .map(([id, mentions]) => ({ id, mentions, followers: this.followers.get(id) ?? 0 }))
      .sort((a, b) => b.mentions - a.mentions || b.followers - a.followers || (a.id < b.id ? -1 : 1))
      .slice(0, maxTerms);
    return {
      terms: ranked(this.terms),
      hashtags: ranked(this.hashtags),
      samples: this.samples.map((s) => ({
        id: s.id,
        text: s.text,
        ...(s.authorId !== undefined ? { authorId: s.authorId } : {}),
        reach: round2(s.reach),
        sentiment: round2(s.sentiment),
        ...(s.url !== undefined ? { url: s.url } : {}),
      })),
      authors,
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
