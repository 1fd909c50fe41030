/**
 * The scenario suite (tests/scenarios/*.json): a simulated stream and, per key, what a crisis
 * manager would call it. Shared by the scenario tests and the leave-one-out evaluation: the
 * streams are built once, then replayed under any detection settings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectionConfig } from '../src/detect/config.js';
import { createSentimentScorer } from '../src/detect/sentiment/scorer.js';
import { loadConfig } from '../src/config/load.js';
import { classificationEventErrors, type ClassificationEvent } from '../src/events/classification.js';
import type { MentionInput } from '../src/events/mention.js';
import { createPipeline } from '../src/pipeline.js';
import type { SimulatorConfigInput } from '../src/sources/simulator/config.js';
import { Rng } from '../src/sources/simulator/prng.js';
import { createSimulator } from '../src/sources/simulator/simulator.js';

export type Verdict = 'storm' | 'drizzle' | 'surge' | 'coordinated' | 'amplified-storm' | 'none';

/** Extra mentions laid over the simulated stream: `count` of them, `everyMs` apart, from `authors` distinct accounts, cycling through `texts`. */
export interface Injection {
  key: string;
  atHours: number[];
  count: number;
  texts: string[];
  everyMs?: number;
  authors?: number;
}

export interface Scenario {
  description: string;
  hours: number;
  simulator: SimulatorConfigInput;
  expect: Record<string, Verdict>;
  disorder?: { jitterMs: number; lateFraction: number; lateByMs: number; seed: number };
  inject?: Injection[];
  expectLate?: boolean;
  /** From the incident's start (a simulated storm, or the first injection) to storm level. */
  maxTimeToDetectMs?: number;
}

export interface LoadedScenario {
  readonly name: string;
  readonly scenario: Scenario;
  readonly mentions: readonly MentionInput[];
  /** Where a storm starts, per key: the simulator's storms and the injections of storm scenarios. */
  readonly stormStarts: ReadonlyMap<string, number>;
}

const SEQUENCES: Record<Verdict, RegExp> = {
  storm: /^storm\.started( storm\.(escalated|subsided))* storm\.ended$/,
  'amplified-storm': /^storm\.started( storm\.(escalated|subsided))* storm\.ended$/,
  drizzle: /^drizzle\.started drizzle\.ended$/,
  surge: /^surge\.started surge\.ended$/,
  coordinated: /^surge\.started surge\.ended$/,
  none: /^$/,
};

export function scenarioDir(repoRoot: string): string {
  return join(repoRoot, 'tests', 'scenarios');
}

/** Every scenario file of `dir`, with its stream in delivery order. */
export function loadScenarios(dir: string): LoadedScenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario;
      return { name: file.replace(/\.json$/, ''), scenario, ...streamOf(scenario) };
    });
}

function streamOf(scenario: Scenario): { mentions: MentionInput[]; stormStarts: Map<string, number> } {
  const simulator = createSimulator({ ...scenario.simulator });
  const startMs = simulator.config.startMs;
  const endMs = startMs + scenario.hours * 3_600_000;
  const timed: { at: number; mention: MentionInput }[] = [];
  for (let ts = simulator.peekNextTs(); ts !== undefined && ts < endMs; ts = simulator.peekNextTs()) timed.push({ at: ts, mention: simulator.next()! });
  const stormStarts = new Map<string, number>();
  for (const i of simulator.scheduledIncidents()) if (i.kind === 'storm' && !stormStarts.has(i.key)) stormStarts.set(i.key, i.startMs);
  for (const [n, injection] of (scenario.inject ?? []).entries()) {
    for (const hour of injection.atHours) {
      const first = startMs + hour * 3_600_000;
      if (/storm/.test(scenario.expect[injection.key] ?? '') && !(first >= (stormStarts.get(injection.key) ?? Infinity))) stormStarts.set(injection.key, first);
      for (let i = 0; i < injection.count; i++) {
        const at = first + i * (injection.everyMs ?? 10_000);
        const author = `injected-${n}-${i % (injection.authors ?? injection.count)}`;
        const text = injection.texts[i % injection.texts.length]!;
        timed.push({ at, mention: { id: `inject-${n}-${hour}-${i}`, key: injection.key, text, ts: new Date(at).toISOString(), author: { id: author } } });
      }
    }
  }
  const d = scenario.disorder;
  if (d !== undefined) {
    const rng = new Rng(d.seed);
    const random = () => rng.next();
    for (const t of timed) t.at += random() * d.jitterMs + (random() < d.lateFraction ? d.lateByMs : 0);
  }
  timed.sort((a, b) => a.at - b.at);
  return { mentions: timed.map((t) => t.mention), stormStarts };
}

