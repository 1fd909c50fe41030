import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createSentimentScorer } from '../../src/detect/sentiment/scorer.js';
import { collectEvents } from '../support/detection.js';
import type { MentionInput } from '../../src/events/mention.js';
import { MentionPipeline } from '../../src/pipeline.js';
import { createSimulator } from '../../src/sources/simulator/simulator.js';
import type { SimulatorConfigInput } from '../../src/sources/simulator/config.js';
import { Rng } from '../../src/sources/simulator/prng.js';

/**
 * Scenario files (tests/scenarios/*.json): a simulated stream and, per key, what a crisis
 * manager would call it. Run through the same pipeline as `stormwatch replay`, with the
 * service's default configuration.
 */
type Verdict = 'storm' | 'drizzle' | 'surge' | 'coordinated' | 'none';

interface Scenario {
  description: string;
  hours: number;
  simulator: SimulatorConfigInput;
  expect: Record<string, Verdict>;
  disorder?: { jitterMs: number; lateFraction: number; lateByMs: number; seed: number };
  inject?: { key: string; atHours: number[]; count: number; text: string }[];
  expectLate?: boolean;
  maxTimeToDetectMs?: number;
}

const SEQUENCES: Record<Verdict, RegExp> = {
  storm: /^storm\.started( storm\.(escalated|subsided))* storm\.ended$/,
  drizzle: /^drizzle\.started drizzle\.ended$/,
  surge: /^surge\.started surge\.ended$/,
  coordinated: /^surge\.started surge\.ended$/,
  none: /^$/,
};

const dir = new URL('../../../tests/scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/** The scenario's mentions in delivery order. */
function mentionsOf(scenario: Scenario): { mentions: MentionInput[]; incidents: { key: string; kind: string; startMs: number }[] } {
  const simulator = createSimulator({ ...scenario.simulator });
  const startMs = simulator.config.startMs;
  const endMs = startMs + scenario.hours * 3_600_000;
  const timed: { at: number; mention: MentionInput }[] = [];
  for (let ts = simulator.peekNextTs(); ts !== undefined && ts < endMs; ts = simulator.peekNextTs()) {
    const mention = simulator.next()!;
    timed.push({ at: ts, mention });
  }
  for (const injection of scenario.inject ?? []) {
    for (const hour of injection.atHours) {
      for (let i = 0; i < injection.count; i++) {
        const at = startMs + hour * 3_600_000 + i * 10_000;
        timed.push({ at, mention: { id: `inject-${hour}-${i}`, key: injection.key, text: injection.text, ts: new Date(at).toISOString(), author: { id: `injected-${i}` } } });
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
  return {
    mentions: timed.map((t) => t.mention),
    incidents: simulator.scheduledIncidents().map((i) => ({ key: i.key, kind: i.kind, startMs: i.startMs })),
  };
}

// Storm precision/recall and time to detect over all scenarios, reported at the end.
const tally = { stormsExpected: 0, stormsFound: 0, stormsAnnounced: 0, stormsCorrect: 0, timesToDetect: [] as number[] };

for (const file of files) {
  const scenario = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Scenario;
  test(`scenario ${file.replace(/\.json$/, '')}: ${scenario.description}`, () => {
    const { events, onEvent } = collectEvents();
    let late = 0;
    let rejected = 0;
    const pipeline = new MentionPipeline(loadConfig({ env: {} }), createSentimentScorer(), {
      onEvent,
      onLate: () => late++,
      onReject: () => rejected++,
    });
    const { mentions, incidents } = mentionsOf(scenario);
    for (const m of mentions) pipeline.handleRecord(JSON.stringify(m));
    pipeline.engine.finish();

    assert.equal(rejected, 0, 'the simulator writes valid mentions');
    assert.equal(late > 0, scenario.expectLate === true, `late mentions: ${late}`);

    for (const [key, verdict] of Object.entries(scenario.expect)) {
      const own = events.filter((e) => e.key === key);
      const sequence = own.map((e) => e.type).join(' ');
      assert.match(sequence, SEQUENCES[verdict], `${key}: expected ${verdict}, got "${sequence}"\n${own.map((e) => `  ${e.at} ${e.type}: ${e.explanation}`).join('\n')}`);
      // One start and one end per episode, all events of an episode under its id.
      assert.equal(new Set(own.map((e) => e.episodeId)).size, verdict === 'none' ? 0 : 1);
      if (verdict === 'coordinated' || verdict === 'surge') {
        assert.equal(own[0]!.evidence.coordination.suspected, verdict === 'coordinated', own[0]!.explanation);
      }
      if (verdict === 'storm' || verdict === 'drizzle' || verdict === 'surge') {
        const started = own[0]!;
        assert.ok(started.drivers !== undefined && started.playbook.length > 0, 'started events carry drivers and a playbook');
        assert.ok(own.at(-1)!.postMortem !== undefined, 'ended events carry a post-mortem');
      }
      const expectedStorm = incidents.find((i) => i.key === key && i.kind === 'storm');
      const starts = own.filter((e) => e.type === 'storm.started');
      tally.stormsExpected += expectedStorm ? 1 : 0;
      tally.stormsAnnounced += starts.length;
      if (expectedStorm && starts.length > 0) {
        tally.stormsFound++;
        tally.stormsCorrect++;
        const ttd = Date.parse(starts[0]!.at) - expectedStorm.startMs;
        tally.timesToDetect.push(ttd);
        if (scenario.maxTimeToDetectMs !== undefined) assert.ok(ttd <= scenario.maxTimeToDetectMs, `time to detect ${ttd / 60_000} min`);
      }
    }
  });
}

after(() => {
  const sorted = [...tally.timesToDetect].sort((a, b) => a - b);
  const median = sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)]! / 60_000 : Number.NaN;
  const precision = tally.stormsAnnounced > 0 ? tally.stormsCorrect / tally.stormsAnnounced : 1;
  const recall = tally.stormsExpected > 0 ? tally.stormsFound / tally.stormsExpected : 1;
  console.log(`# scenarios: storm precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, median time to detect ${median.toFixed(1)} min (event time)`);
});
