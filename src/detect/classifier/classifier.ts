import { PRIOR_SHARE } from '../alarm/alarm-model.js';
import type { Audience } from '../drivers/driver-tracker.js';
import { levels, type ClassificationType, type Level } from '../../events/classification.js';
import type { AlarmAssessment } from '../alarm/alarm-model.js';
import type { DetectionConfig } from '../config.js';
import type { NegativityAssessment } from '../negativity/negativity-model.js';
import type { RateAssessment } from '../rate/rate-model.js';
import { Episode } from './episode.js';

/** Everything the classifier looks at for one closed bucket of one key. */
export interface Observation {
  bucketStartMs: number;
  bucketEndMs: number;
  rate: RateAssessment;
  negativity: NegativityAssessment;
  alarm: AlarmAssessment;
  authors: number;
  texts: number;
  /** Distinct authors and texts the window's usual volume would bring. */
  usualAuthors: number;
  usualTexts: number;
  severity: number;
  /** The burst's mentions by their authors' audience (while drivers are tracked). */
  audience: Audience | undefined;
  /** Counts of the bucket just closed, and negatives in the whole short window. */
  bucketMentions: number;
  bucketNegative: number;
  bucketRead: number;
  windowNegative: number;
  /** Mentions of the short window in a script we read: the tone shares are of these. */
  readMentions: number;
}

export interface Coordination {
  /** Few new accounts carry the extra volume. */
  suspected: boolean;
  /** Many new accounts repeat a few texts (retweets, quotes, copy-paste): amplification. */
  amplified: boolean;
  authorShare: number;
  textShare: number;
  /** Share of the burst from accounts with no audience: when most of it, and at least half the extra volume, carries follower counts. */
  noAudienceShare: number | undefined;
  /** That share is at or above coordinationMinNoAudienceShare. */
  noAudience: boolean;
}

/** A state change the engine turns into a classification event. */
export interface Transition {
  type: ClassificationType;
  episode: Episode;
  /** storm.level_changed: the level before. */
  from?: Level;
}

type State = Level | 'calm';

/** A classifier's whole state as plain data (for snapshots); the episode travels separately. */
export interface ClassifierState {
  state: State;
  candidate: Level | undefined;
  candidateRun: number;
  candidateOnsetMs: number;
  quietRun: number;
  lowRun: number;
  cooldownUntilMs: Record<Level, number>;
}

export function rateRatio(rate: RateAssessment): number {
  return rate.expectedMentions > 0 ? rate.mentions / rate.expectedMentions : 0;
}

/**
 * Who brings the *extra* volume: new distinct authors (and texts) per mention above the usual.
 * Coordination is judged by accounts: a bot burst brings volume from a handful of them, however
 * many regulars keep talking around it, or from many accounts with no audience (sockpuppets). Repeated text from many accounts is amplification
 * (retweets, quotes, copy-paste outrage), the usual shape of a real storm, not coordination.
 */
export function coordinationOf(obs: Observation, c: DetectionConfig): Coordination {
  const extra = obs.rate.mentions - obs.rate.expectedMentions;
  if (extra < c.minMentions) return { suspected: false, amplified: false, authorShare: 1, textShare: 1, noAudienceShare: undefined, noAudience: false };
  const share = (observed: number, usual: number) => Math.min(1, Math.max(0, observed - usual) / extra);
  const authorShare = share(obs.authors, obs.usualAuthors);
  const textShare = share(obs.texts, obs.usualTexts);
  const a = obs.audience;
  // A source without follower counts, or a burst seen only in part, says nothing about audiences.
  const noAudienceShare = a !== undefined && a.known * 2 > a.tracked && a.known * 2 >= extra ? a.none / a.known : undefined;
  const noAudience = noAudienceShare !== undefined && noAudienceShare >= c.coordinationMinNoAudienceShare;
  const suspected = authorShare <= c.coordinationMaxAuthorShare || noAudience;
  return { suspected, amplified: !suspected && textShare <= c.amplificationMaxTextShare, authorShare, textShare, noAudienceShare, noAudience };
}

/**
 * One key's state machine: calm, drizzle, storm or surge, with hysteresis (enter above, stay
 * above a lower bar, leave only after `exitBuckets` quiet buckets and the minimum dwell), a
 * cooldown after each end, and storms that escalate and subside within one episode. One
 * incident is one episode: a surge or drizzle that turns into a storm changes level in place
 * (`storm.level_changed`), and after an end no episode of any level opens within the cooldown.
 */
