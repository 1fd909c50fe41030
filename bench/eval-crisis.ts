/**
 * Real-stream replays: each sudden CrisisLexT26 event's keyword stream and each airline's
 * complaint week (bench/crisis/streams.ts says how the streams are made), through the replay
 * pipeline with the service's defaults. Usage:
 *   npm run eval:crisis -- [--data <shared data dir>]
 * Prints, per crisis, the first event after the published onset and its delay, the delay of the
 * first storm-level event from the onset and from when the stream first shows the event, and
 * any event before the onset; per airline, the events by type.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DetectionConfig } from '../src/detect/config.js';
import { crisisVerdict, replay } from './crisis/replay.js';
import { airlineStream, crisisEvents, crisisStream } from './crisis/streams.js';
import { REPO_ROOT } from './eval-nab.js';

export const AIRLINES = ['United', 'US Airways', 'American', 'Southwest', 'Delta', 'Virgin America'] as const;
/** A storm is "on time" within this long of the later of the onset and the stream showing it. */
export const STORM_WITHIN_MS = 15 * 60_000;

export interface CrisisRow {
  readonly event: string;
  readonly before: number;
  readonly early: number;
  readonly firstType: string;
  readonly firstDelayMin: number;
  readonly stormFromOnsetMin: number;
  readonly stormFromVisibleMin: number;
  readonly episodes: number;
  /** Storm-level within STORM_WITHIN_MS of the visible onset and nothing before the onset. */
  readonly onTime: boolean;
}

export interface CrisisReport {
  readonly crises: readonly CrisisRow[];
  readonly airlines: readonly { airline: string; mentions: number; storms: number; types: string }[];
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

export function runCrisis(dataDir: string, detection: Partial<DetectionConfig> = {}, only?: readonly string[]): CrisisReport {
  const dir = join(dataDir, 'crisis', 'crisislex_t26');
  const crises: CrisisRow[] = [];
  for (const event of crisisEvents(dir).filter((e) => only === undefined || only.includes(e))) {
    const s = crisisStream(dir, event);
    const v = crisisVerdict(replay(s.mentions, detection), s.onsetMs);
    const stormMs = v.storm === undefined ? Number.NaN : Date.parse(v.storm.at);
    const from = Math.max(s.onsetMs, s.visibleMs);
    crises.push({
      event,
      before: s.before,
      early: v.early,
      firstType: v.first?.type ?? '-',
      firstDelayMin: v.first === undefined ? Number.NaN : minutes(Date.parse(v.first.at) - s.onsetMs),
      stormFromOnsetMin: minutes(stormMs - s.onsetMs),
      stormFromVisibleMin: minutes(stormMs - from),
      episodes: v.episodes,
      onTime: v.early === 0 && stormMs - from <= STORM_WITHIN_MS,
    });
  }
  const file = join(dataDir, 'sentiment', 'airline_tweets', 'Tweets.csv');
  const airlines = (only === undefined && existsSync(file) ? AIRLINES : []).map((airline) => {
    const mentions = airlineStream(file, airline);
    const events = replay(mentions, detection);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    return {
      airline,
      mentions: mentions.length,
      storms: events.filter((e) => e.level === 'storm').length,
      types: [...counts].map(([t, n]) => `${t} ${n}`).join(', ') || 'none',
    };
  });
  return { crises, airlines };
}

export function printCrisis(r: CrisisReport, log: (m: string) => void = console.log): void {
  log('Crisis replays (CrisisLexT26 keyword streams; minutes after the published onset)');
  log('  event                          before  early  first event (min)          storm: onset / visible  episodes  on time');
  for (const c of r.crises) {
    log(
      `  ${c.event.padEnd(30)} ${String(c.before).padStart(6)}  ${String(c.early).padStart(5)}  ${`${c.firstType} (${c.firstDelayMin})`.padEnd(26)} ${`${c.stormFromOnsetMin} / ${c.stormFromVisibleMin}`.padEnd(23)} ${String(c.episodes).padStart(8)}  ${c.onTime ? 'yes' : 'no'}`,
    );
  }
  log(`  on time: ${r.crises.filter((c) => c.onTime).length}/${r.crises.length}`);
  if (r.airlines.length > 0) {
    log('Airline complaint weeks (must stay below storm level)');
    for (const a of r.airlines) log(`  ${a.airline.padEnd(16)} ${String(a.mentions).padStart(5)} mentions: ${a.types}`);
  }
}

function main(): void {
  let data = resolve(REPO_ROOT, '..', 'shared', 'data');
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data' && argv[i + 1] !== undefined) data = argv[++i]!;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  printCrisis(runCrisis(data));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