export interface ScenarioResult {
  readonly name: string;
  /** What is wrong; empty when the scenario passes. */
  readonly problems: string[];
  /** Per storm key: from the storm's start to the first storm-level event (NaN: none). */
  readonly timesToDetect: number[];
  readonly stormsExpected: number;
  readonly stormsFound: number;
  /** Episodes that reached storm level. */
  readonly stormsAnnounced: number;
  readonly events: readonly ClassificationEvent[];
}

/** Replays one scenario through the `stormwatch replay` pipeline and judges it. */
export function runScenario(s: LoadedScenario, detection: Partial<DetectionConfig> = {}): ScenarioResult {
  const config = loadConfig({ env: {} });
  const events: ClassificationEvent[] = [];
  let late = 0;
  let rejected = 0;
  const pipeline = createPipeline({ ...config, detection: { ...config.detection, ...detection } }, createSentimentScorer(), {
    onEvent: (e) => events.push(e),
    onLate: () => late++,
    onReject: () => rejected++,
  });
  for (const m of s.mentions) pipeline.handleRecord(JSON.stringify(m));
  pipeline.finish();

  const problems: string[] = [];
  const sc = s.scenario;
  if (rejected > 0) problems.push(`${rejected} mentions rejected`);
  for (const e of events) for (const err of classificationEventErrors(e)) problems.push(`${e.type}: ${err}`);
  if (late > 0 !== (sc.expectLate === true)) problems.push(`late mentions: ${late}`);
  const timesToDetect: number[] = [];
  let stormsExpected = 0;
  let stormsFound = 0;
  let stormsAnnounced = 0;
  for (const [key, verdict] of Object.entries(sc.expect)) {
    const own = events.filter((e) => e.key === key);
    const sequence = own.map((e) => e.type).join(' ');
    const listing = own.map((e) => `  ${e.at} ${e.type}: ${e.explanation}`).join('\n');
    if (!SEQUENCES[verdict].test(sequence)) problems.push(`${key}: expected ${verdict}, got "${sequence}"\n${listing}`);
    // One incident, one episode: every event of the key under one id.
    if (new Set(own.map((e) => e.episodeId)).size !== (verdict === 'none' ? 0 : 1)) problems.push(`${key}: ${new Set(own.map((e) => e.episodeId)).size} episodes\n${listing}`);
    const first = own[0];
    if (first !== undefined && (verdict === 'coordinated' || verdict === 'surge') && first.evidence.coordination.suspected !== (verdict === 'coordinated')) {
      problems.push(`${key}: coordination.suspected is ${first.evidence.coordination.suspected}: ${first.explanation}`);
    }
    const stormAt = own.find((e) => e.level === 'storm');
    if (verdict === 'amplified-storm' && stormAt?.evidence.amplification?.detected !== true) problems.push(`${key}: storm without amplification in the evidence: ${stormAt?.explanation}`);
    if (first !== undefined && verdict !== 'none') {
      if (first.drivers === undefined || first.playbook.length === 0) problems.push(`${key}: started event without drivers or playbook`);
      if (own.at(-1)!.postMortem === undefined) problems.push(`${key}: ended event without a post-mortem`);
    }
    const start = s.stormStarts.get(key);
    stormsExpected += start !== undefined ? 1 : 0;
    stormsAnnounced += new Set(own.filter((e) => e.level === 'storm').map((e) => e.episodeId)).size;
    if (start !== undefined && stormAt !== undefined) {
      stormsFound++;
      const ttd = Date.parse(stormAt.at) - start;
      timesToDetect.push(ttd);
      if (sc.maxTimeToDetectMs !== undefined && ttd > sc.maxTimeToDetectMs) problems.push(`${key}: time to detect ${ttd / 60_000} min`);
    }
  }
  return { name: s.name, problems, timesToDetect, stormsExpected, stormsFound, stormsAnnounced, events };
}