export class KeyClassifier {
  state: State = 'calm';
  episode: Episode | undefined;
  private candidate: Level | undefined;
  private candidateRun = 0;
  private candidateOnsetMs = 0;
  private quietRun = 0;
  /** Consecutive buckets a storm has been well below its peak or not holding. */
  private lowRun = 0;
  private readonly cooldownUntilMs: Record<Level, number> = { storm: 0, drizzle: 0, surge: 0 };

  constructor(
    private readonly key: string,
    private config: DetectionConfig,
  ) {}

  /** New thresholds (the key's policy was reloaded): the state machine and episode go on. */
  reconfigure(config: DetectionConfig): void {
    this.config = config;
  }

  /** Plain copy of the state machine's fields (not the episode): for snapshots. */
  saveState(): ClassifierState {
    return {
      state: this.state,
      candidate: this.candidate,
      candidateRun: this.candidateRun,
      candidateOnsetMs: this.candidateOnsetMs,
      quietRun: this.quietRun,
      lowRun: this.lowRun,
      cooldownUntilMs: { ...this.cooldownUntilMs },
    };
  }

  /** Restores what `saveState` returned, with the open episode (if any). */
  restoreState(s: ClassifierState, episode: Episode | undefined): void {
    this.state = s.state;
    this.episode = episode;
    this.candidate = s.candidate;
    this.candidateRun = s.candidateRun;
    this.candidateOnsetMs = s.candidateOnsetMs;
    this.quietRun = s.quietRun;
    this.lowRun = s.lowRun;
    this.cooldownUntilMs.storm = s.cooldownUntilMs.storm;
    this.cooldownUntilMs.drizzle = s.cooldownUntilMs.drizzle;
    this.cooldownUntilMs.surge = s.cooldownUntilMs.surge;
  }

  /**
   * Is the key anything but calm, or on its way there? Such a key stays in play: its drivers are
   * tracked, its distinct counts estimated, long gaps closed bucket by bucket, and it is never
   * forgotten (idle or for room).
   */
  get active(): boolean {
    return this.state !== 'calm' || this.candidate !== undefined;
  }

  /**
   * Volume (or reach) far above usual, above the mention floor. The floor scales with the key's
   * usual volume: its usual window plus `minMentions` extra, so a quiet key's storm of a dozen
   * mentions counts and a busy key's noise does not.
   */
  private spike(obs: Observation, minScore: number, minRatio: number, floorFraction: number): boolean {
    const r = obs.rate;
    return !r.learning && r.score >= minScore && rateRatio(r) >= minRatio && r.mentions >= (this.config.minMentions + r.expectedMentions) * floorFraction;
  }

  /**
   * A key still learning (a keyword stream added as the news breaks) has no usual volume to be
   * above: it gets the floors of an empty key, `minMentions` in the short window.
   */
  private coldSpike(obs: Observation, floorFraction: number): boolean {
    return obs.rate.learning && obs.rate.mentions >= this.config.minMentions * floorFraction;
  }

  /** Enough distinct people that it can be a public reaction rather than a few accounts. */
  private broad(obs: Observation, floorFraction: number): boolean {
    return obs.authors >= this.config.minAuthors * floorFraction;
  }

  private negativeShift(obs: Observation, fraction: number): boolean {
    const n = obs.negativity;
    const c = this.config;
    return n.usualKnown && n.share >= c.stormMinNegativeShare * fraction && n.low >= n.usualShare + c.stormMinNegativeShift * fraction;
  }

  /** Harm, alarm or sympathy vocabulary well above this key's usual share. */
  private alarmShift(obs: Observation, fraction: number): boolean {
    const a = obs.alarm;
    return a.low >= a.usualShare + this.config.stormMinAlarmShift * fraction;
  }

  /**
   * Harm, alarm or sympathy vocabulary well above the prior share of a brand's mentions,
   * whatever this key learned: the evidence for a key whose usual may be the crisis itself (a
   * keyword stream added as the news breaks learns the crisis's trickle as its usual).
   */
  private outrightAlarm(obs: Observation, fraction: number): boolean {
    return obs.alarm.low >= PRIOR_SHARE + this.config.stormMinAlarmShift * fraction;
  }

  /** Worse than usual in tone: more negative, or more alarm. */
  private crisisTone(obs: Observation, fraction: number): boolean {
    return this.negativeShift(obs, fraction) || this.alarmShift(obs, fraction);
  }

