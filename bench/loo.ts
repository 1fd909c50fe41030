/**
 * Leave-one-out choice of the detection parameters that were chosen from data, so that their
 * figures say how they do on a source they were not chosen on. Two groups:
 *
 * - NAB: the onset memory of `AlertOnset` (the one NAB-only parameter; one value for all
 *   profiles, chosen on the standard one) and each profile's threshold. For each series left
 *   out, both are chosen on the other series, then the left-out series is scored with them; the
 *   left-out raw scores are summed and normalised.
 * - The service's floors, alarm bar and exit (minMentions, minAuthors, stormMinAlarmShift,
 *   exitQuietFraction), over every real and simulated source: each crisis replay (+1 storm on
 *   time, -1 any event before the onset, -1/4 per episode past the first: one incident should
 *   be one), each airline complaint week (-1 per storm episode), each scenario (+1 passing).
 *   For each source left out the combination with the best total on the others is taken.
 *
 * In-sample figures use the choice made on all sources; that choice is the shipped default
 * (the report says if config/default.json differs). Ties go to the first combination in grid
 * order, which runs from the most conservative (highest floors) down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectionConfig } from '../src/detect/config.js';
import { crisisRow, replay, stormEpisodes } from './crisis/replay.js';
import { airlineStream, crisisEvents, crisisStream } from './crisis/streams.js';
import { AIRLINES, airlineFile, crisisDir } from './eval-crisis.js';
import { REPO_ROOT } from './eval-nab.js';
import { loadCategory, loadProfiles, NAB_PROFILE_NAMES } from './nab/data.js';
import { detectionConfigForStep, scoreSeries, stepOf } from './nab/detector.js';
import { normalise, scoreFile, scoreProfile, sweepThreshold, type ScoredFile } from './nab/scoring.js';
import { loadScenarios, runScenario, scenarioDir } from './scenarios.js';

const DAY_MS = 24 * 3_600_000;
export const ONSET_MEMORY_DAYS = [28, 21, 14, 10, 7] as const;
export const SERVICE_GRID: Readonly<Record<keyof ServiceParams, readonly number[]>> = {
  minMentions: [20, 12, 8, 6],
  minAuthors: [8, 6],
  stormMinAlarmShift: [0.2, 0.1],
  exitQuietFraction: [1, 0.5, 0.25, 0],
};
/** What an extra episode of one crisis costs against a storm on time: one incident should be one episode. */
const EXTRA_EPISODE_COST = 0.25;

/** Index of the candidate with the highest total, skipping `left` (-1: none); first wins ties. */
function best(totals: (c: number) => number, candidates: number): number {
  let arg = 0;
  for (let c = 1; c < candidates; c++) if (totals(c) > totals(arg)) arg = c;
  return arg;
}

export interface LooChoice<T> {
  /** The choice on all sources, and each source's score under it. */
  readonly all: T;
  readonly inSample: number[];
  /** Per source: the choice made without it, and its score under that choice. */
  readonly leftOutChoice: T[];
  readonly leftOut: number[];
}

/** Leave-one-out over a score matrix `score[candidate][source]`. */
export function leaveOneOut<T>(candidates: readonly T[], score: readonly (readonly number[])[]): LooChoice<T> {
  const sources = score[0]?.length ?? 0;
  const total = (c: number, skip: number) => score[c]!.reduce((s, x, i) => (i === skip ? s : s + x), 0);
  const all = best((c) => total(c, -1), candidates.length);
  const leftOutChoice: T[] = [];
  const leftOut: number[] = [];
  for (let i = 0; i < sources; i++) {
    const c = best((k) => total(k, i), candidates.length);
    leftOutChoice.push(candidates[c]!);
    leftOut.push(score[c]![i]!);
  }
  return { all: candidates[all]!, inSample: score[all]!.map((x) => x), leftOutChoice, leftOut };
}

export interface NabLoo {
  readonly profiles: readonly { profile: string; inSampleDays: number; inSample: number; leftOut: number; leftOutDays: number[] }[];
  readonly files: readonly string[];
}

