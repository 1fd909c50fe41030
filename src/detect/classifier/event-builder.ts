import { SCHEMA_VERSION, type ClassificationEvent, type Drivers, type Evidence, type Level } from '../../events/classification.js';
import type { DetectionConfig } from '../config.js';
import { clamp01 } from '../stats.js';
import { iso, weekdayHourLabel } from '../time.js';
import { coordinationOf, rateRatio, type Observation, type Transition } from './classifier.js';
import { NO_AUDIENCE_FOLLOWERS } from '../drivers/driver-tracker.js';

const PLAYBOOKS: Record<Level | 'coordinated', readonly string[]> = {
  storm: [
    'Acknowledge publicly within the hour: say you are aware and looking into it',
    'Pause scheduled and promotional posts',
    'Loop in PR, legal and customer support',
    'Open an information hub (status page or pinned post) and point replies to it',
    'Post regular updates until it is resolved, then a closing statement',
  ],
  drizzle: [
    'Route the complaints to customer support for individual replies',
    'Watch the drivers for a shared cause before it grows',
    'No public statement needed yet',
  ],
  surge: ['Not a crisis: engage or amplify if it is on-brand', 'Check the drivers and samples before reacting'],
  coordinated: [
    'Suspected coordinated activity: verify the accounts before responding',
    'Do not amplify it with a public statement',
    'Report inauthentic accounts to the platform',
  ],
};