  private drizzling(obs: Observation, fraction: number): boolean {
    const n = obs.negativity;
    const c = this.config;
    return (
      n.usualKnown &&
      n.slowMentions >= c.drizzleMinMentions * fraction &&
      n.slowShare >= c.drizzleMinNegativeShare * fraction &&
      n.slowLow >= n.usualShare + c.drizzleMinNegativeShift * fraction
    );
  }

  /** What this bucket looks like on its own, at the entry bars. */
  private candidateFor(obs: Observation): Level | undefined {
    const c = this.config;
    // Without history only a storm can be told, on absolute evidence: the empty key's floors and
    // outright alarm; a surge or drizzle needs a usual to compare with.
    if (obs.rate.learning) return this.coldSpike(obs, 1) && this.broad(obs, 1) && this.outrightAlarm(obs, 1) && !coordinationOf(obs, c).suspected ? 'storm' : undefined;
    if (this.spike(obs, c.rateEnterScore, c.minRateRatio, 1)) {
      // A handful of accounts: flagged as a coordinated surge, never a storm.
      if (coordinationOf(obs, c).suspected) return 'surge';
      if (!this.broad(obs, 1)) return undefined;
      if (this.crisisTone(obs, 1)) return 'storm';
      // A surge is positive or neutral *and* free of alarm, relative to the key's usual and
      // outright (a key whose usual talk is harm, such as an earthquake keyword stream, has no
      // "positive" spike of harm words), on a window we mostly read: a burst in a script we do
      // not read has no known tone. In between, wait and see.
      if (this.crisisTone(obs, 0.5) || obs.negativity.share >= c.stormMinNegativeShare || obs.alarm.share >= c.stormMinNegativeShare) return undefined;
      if (obs.readMentions * 2 < obs.rate.mentions) return undefined;
      return rateRatio(obs.rate) >= c.surgeMinRateRatio ? 'surge' : undefined;
    }
    // Two signals together: a clear rise in volume (short of the entry score) with twice the
    // negative or alarm shift is a storm too; either alone is not.
    if (this.spike(obs, c.rateExitScore, c.minRateRatio, 1) && this.broad(obs, 1) && this.crisisTone(obs, 2) && !coordinationOf(obs, c).suspected) return 'storm';
    // A drizzle is negative chatter *without* a spike.
    if (!this.spike(obs, c.rateExitScore, 1, 0.5) && this.drizzling(obs, 1)) return 'drizzle';
    return undefined;
  }

  /** Does the open episode still hold, at the (lower) bars for staying? */
  private holds(level: Level, obs: Observation): boolean {
    const c = this.config;
    switch (level) {
      case 'storm':
        // Once on, a storm lasts while the spike and the harm words do: a key whose usual is the
        // crisis's own trickle must not see its storm end at the peak for being "as usual".
        return (this.spike(obs, c.rateExitScore, 1, 0.5) || this.coldSpike(obs, 0.5)) && this.broad(obs, 0.5) && (this.crisisTone(obs, 0.5) || this.outrightAlarm(obs, 0.5));
      case 'surge':
        return this.spike(obs, c.rateExitScore, 1, 0.5);
      case 'drizzle':
        return this.drizzling(obs, 0.5);
    }
  }

  /** Advances by one closed bucket; appends the resulting transitions to `out`. */
  step(obs: Observation, out: Transition[]): void {
    const c = this.config;
    const now = obs.bucketEndMs;
    const candidate = this.candidateFor(obs);
    if (candidate !== undefined && candidate === this.candidate) this.candidateRun++;
    else {
      this.candidate = candidate;
      this.candidateRun = candidate === undefined ? 0 : 1;
      this.candidateOnsetMs = obs.bucketStartMs;
    }
    const held = (level: Level) => this.candidate === level && this.candidateRun >= (level === 'drizzle' ? c.drizzleEnterBuckets : c.enterBuckets);
    const confirmed = (level: Level) => held(level) && now >= this.cooldownUntilMs[level];

    const episode = this.episode;
    if (episode === undefined) {
      if (this.candidate !== undefined && confirmed(this.candidate)) this.start(this.candidate, obs, out);
      return;
    }

    episode.record(obs.bucketStartMs, obs.bucketMentions, obs.bucketNegative, obs.bucketRead, this.perMinute(obs), rateRatio(obs.rate), obs.severity);
    // A drizzle or surge that turns into a storm is the same incident, worse: it changes level.
    if (episode.level !== 'storm' && !episode.coordinated && held('storm')) {
      this.raise(episode, obs, out);
      return;
    }
    if (this.holds(episode.level, obs)) this.quietRun = 0;
    else this.quietRun++;
    if (this.quietRun >= this.quietToEnd(episode, now) && now - episode.startedAtMs >= c.minDwellMs) {
      this.end(now, out);
      return;
    }
    if (episode.level === 'storm') this.followStorm(episode, obs, out);
  }

