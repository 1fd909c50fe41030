/**
 * Replay streams built from real data in ../shared/data (read by path, never copied):
 *
 * - CrisisLexT26 keyword streams (`crisisStream`): one mention per collected tweet id, at the
 *   creation time the id encodes, so the volume curve is the real one, minute by minute. Only
 *   ~1,000 of an event's tweets have text (the labelled sample). A labelled id carries its own
 *   text. An unlabelled id before the published onset carries a text the crowd marked "Not
 *   related" (what the keyword stream carries when nothing happens); after the onset, the text of
 *   a labelled tweet near it in time (one of the 5 nearest, in turn), so the mix of harm, news,
 *   retweets and prayers follows the event's own course. Every tweet has its own author (the
 *   sample has no user ids). The key is the event's keyword stream.
 * - The airline complaint stream (`airlineStream`): the Twitter US Airline Sentiment set, every
 *   tweet of one airline at its timestamp, with its own text and author name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MentionInput } from '../../src/events/mention.js';
import { parseCsv, parseCsvRecords } from '../csv.js';

/** The tweet id's creation time: ms since 1970 = (id >> 22) + Twitter's epoch. */
export function tweetIdMs(id: string): number {
  return Number(BigInt(id) >> 22n) + 1_288_834_974_657;
}

/**
 * Published onsets (UTC) of the sudden events, from each event's Wikipedia article (the link in
 * its event_description.json), converted from local time. The progressive Colorado wildfires
 * have no single onset and are left out.
 */
export const CRISIS_ONSETS: Readonly<Record<string, { onset: string; lang: string }>> = {
  '2012_Costa_Rica_earthquake': { onset: '2012-09-05T14:42:00Z', lang: 'es' }, // 08:42 CST
  '2012_Italy_earthquakes': { onset: '2012-05-20T02:03:00Z', lang: 'it' }, // 04:03 CEST
  '2012_Venezuela_refinery': { onset: '2012-08-25T05:41:00Z', lang: 'es' }, // 01:11 VET (UTC-4:30)
  '2013_Brazil_nightclub_fire': { onset: '2013-01-27T04:30:00Z', lang: 'pt' }, // ~02:30 BRST
  '2013_Glasgow_helicopter_crash': { onset: '2013-11-29T22:22:00Z', lang: 'en' }, // 22:22 GMT
  '2013_LA_airport_shootings': { onset: '2013-11-01T16:18:00Z', lang: 'en' }, // 09:18 PDT
  '2013_Lac_Megantic_train_crash': { onset: '2013-07-06T05:14:00Z', lang: 'en' }, // 01:14 EDT
  '2013_NY_train_crash': { onset: '2013-12-01T12:20:00Z', lang: 'en' }, // 07:20 EST
  '2013_Russia_meteor': { onset: '2013-02-15T03:20:00Z', lang: 'en' }, // 09:20 YEKT
  '2013_Savar_building_collapse': { onset: '2013-04-24T02:57:00Z', lang: 'en' }, // 08:57 BST
  '2013_Spain_train_crash': { onset: '2013-07-24T18:41:00Z', lang: 'es' }, // 20:41 CEST
};

export interface CrisisStream {
  readonly event: string;
  readonly key: string;
  readonly onsetMs: number;
  /**
   * When the keyword stream first shows the event: the first tweet after the onset that begins
   * 10 minutes holding 10 tweets. Several collections only caught up hours after the onset
   * (English keywords for a night-time event abroad); no detector can see it earlier.
   */
  readonly visibleMs: number;
  /** Tweets collected before the onset: the key's whole history. */
  readonly before: number;
  readonly mentions: MentionInput[];
}

const VISIBLE_COUNT = 10;
const VISIBLE_SPAN_MS = 10 * 60_000;
const NEAREST = 5;

export function crisisEvents(dir: string): string[] {
  return readdirSync(dir)
    .filter((e) => CRISIS_ONSETS[e] !== undefined)
    .sort();
}

/** One event's keyword stream, from its collection start to `untilMs` after the onset. */
export function crisisStream(dir: string, event: string, untilMs = 24 * 3_600_000): CrisisStream {
  const meta = CRISIS_ONSETS[event];
  if (meta === undefined) throw new Error(`no published onset for ${event}`);
  const onsetMs = Date.parse(meta.onset);
  const folder = join(dir, event);
  const ids = parseCsv(readFileSync(join(folder, `${event}-tweetids_entire_period.csv`), 'utf8'))
    .slice(1)
    .map((r) => (r[1] ?? '').trim().replace(/"/g, ''))
    .filter((id) => /^\d+$/.test(id));
  const labelled = parseCsv(readFileSync(join(folder, `${event}-tweets_labeled.csv`), 'utf8'))
    .slice(1)
    .filter((r) => /^\d+$/.test((r[0] ?? '').trim()))
    .map((r) => ({ id: r[0]!.trim(), text: r[1] ?? '', related: !/^Not (related|applicable)$/.test((r[4] ?? '').trim()), ms: tweetIdMs(r[0]!.trim()) }))
    .sort((a, b) => a.ms - b.ms);
  const textOf = new Map(labelled.map((l) => [l.id, l.text]));
  const unrelated = labelled.filter((l) => !l.related);
  const times = labelled.map((l) => l.ms);
  const key = `crisis:${event}`;
  const timed = [...new Set(ids)].map((id) => ({ id, ms: tweetIdMs(id) })).filter((t) => t.ms < onsetMs + untilMs);
  timed.sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : 1));
  let turn = 0;
  const mentions: MentionInput[] = timed.map((t) => {
    let text = textOf.get(t.id);
    if (text === undefined) {
      turn++;
      if (t.ms < onsetMs && unrelated.length > 0) text = unrelated[turn % unrelated.length]!.text;
      else {
        const at = Math.min(lowerBound(times, t.ms) + (turn % NEAREST) - Math.floor(NEAREST / 2), labelled.length - 1);
        text = labelled[Math.max(0, at)]!.text;
      }
    }
    return { id: t.id, key, text, ts: t.ms, lang: meta.lang, author: { id: `u${t.id}` } };
  });
  const stamps = timed.map((t) => t.ms);
  let visibleMs = Number.NaN;
  for (let i = lowerBound(stamps, onsetMs); i < stamps.length; i++) {
    if (lowerBound(stamps, stamps[i]! + VISIBLE_SPAN_MS) - i >= VISIBLE_COUNT) {
      visibleMs = stamps[i]!;
      break;
    }
  }
  return { event, key, onsetMs, visibleMs, before: lowerBound(stamps, onsetMs), mentions };
}

/** Every tweet about `airline` in the airline set, in time order (a brand's complaint week). */
export function airlineStream(file: string, airline: string): MentionInput[] {
  const key = `airline:${airline}`;
  return parseCsvRecords(readFileSync(file, 'utf8'))
    .filter((r) => r['airline'] === airline && /^\d+$/.test(r['tweet_id'] ?? ''))
    .map((r) => ({ id: r['tweet_id']!, key, text: r['text'] ?? '', ts: Date.parse((r['tweet_created'] ?? '').replace(' ', 'T').replace(' ', '')), lang: 'en', author: { id: r['name'] || r['tweet_id']! } }))
    .filter((m) => Number.isFinite(m.ts))
    .sort((a, b) => (a.ts as number) - (b.ts as number));
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