/** Storm severity 0-100 from how far volume, negativity or alarm, reach and breadth are above usual. */
export function severityOf(obs: Observation): number {
  const r = obs.rate;
  const n = obs.negativity;
  const a = obs.alarm;
  const volume = clamp01(Math.log2(Math.max(rateRatio(r), 1)) / 4); // 16x the usual → full
  const negativity = clamp01(Math.max(n.share - n.usualShare, a.share - a.usualShare) / 0.5);
  const reach = clamp01(Math.log2(Math.max(r.expectedWeight > 0 ? r.weight / r.expectedWeight : 0, 1)) / 5);
  const breadth = clamp01(Math.log10(Math.max(obs.authors, 1)) / 3); // 1000 authors → full
  return Math.round(100 * (0.35 * volume + 0.3 * negativity + 0.15 * reach + 0.2 * breadth));
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function evidenceOf(obs: Observation, c: DetectionConfig): Evidence {
  const r = obs.rate;
  const n = obs.negativity;
  const coordination = coordinationOf(obs, c);
  const extra = Math.round(r.mentions - r.expectedMentions);
  const newAccounts = Math.max(1, Math.round(obs.authors - obs.usualAuthors));
  return {
    windowMs: c.shortWindowMs,
    mentions: Math.round(r.mentions),
    usualMentions: round(r.expectedMentions),
    rateRatio: round(rateRatio(r)),
    engagement: round(r.weight),
    usualEngagement: round(r.expectedWeight),
    engagementRatio: round(r.expectedWeight > 0 ? r.weight / r.expectedWeight : 0),
    anomalyScore: round(r.score, 4),
    negativeShare: round(n.share, 4),
    negativeShareLow: round(n.low, 4),
    negativeShareHigh: round(n.high, 4),
    usualNegativeShare: round(n.usualShare, 4),
    negativeIntensity: round(n.intensity, 4),
    alarmShare: round(obs.alarm.share, 4),
    readMentions: Math.round(obs.readMentions),
    usualAlarmShare: round(obs.alarm.usualShare, 4),
    authors: obs.authors,
    coordination: {
      suspected: coordination.suspected,
      authorShare: round(coordination.authorShare, 4),
      distinctTextShare: round(coordination.textShare, 4),
      ...(coordination.noAudienceShare !== undefined ? { noAudienceShare: round(coordination.noAudienceShare, 4) } : {}),
      ...(coordination.suspected
        ? { reason: coordination.noAudience ? `${extra} extra mentions, ${percent(coordination.noAudienceShare ?? 0)} of the burst from accounts with no audience (fewer than ${NO_AUDIENCE_FOLLOWERS} followers)` : `${extra} extra mentions from about ${newAccounts} new accounts` }
        : {}),
    },
    amplification: {
      detected: coordination.amplified,
      ...(coordination.amplified
        ? { reason: `${extra} extra mentions from about ${newAccounts} new accounts repeating about ${Math.max(1, Math.round(obs.texts - obs.usualTexts))} new texts (retweets, quotes): more reach and speed` }
        : {}),
    },
  };
}

function about(drivers: Drivers | undefined): string {
  if (drivers === undefined) return '';
  const top = [...drivers.hashtags.slice(0, 2), ...drivers.terms.slice(0, 3)].map((t) => t.term);
  return top.length > 0 ? `; about ${top.join(', ')}` : '';
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

const PREFIXES: Partial<Record<Transition['type'], string>> = {
  'storm.subsided': 'subsiding',
  'storm.escalated': 'escalating',
  'storm.level_changed': 'now a storm',
};

/** Where some mentions are in a script we do not read, the shares are of the others: say so. */
function unreadNote(mentions: number, read: number): string {
  const unread = Math.round(mentions - read);
  return unread > 0 ? ` (of the ${Math.round(read)} mentions in a script we read; ${unread} not)` : '';
}

function explanationOf(t: Transition, e: Evidence, obs: Observation, c: DetectionConfig, drivers: Drivers | undefined): string {
  const slot = weekdayHourLabel(obs.bucketStartMs, c.utcOffsetMinutes);
  const level = t.episode.level;
  if (t.type.endsWith('.ended')) {
    const p = t.episode;
    return `${level} over after ${duration(obs.bucketEndMs - p.startedAtMs)}: peak ${round(p.peakRateRatio, 1)}x the usual volume, ${Math.round(p.totalMentions)} mentions, ${p.readMentions > 0 ? percent(p.negativeMentions / p.readMentions) : '0%'} negative${unreadNote(p.totalMentions, p.readMentions)}`;
  }
  const volume = `volume ${round(e.rateRatio, 1)}x the usual for ${slot}`;
  const negative = `${percent(e.negativeShare)} negative vs ${percent(e.usualNegativeShare)} usual, ${percent(obs.alarm.share)} with harm or alarm words vs ${percent(obs.alarm.usualShare)} usual${unreadNote(obs.rate.mentions, obs.readMentions)}`;
  const amplified = e.amplification?.reason === undefined ? '' : `; amplified: ${e.amplification.reason}`;
  if (level === 'surge' && e.coordination.suspected) return `suspected coordination, not a storm: ${e.coordination.reason}; ${volume}, ${negative}${about(drivers)}`;
  if (level === 'drizzle') {
    return `${percent(obs.negativity.slowShare)} negative over recent mentions vs ${percent(e.usualNegativeShare)} usual, volume ${round(e.rateRatio, 1)}x the usual for ${slot}${about(drivers)}`;
  }
  if (level === 'surge') return `${volume}, ${negative}: a surge, not a crisis${amplified}${about(drivers)}`;
  const prefix = PREFIXES[t.type] ?? '';
  const was = t.from === undefined ? '' : ` (a ${t.from} for ${duration(obs.bucketEndMs - t.episode.startedAtMs)})`;
  return `${prefix}${was}${prefix === '' ? '' : ': '}${volume}, ${negative}, ${e.authors} authors${amplified}${about(drivers)}`;
}

/**
 * Turns a classifier transition into the published event. `drivers` is given for started,
 * escalated and level-changed events only. `emittedAt` equals `at` here; a live adapter restamps it.
 */
export function buildEvent(t: Transition, obs: Observation, c: DetectionConfig, drivers: Drivers | undefined): ClassificationEvent {
  const evidence = evidenceOf(obs, c);
  const at = iso(obs.bucketEndMs);
  const sequence = t.episode.nextSequence();
  const coordinated = evidence.coordination.suspected && t.episode.level === 'surge';
  const event: ClassificationEvent = {
    id: `${t.episode.id}-${sequence}`,
    type: t.type,
    key: t.episode.key,
    episodeId: t.episode.id,
    sequence,
    at,
    emittedAt: at,
    schemaVersion: SCHEMA_VERSION,
    level: t.episode.level,
    ...(t.from === undefined ? {} : { previousLevel: t.from }),
    severity: obs.severity,
    evidence,
    explanation: explanationOf(t, evidence, obs, c, drivers),
    playbook: [...PLAYBOOKS[coordinated ? 'coordinated' : t.episode.level]],
  };
  if (drivers !== undefined) event.drivers = drivers;
  if (t.type.endsWith('.ended')) event.postMortem = t.episode.postMortem(obs.bucketEndMs);
  return event;
}