  /**
   * Quiet buckets that end the episode: for a long incident, a fraction of how long it had lasted
   * when the lull began (its lulls are part of it), up to the cooldown (what follows an end within
   * it counts as the same incident anyway); never fewer than `exitBuckets`.
   */
  private quietToEnd(episode: Episode, now: number): number {
    const c = this.config;
    const lastedMs = now - this.quietRun * c.bucketMs - episode.startedAtMs;
    return Math.max(c.exitBuckets, Math.ceil(Math.min(lastedMs * c.exitQuietFraction, c.cooldownMs) / c.bucketMs));
  }

  /**
   * Escalated when severity climbs a step above the last announced; subsided when a storm that
   * still holds stays well below its peak for half the exit time (a storm fading out simply ends).
   * A subsided storm escalates again only when it flares back to its peak: the ups and downs of
   * a long incident's small windows below that are the same storm cooling, not news.
   */
  private followStorm(episode: Episode, obs: Observation, out: Transition[]): void {
    const c = this.config;
    const low = this.quietRun === 0 && obs.severity <= episode.peakSeverity * c.subsideSeverityFraction;
    this.lowRun = low ? this.lowRun + 1 : 0;
    const escalateAt = episode.subsided ? Math.max(episode.peakSeverity, episode.lastAnnouncedSeverity + c.escalateSeverityStep) : episode.lastAnnouncedSeverity + c.escalateSeverityStep;
    if (this.quietRun === 0 && !low && obs.severity >= escalateAt) {
      episode.lastAnnouncedSeverity = obs.severity;
      episode.subsided = false;
      episode.escalations++;
      out.push({ type: 'storm.escalated', episode });
    } else if (!episode.subsided && this.lowRun >= Math.ceil(c.exitBuckets / 2)) {
      episode.subsided = true;
      episode.lastAnnouncedSeverity = obs.severity;
      out.push({ type: 'storm.subsided', episode });
    }
  }

  private perMinute(obs: Observation): number {
    return obs.rate.mentions / (this.config.shortWindowMs / 60_000);
  }

  private start(level: Level, obs: Observation, out: Transition[]): void {
    const episode = new Episode(this.key, level, this.candidateOnsetMs, obs.bucketEndMs);
    episode.lastAnnouncedSeverity = obs.severity;
    episode.coordinated = level === 'surge' && coordinationOf(obs, this.config).suspected;
    // The whole short window that led up to the start belongs to the episode.
    episode.record(obs.bucketStartMs, obs.rate.mentions, obs.windowNegative, obs.readMentions, this.perMinute(obs), rateRatio(obs.rate), obs.severity);
    this.episode = episode;
    this.state = level;
    this.quietRun = 0;
    this.lowRun = 0;
    this.candidate = undefined;
    this.candidateRun = 0;
    out.push({ type: `${level}.started`, episode });
  }

  private raise(episode: Episode, obs: Observation, out: Transition[]): void {
    const from = episode.level;
    episode.raise('storm', obs.bucketEndMs);
    episode.lastAnnouncedSeverity = obs.severity;
    this.state = 'storm';
    this.quietRun = 0;
    this.lowRun = 0;
    this.candidate = undefined;
    this.candidateRun = 0;
    out.push({ type: 'storm.level_changed', episode, from });
  }

  private end(now: number, out: Transition[]): void {
    const episode = this.episode!;
    out.push({ type: `${episode.level}.ended`, episode });
    // Whatever follows within the cooldown is the tail of this incident, not a new one (a storm
    // cooling off must not reopen as a surge a minute later).
    for (const level of levels) this.cooldownUntilMs[level] = Math.max(this.cooldownUntilMs[level], now + this.config.cooldownMs);
    this.episode = undefined;
    this.state = 'calm';
    this.quietRun = 0;
  }
}
