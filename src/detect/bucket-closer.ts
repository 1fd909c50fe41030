import { emptyAlarmAssessment } from './alarm/alarm-model.js';
import type { Observation, Transition } from './classifier/classifier.js';
import { buildEvent, severityOf } from './classifier/event-builder.js';
import { DriverTracker, type TermBackground } from './drivers/driver-tracker.js';
import type { EngineListener, WindowRates } from './engine.js';
import { HLL_REGISTERS } from './hll.js';
import type { KeyState } from './key-state.js';
import type { KeyTable } from './key-table.js';
import { emptyNegativityAssessment, type NegativityAssessment } from './negativity/negativity-model.js';
import type { DetectionParams } from './params.js';
import { emptyRateAssessment, type RateAssessment } from './rate/rate-model.js';
import { emptySums, Field } from './window/bucket-ring.js';

// Drivers are tracked for keys whose short window already looks unusual, before a start.
const DRIVER_TRACKING_SCORE = 0.2;
// Usual distinct authors and texts per mention are learned from the calm windows whose distinct
// counts are estimated anyway (mayBeLookedAt), and from one calm window in this many.
const AUDIENCE_SAMPLE_EVERY = 8;
const NO_AUDIENCE = { authors: Number.NaN, texts: Number.NaN };
// Quiet gaps longer than this are not replayed bucket by bucket into the baseline.
const MAX_CATCH_UP_MS = 7 * 24 * 3_600_000;

/**
 * Closes the buckets of keys: each close folds one bucket into the key's baselines and
 * classifies the short window it ends, handing the resulting events to the listener. Runs for
 * every key and bucket, so the common case (a calm key, a quiet window) is kept cheap, with
 * scratch space reused for every close: no allocation on the hot path.
 */
export class BucketCloser {
  private readonly windowBuckets: number;
  private readonly sums = emptySums();
  private readonly hllScratch = new Uint8Array(HLL_REGISTERS);
  private readonly offsets: number[] = [];
  private readonly rateScratch = emptyRateAssessment();
  private readonly negativityScratch = emptyNegativityAssessment();
  private readonly alarmScratch = emptyAlarmAssessment();
  private readonly transitions: Transition[] = [];
  private readonly observation: Observation = {
    bucketStartMs: 0,
    bucketEndMs: 0,
    rate: this.rateScratch,
    negativity: this.negativityScratch,
    alarm: this.alarmScratch,
    authors: 0,
    texts: 0,
    usualAuthors: 0,
    usualTexts: 0,
    severity: 0,
    audience: undefined,
    bucketMentions: 0,
    bucketNegative: 0,
    bucketRead: 0,
    windowNegative: 0,
    readMentions: 0,
  };

  constructor(
    private readonly params: DetectionParams,
    private readonly table: KeyTable,
    private readonly background: TermBackground,
    private readonly listener: EngineListener,
    /** Handed to the listener with each event: the engine this closer works for. */
    private readonly rates: WindowRates,
  ) {
    this.windowBuckets = params.windowBuckets;
  }

  /** Closes `state`'s buckets up to `through`, skipping most of a long quiet gap of a calm key. */
  catchUp(state: KeyState, through: number): void {
    const maxGap = Math.floor(MAX_CATCH_UP_MS / this.params.bucketMs);
    if (through - state.closedThrough > maxGap && !state.classifier.active) state.closedThrough = through - maxGap;
    while (state.closedThrough < through) this.close(state, state.closedThrough + 1);
  }

  /**
   * The clock's pass: closes `state`'s buckets up to `through` while the key is in play (an
   * episode, or data in its window). Once it is out of play it leaves the active set, its ring
   * is freed and the remaining closes wait for its next mention (catchUp), so a long gap costs
   * nothing until then. Returns the number of closes.
   */
  catchUpWhileInPlay(state: KeyState, through: number): number {
    const from = state.closedThrough;
    for (;;) {
      const inPlay = state.classifier.active || state.lastDataBucket > state.closedThrough - this.windowBuckets;
      if (!inPlay) {
        this.table.active.delete(state);
        // Everything in the ring has left the window: free it until the key speaks again.
        this.table.releaseRing(state);
        state.drivers = undefined;
        break;
      }
      if (state.closedThrough >= through) break;
      this.close(state, state.closedThrough + 1);
    }
    return state.closedThrough - from;
  }