/** NAB: onset memory and threshold chosen without the left-out series. */
export function nabLeaveOneOut(dataDir: string): NabLoo {
  const series = loadCategory(dataDir, 'realTweets', () => {});
  const profiles = loadProfiles(dataDir);
  const byMemory: ScoredFile[][] = ONSET_MEMORY_DAYS.map((days) =>
    series.map((s) => {
      const config = detectionConfigForStep(stepOf(s.timesMs), join(REPO_ROOT, 'config', 'default.json'));
      const scores = scoreSeries(s.timesMs, s.values, config, days * DAY_MS).anomaly.map((x) => (x === 0 ? 0 : Number(x.toPrecision(6))));
      return { name: s.key, scores, windows: s.windows };
    }),
  );
  // One memory for all profiles (the service has one), chosen on the standard profile.
  const names = NAB_PROFILE_NAMES.filter((p) => profiles[p] !== undefined);
  const standard = profiles['standard'] ?? profiles[names[0]!]!;
  const choose = (skip: number) => best((m) => scoreProfile('standard', byMemory[m]!.filter((_, k) => k !== skip), standard).raw, ONSET_MEMORY_DAYS.length);
  const all = choose(-1);
  const perSeries = series.map((_, f) => choose(f));
  const out = names.map((profile) => {
    const cost = profiles[profile]!;
    let raw = 0;
    let windows = 0;
    perSeries.forEach((m, f) => {
      const { threshold } = sweepThreshold(byMemory[m]!.filter((_, k) => k !== f), cost);
      const scored = scoreFile(byMemory[m]![f]!, cost, threshold);
      raw += scored.score;
      windows += scored.windows;
    });
    return {
      profile,
      inSampleDays: ONSET_MEMORY_DAYS[all]!,
      inSample: scoreProfile(profile, byMemory[all]!, cost).normalised,
      leftOut: normalise(raw, windows, cost).normalised,
      leftOutDays: perSeries.map((m) => ONSET_MEMORY_DAYS[m]!),
    };
  });
  return { profiles: out, files: series.map((s) => s.key) };
}

export type ServiceParams = Pick<DetectionConfig, 'minMentions' | 'minAuthors' | 'stormMinAlarmShift' | 'exitQuietFraction'>;

export function serviceGrid(): ServiceParams[] {
  const out: ServiceParams[] = [];
  for (const minMentions of SERVICE_GRID.minMentions)
    for (const minAuthors of SERVICE_GRID.minAuthors)
      for (const stormMinAlarmShift of SERVICE_GRID.stormMinAlarmShift)
        for (const exitQuietFraction of SERVICE_GRID.exitQuietFraction) out.push({ minMentions, minAuthors, stormMinAlarmShift, exitQuietFraction });
  return out;
}

export interface ServiceSource {
  readonly name: string;
  readonly kind: 'crisis' | 'airline' | 'scenario';
  /** Score of this source under the given parameters (the shipped defaults for the rest). */
  readonly score: (p: Partial<DetectionConfig>) => number;
}

/** Every real and simulated source the service's parameters are judged on. */
export function serviceSources(dataDir: string): ServiceSource[] {
  const sources: ServiceSource[] = [];
  const dir = crisisDir(dataDir);
  if (existsSync(dir)) {
    for (const event of crisisEvents(dir)) {
      const s = crisisStream(dir, event);
      sources.push({ name: event, kind: 'crisis', score: (p) => {
        const row = crisisRow(s, replay(s.mentions, p));
        return (row.early > 0 ? -1 : row.onTime ? 1 : 0) - EXTRA_EPISODE_COST * Math.max(0, row.episodes - 1);
      } });
    }
  }
  const file = airlineFile(dataDir);
  if (existsSync(file)) {
    for (const airline of AIRLINES) {
      const mentions = airlineStream(file, airline);
      sources.push({ name: `airline ${airline}`, kind: 'airline', score: (p) => -stormEpisodes(replay(mentions, p)) });
    }
  }
  for (const s of loadScenarios(scenarioDir(REPO_ROOT))) sources.push({ name: `scenario ${s.name}`, kind: 'scenario', score: (p) => (runScenario(s, p).problems.length === 0 ? 1 : 0) });
  return sources;
}

export interface ServiceLoo {
  readonly sources: readonly ServiceSource[];
  readonly choice: LooChoice<ServiceParams>;
  /** The shipped defaults, and whether they are the all-sources choice. */
  readonly shipped: ServiceParams;
}

export function serviceLeaveOneOut(dataDir: string): ServiceLoo {
  const sources = serviceSources(dataDir);
  const grid = serviceGrid();
  const score = grid.map((p) => sources.map((s) => s.score(p)));
  const defaults = (JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'default.json'), 'utf8')) as { detection: DetectionConfig }).detection;
  return { sources, choice: leaveOneOut(grid, score), shipped: { minMentions: defaults.minMentions, minAuthors: defaults.minAuthors, stormMinAlarmShift: defaults.stormMinAlarmShift, exitQuietFraction: defaults.exitQuietFraction } };
}

const label = (p: ServiceParams) => `minMentions ${p.minMentions}, minAuthors ${p.minAuthors}, stormMinAlarmShift ${p.stormMinAlarmShift}, exitQuietFraction ${p.exitQuietFraction}`;

