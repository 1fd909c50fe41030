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
import { crisisRow, replay, stormEpisodes, type CrisisRow } from './crisis/replay.js';
import { airlineStream, crisisEvents, crisisStream } from './crisis/streams.js';
import { REPO_ROOT } from './eval-nab.js';

export const AIRLINES = ['United', 'US Airways', 'American', 'Southwest', 'Delta', 'Virgin America'] as const;

export interface CrisisReport {
  readonly crises: readonly CrisisRow[];
  readonly airlines: readonly { airline: string; mentions: number; storms: number; types: string }[];
}

export function airlineFile(dataDir: string): string {
  return join(dataDir, 'sentiment', 'airline_tweets', 'Tweets.csv');
}

export function crisisDir(dataDir: string): string {
  return join(dataDir, 'crisis', 'crisislex_t26');
}

export function runCrisis(dataDir: string, detection: Partial<DetectionConfig> = {}): CrisisReport {
  const dir = crisisDir(dataDir);
  const crises = crisisEvents(dir).map((event) => {
    const s = crisisStream(dir, event);
    return crisisRow(s, replay(s.mentions, detection));
  });
  const file = airlineFile(dataDir);
  const airlines = (existsSync(file) ? AIRLINES : []).map((airline) => {
    const mentions = airlineStream(file, airline);
    const events = replay(mentions, detection);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    return { airline, mentions: mentions.length, storms: stormEpisodes(events), types: [...counts].map(([t, n]) => `${t} ${n}`).join(', ') || 'none' };
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