  /** Folds one bucket of one key into its baseline and classifies the window it ends. */
  private close(state: KeyState, bucket: number): void {
    const c = this.params;
    const first = bucket - this.windowBuckets + 1;
    const ring = state.ring;
    const sums = this.sums;
    // No data since before the window (most closes of a sparse key): its buckets are all zero.
    const quiet = ring === undefined || state.lastDataBucket < first;
    if (quiet) {
      sums.mentions = sums.weight = sums.negative = sums.negativeIntensity = sums.unread = sums.alarm = 0;
    } else {
      ring.sum(first, bucket, sums);
    }
    sums.authors = sums.texts = 0;
    const bucketMentions = quiet ? 0 : ring.get(bucket, Field.Mentions);
    const bucketWeight = quiet ? 0 : ring.get(bucket, Field.Weight);
    const bucketNegative = quiet ? 0 : ring.get(bucket, Field.Negative);
    const bucketAlarm = quiet ? 0 : ring.get(bucket, Field.Alarm);
    // Tone is measured on the mentions we read; the others count towards volume only.
    const bucketRead = quiet ? 0 : bucketMentions - ring.get(bucket, Field.Unread);
    const windowRead = sums.mentions - sums.unread;

    const rate = state.rate.assess(sums.mentions, sums.weight, first, bucket, c, this.rateScratch);
    const negativity = state.negativity.assess(windowRead, sums.negative, sums.negativeIntensity, this.negativityScratch);
    state.alarm.assess(windowRead, sums.alarm, this.alarmScratch);
    const needDistinct = ring !== undefined && sums.mentions > 0 && this.mayBeLookedAt(state, rate, negativity, bucket);
    if (needDistinct) ring.distinct(first, bucket, sums, this.hllScratch, this.offsets);
    const obs = this.observation;
    obs.bucketMentions = bucketMentions;
    obs.bucketNegative = bucketNegative;
    obs.bucketRead = bucketRead;
    obs.readMentions = windowRead;
    this.observe(state, bucket, rate, needDistinct);
    this.classify(state);

    const elevated = state.classifier.state !== 'calm' || rate.volumeZ > c.baselineClipSigma;
    state.rate.learn(bucket, bucketMentions, bucketWeight, rate, needDistinct ? sums : NO_AUDIENCE, elevated, c);
    // Usual mentions of one bucket: the window's expectation spread over its buckets.
    state.negativity.learn(bucketRead, bucketNegative, Math.max(1, rate.expectedMentions / this.windowBuckets), !elevated, c);
    state.alarm.learn(bucketRead, bucketAlarm, !elevated, c);

    if (state.classifier.active || rate.score >= DRIVER_TRACKING_SCORE) state.drivers ??= new DriverTracker(c.maxSamples);
    else state.drivers = undefined;

    ring?.clear(first);
    state.closedThrough = bucket;
  }

  /**
   * Whether the classifier may look at a window's distinct counts (and severity, which uses
   * them), which are costly to estimate: an open episode or candidate, a window scoring above
   * the exit bar, a key still learning (no score yet) with the floors' volume, a slow window that
   * could be a drizzle; plus a sample of calm windows to learn the usual audience.
   */
  private mayBeLookedAt(state: KeyState, rate: RateAssessment, negativity: NegativityAssessment, bucket: number): boolean {
    const c = this.params;
    return (
      state.classifier.active ||
      rate.score >= state.config.rateExitScore ||
      (rate.learning && rate.mentions >= state.config.minMentions) ||
      (negativity.slowMentions >= c.drizzleMinMentions && negativity.slowShare >= c.drizzleMinNegativeShare) ||
      bucket % AUDIENCE_SAMPLE_EVERY === 0
    );
  }

  /** Fills the rest of the observation (close() has set the counts) from the window sums and assessments. */
  private observe(state: KeyState, bucket: number, rate: RateAssessment, withDistinct: boolean): void {
    const c = this.params;
    const sums = this.sums;
    // The usual part of the window brings its usual share of distinct authors and texts.
    const usualMentions = Math.min(rate.expectedMentions, sums.mentions);
    const obs = this.observation;
    obs.bucketStartMs = bucket * c.bucketMs;
    obs.bucketEndMs = (bucket + 1) * c.bucketMs;
    obs.authors = sums.authors;
    obs.texts = sums.texts;
    obs.usualAuthors = usualMentions * state.rate.authorsPerMention;
    obs.usualTexts = usualMentions * state.rate.textsPerMention;
    obs.audience = state.drivers?.audience();
    obs.windowNegative = sums.negative;
    obs.severity = withDistinct ? severityOf(obs) : 0;
  }

  /** Steps the key's classifier on the observation and hands each transition's event to the listener. */
  private classify(state: KeyState): void {
    const obs = this.observation;
    const transitions = this.transitions;
    transitions.length = 0;
    state.classifier.step(obs, transitions);
    for (const t of transitions) {
      const withDrivers = t.type.endsWith('.started') || t.type === 'storm.escalated' || t.type === 'storm.level_changed';
      const drivers = withDrivers ? state.drivers?.summarise(this.background, this.params.maxTerms) : undefined;
      const event = buildEvent(t, obs, state.config, drivers);
      state.lastEvent = t.type.endsWith('.ended') ? undefined : event;
      this.listener(event, this.rates);
      if (t.type === 'storm.ended' || t.type === 'surge.ended') state.negativity.forgetSlowWindow();
    }
  }
}
