import type { ParseOptions } from '../../../../src/events/mention.js';
import { createSimulator, type SimulatedMention, type SimulatorConfigInput } from '../../../../src/sources/simulator/index.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Replay-mode parse options (no wall clock): the bounds the file replay uses. */
export const replayParseOptions: ParseOptions = { maxBytes: 64 * 1024, maxFutureMs: 5 * MINUTE_MS, maxPastMs: 7 * 24 * HOUR_MS };

/** Strong negative words of the storm vocabulary, across en, nl, de, fr, es (independent of it). */
export const strongNegative =
  /worst|unacceptable|disaster|furious|disgrace|terrible|disgusting|shameful|incompetent|awful|angry|boycott|pathetic|garbage|ashamed|schandalig|ramp|woedend|schande|waardeloos|belachelijk|boycot|frechheit|katastroph|stinksauer|unversch|inkompetent|boykott|inadmissible|catastrophe|furieux|honte|scandaleux|inaceptable|desastre|furioso|vergüenza|indignante|peor|pire|schlechteste|slechtste/i;

const cache = new Map<string, SimulatedMention[]>();

/** All labelled mentions of a config over `hours` of event time (cached per test file run). */
export function run(config: SimulatorConfigInput, hours: number): SimulatedMention[] {
  const id = JSON.stringify(config) + hours;
  let out = cache.get(id);
  if (!out) {
    const simulator = createSimulator(config);
    const until = simulator.config.startMs + hours * HOUR_MS;
    out = [];
    for (let m = simulator.nextLabelled(); m !== undefined && m.tsMs < until; m = simulator.nextLabelled()) out.push(m);
    cache.set(id, out);
  }
  return out;
}

export function countWhere(mentions: readonly SimulatedMention[], key: string, fromMs: number, toMs: number): number {
  let n = 0;
  for (const m of mentions) if (m.mention.key === key && m.tsMs >= fromMs && m.tsMs < toMs) n++;
  return n;
}

export function inWindow(mentions: readonly SimulatedMention[], key: string, fromMs: number, toMs: number): SimulatedMention[] {
  return mentions.filter((m) => m.mention.key === key && m.tsMs >= fromMs && m.tsMs < toMs);
}
