import type { BrandProfile } from './brands.js';
import type { IncidentConfig, SimulatorConfig } from './config.js';
import { IncidentProfile, scheduleIncident, type ScheduledIncident } from './incidents.js';
import { Rng, hash32 } from './prng.js';
import { compiledPack, renderTemplate } from './text.js';
import { crisisTopics, sectorTopics, surgeThemes, topicTagStems, type CrisisTopic, type SurgeTheme } from './vocabulary.js';

/** What the simulator keeps of one configured incident while it runs: its rate, and what its mentions talk about. */
export interface IncidentRuntime {
  readonly scheduled: ScheduledIncident;
  readonly brand: BrandProfile;
  readonly profile: IncidentProfile;
  /** Extra mentions per ms at rhythm 1 and profile 1. */
  readonly extraPerMs: number;
  readonly crisisTopic: CrisisTopic | undefined;
  readonly surgeTheme: SurgeTheme | undefined;
  readonly customPhrase: string | undefined;
  readonly tags: readonly string[];
  /** Drizzle: negative share of the brand's background at the plateau. */
  readonly backgroundNegativeShare: number;
  /** Bot burst: the shared text the bots vary. */
  readonly botText: string;
}

interface IncidentTopic {
  crisisTopic?: CrisisTopic;
  surgeTheme?: SurgeTheme;
  /** A configured topic that is no known crisis topic or theme: its words go into the texts. */
  customPhrase?: string;
  /** With customPhrase: the topic as configured, which the schedule records. */
  configured?: string;
}

/** A storm's crisis topic or a surge's theme: configured (a known one, or a free phrase) or picked for the brand's sector. */
function incidentTopic(config: IncidentConfig, brand: BrandProfile, local: Rng): IncidentTopic {
  if (config.kind === 'storm') {
    if (config.topic === undefined) return { crisisTopic: local.pick(sectorTopics[brand.sector]) };
    if ((crisisTopics as readonly string[]).includes(config.topic)) return { crisisTopic: config.topic as CrisisTopic };
    return { customPhrase: config.topic.replace(/[_-]+/g, ' '), configured: config.topic };
  }
  if (config.kind === 'surge') {
    if (config.topic === undefined) return { surgeTheme: local.pick(surgeThemes) };
    if ((surgeThemes as readonly string[]).includes(config.topic)) return { surgeTheme: config.topic as SurgeTheme };
    return { customPhrase: config.topic.replace(/[_-]+/g, ' '), configured: config.topic };
  }
  return {};
}

function incidentTags(config: IncidentConfig, brand: BrandProfile, topic: IncidentTopic): string[] {
  const s = brand.short;
  switch (config.kind) {
    case 'storm': {
      const stem = topic.crisisTopic ? topicTagStems[topic.crisisTopic] : 'fail';
      return [`#${s}fail`, `#boycott${s}`, `#${s}${stem}`, `#${s}${stem}`, `#${brand.compact}`];
    }
    case 'surge':
      return [`#${brand.compact}`, `#${s}${topic.surgeTheme === 'launch' ? 'launch' : 'ad'}`, '#viral'];
    case 'drizzle':
      return [`#${brand.compact}`, '#customerservice'];
    case 'bot_burst':
      return [`#boycott${s}`, `#${s}scam`];
  }
}

/** Prepares incident `index` of the config, for `brand` (the incident's key). */
export function prepareIncident(simulator: SimulatorConfig, index: number, brand: BrandProfile): IncidentRuntime {
  const config = simulator.incidents[index]!;
  // Per-incident choices come from their own stream, so adding an incident changes nothing else.
  const local = new Rng(hash32(simulator.seed, index, brand.hash), 2);
  const topic = incidentTopic(config, brand, local);
  const scheduled = Object.freeze(scheduleIncident(config, index, simulator.startMs, topic.crisisTopic ?? topic.surgeTheme ?? topic.configured));
  const tags = incidentTags(config, brand, topic);
  const peak = scheduled.peakMultiplier;
  const baseNegative = simulator.negativeShare;
  // Drizzle: extra mentions are all complaints; the brand's background turns negative too, so the
  // plateau reaches the target share: (bg·1 + (peak−1)) / peak = target.
  const backgroundNegativeShare =
    config.kind === 'drizzle' ? Math.min(1, Math.max(baseNegative, scheduled.peakNegativeShare * peak - (peak - 1))) : baseNegative;
  let botText = '';
  if (config.kind === 'bot_burst') {
    const pack = compiledPack('en');
    botText = renderTemplate(local.pick(pack.templates.bot), { brand, pack, negative: true, tags, tagChance: 1 }, local);
  }
  return {
    scheduled,
    brand,
    profile: IncidentProfile.forKind(config.kind, scheduled.startMs, config.durationMs),
    extraPerMs: brand.ratePerMs * (peak - 1),
    crisisTopic: topic.crisisTopic,
    surgeTheme: topic.surgeTheme,
    customPhrase: topic.customPhrase,
    tags,
    backgroundNegativeShare,
    botText,
  };
}