export function printLoo(nab: NabLoo | undefined, service: ServiceLoo, log: (m: string) => void = console.log): void {
  if (nab !== undefined) {
    log(`Leave-one-out, NAB (${nab.files.length} series; onset memory from ${ONSET_MEMORY_DAYS.join('/')} days and the threshold chosen without the series scored)`);
    log('  profile              in-sample  left out   memory in-sample / per left-out series (days)');
    for (const p of nab.profiles) log(`  ${p.profile.padEnd(20)} ${p.inSample.toFixed(1).padStart(9)}  ${p.leftOut.toFixed(1).padStart(8)}   ${p.inSampleDays} / ${p.leftOutDays.join(', ')}`);
  }
  const c = service.choice;
  log(`Leave-one-out, service parameters over ${service.sources.length} sources (grid: ${Object.entries(SERVICE_GRID).map(([k, v]) => `${k} ${v.join('/')}`).join('; ')})`);
  log(`  chosen on all sources: ${label(c.all)}${label(c.all) === label(service.shipped) ? ' (the shipped default)' : `; SHIPPED DEFAULT DIFFERS: ${label(service.shipped)}`}`);
  for (const kind of ['crisis', 'airline', 'scenario'] as const) {
    const idx = service.sources.map((s, i) => (s.kind === kind ? i : -1)).filter((i) => i >= 0);
    const sum = (xs: readonly number[]) => idx.reduce((s, i) => s + xs[i]!, 0);
    const what = kind === 'crisis' ? `on time (−1 early, −${EXTRA_EPISODE_COST}/extra episode)` : kind === 'airline' ? 'minus storm episodes' : 'scenarios passing';
    log(`  ${kind.padEnd(8)} ${what.padEnd(36)} in-sample ${String(sum(c.inSample)).padStart(3)}   left out ${String(sum(c.leftOut)).padStart(3)}   of ${kind === 'airline' ? 0 : idx.length}`);
  }
  service.sources.forEach((s, i) => {
    if (c.inSample[i] !== c.leftOut[i] || label(c.leftOutChoice[i]!) !== label(c.all)) log(`    ${s.name}: in-sample ${c.inSample[i]}, left out ${c.leftOut[i]} (chosen without it: ${label(c.leftOutChoice[i]!)})`);
  });
}

/**
 * The classifier's judgement parameters, each varied alone around the shipped defaults (the
 * default first): a cheap check of what the full grid cannot afford. A default is replaced only
 * when an alternative is better *left out*: an in-sample gain that leave-one-out does not carry is
 * one source's idiosyncrasy.
 */
export const JUDGEMENT_ALTERNATIVES: Readonly<Partial<Record<keyof DetectionConfig, readonly [number, number]>>> = {
  rateEnterScore: [0.4, 0.6],
  rateExitScore: [0.15, 0.35],
  minRateRatio: [1.5, 3],
  surgeMinRateRatio: [2, 4],
  stormMinNegativeShare: [0.3, 0.5],
  stormMinNegativeShift: [0.05, 0.15],
  enterBuckets: [1, 3],
  exitBuckets: [5, 20],
  minDwellMs: [5 * 60_000, 30 * 60_000],
  cooldownMs: [15 * 60_000, 60 * 60_000],
  drizzleMinMentions: [8, 20],
  drizzleMinNegativeShare: [0.35, 0.55],
  drizzleMinNegativeShift: [0.08, 0.16],
  drizzleEnterBuckets: [5, 20],
  escalateSeverityStep: [10, 20],
  subsideSeverityFraction: [0.5, 0.7],
  coordinationMaxAuthorShare: [0.1, 0.25],
  amplificationMaxTextShare: [0.1, 0.25],
};

export interface JudgementCheck {
  readonly name: string;
  /** The shipped default, then the alternatives. */
  readonly values: readonly number[];
  /** Total over all sources, per value. */
  readonly totals: readonly number[];
  /** Leave-one-out choice among the values: its left-out total, and the default's total. */
  readonly leftOut: number;
  readonly defaultTotal: number;
  readonly bestInSample: number;
  /** Every source scores every value the same: the sources say nothing about this parameter. */
  readonly untold: boolean;
}

export function judgementLeaveOneOut(sources: readonly ServiceSource[], defaults: DetectionConfig): JudgementCheck[] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const byDefault = sources.map((s) => s.score({}));
  return Object.entries(JUDGEMENT_ALTERNATIVES).map(([name, alternatives]) => {
    const key = name as keyof DetectionConfig;
    const values = [defaults[key] as number, ...alternatives!];
    const score = [byDefault, ...alternatives!.map((v) => sources.map((s) => s.score({ [key]: v })))];
    const choice = leaveOneOut(values, score);
    const untold = score.every((row) => row.every((x, i) => x === byDefault[i]));
    return { name, values, totals: score.map(sum), leftOut: sum(choice.leftOut), defaultTotal: sum(byDefault), bestInSample: choice.all, untold };
  });
}

export function printJudgement(checks: readonly JudgementCheck[], log: (m: string) => void = console.log): void {
  log('Leave-one-out, judgement parameters one at a time around the defaults (the same sources and scores; a default changes only if an alternative wins left out)');
  for (const c of checks) {
    const verdict =
      c.leftOut > c.defaultTotal
        ? `LEFT OUT PREFERS ${c.bestInSample}`
        : c.untold
          ? 'no source tells them apart: the default stays by judgement'
          : c.bestInSample === c.values[0]
            ? 'the default (best or tied)'
            : `in-sample best ${c.bestInSample}, not carried left out`;
    log(`  ${c.name.padEnd(26)} ${c.values.join(' / ').padEnd(26)} totals ${c.totals.join(' / ').padEnd(22)} left out ${String(c.leftOut).padStart(5)} (default ${c.defaultTotal})  ${verdict}`);
  }
}

