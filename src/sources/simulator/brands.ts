import type { BrandConfig, Sector } from './config.js';
import { hashString } from './prng.js';

/** Everything the text generator needs to know about one brand, computed once. */
export interface BrandProfile {
  readonly index: number;
  readonly key: string;
  readonly hash: number;
  readonly sector: Sector;
  /** `Acme Air` */
  readonly displayName: string;
  /** `@acmeair` */
  readonly handle: string;
  /** `acmeair` */
  readonly compact: string;
  /** `acme`: the first part of the key, for hashtags such as #acmefail */
  readonly short: string;
  /** Background mentions per millisecond at rhythm 1. */
  readonly ratePerMs: number;
  /** Size of the pool of regular authors talking about this brand. */
  readonly authorPoolSize: number;
}

const sectorHints: ReadonlyArray<readonly [RegExp, Sector]> = [
  [/air|fly|jet|wings/, 'airline'],
  [/bank|pay|finance|credit|insur/, 'bank'],
  [/tele|mobile|net|fiber|5g/, 'telecom'],
  [/cloud|soft|tech|data|host|saas/, 'cloud'],
  [/food|snack|dairy|drink|grocer|bake/, 'food'],
  [/phone|device|gadget/, 'phones'],
];

export function guessSector(key: string): Sector {
  const lower = key.toLowerCase();
  for (const [pattern, sector] of sectorHints) if (pattern.test(lower)) return sector;
  return 'generic';
}

function titleCase(key: string): string {
  return key
    .split(/[-_.\s]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}

export function brandProfile(config: BrandConfig, index: number): BrandProfile {
  const compact = config.key.toLowerCase().replace(/[^a-z0-9]+/g, '') || `brand${index}`;
  const short = config.key.toLowerCase().split(/[^a-z0-9]+/).find((p) => p.length > 0) ?? compact;
  const ratePerMinute = config.baseRatePerMinute;
  return {
    index,
    key: config.key,
    hash: hashString(config.key),
    sector: config.sector ?? guessSector(config.key),
    displayName: config.displayName ?? (titleCase(config.key) || config.key),
    handle: '@' + compact,
    compact,
    short,
    ratePerMs: ratePerMinute / 60_000,
    // Roughly: a brand with 40 mentions/min has ~16 000 regular voices; tiny brands at least 200.
    authorPoolSize: Math.max(200, Math.round(ratePerMinute * 400)),
  };
}

const prefixes = [
  'acme', 'northwind', 'globex', 'initech', 'umbrella', 'hooli', 'contoso', 'fabrikam', 'wayne', 'stark',
  'cyberdyne', 'soylent', 'tyrell', 'wonka', 'vandelay', 'massive', 'gringotts', 'oceanic', 'aperture', 'monarch',
  'dunder', 'pied', 'vehement', 'prestige', 'sterling', 'blue-sun', 'virtucon', 'gekko', 'duff', 'krusty',
  'ollivander', 'rekall', 'nakatomi', 'omni', 'weyland', 'yoyodyne', 'zorg', 'spacely', 'cogswell', 'bluth',
  'lacuna', 'mooby', 'planet', 'wernham', 'axiom', 'ingen', 'roxxon', 'oscorp', 'kaiju', 'tessier',
];
const suffixes = [
  'air', 'bank', 'telecom', 'cloud', 'foods', 'phones', 'energy', 'insurance', 'motors', 'games',
  'pharma', 'retail', 'travel', 'media', 'mobile', 'pay', 'snacks', 'software', 'hotels', 'fitness',
  'rail', 'logistics', 'fashion', 'beverages', 'devices', 'hosting', 'dairy', 'airways', 'credit', 'fiber',
];

/**
 * `count` distinct brand keys for large benchmarks: the six default brands first, then
 * prefix-suffix combinations (`contoso-energy`), then numbered ones (`contoso-energy-2`).
 */
export function manyBrandKeys(count: number, first: readonly string[] = []): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  const add = (key: string): void => {
    if (keys.length < count && !seen.has(key)) {
      seen.add(key);
      keys.push(key);
    }
  };
  for (const key of first) add(key);
  for (let round = 1; keys.length < count; round++) {
    for (let s = 0; s < suffixes.length && keys.length < count; s++) {
      for (let p = 0; p < prefixes.length && keys.length < count; p++) {
        add(`${prefixes[p]}-${suffixes[s]}${round === 1 ? '' : `-${round}`}`);
      }
    }
  }
  return keys;
}
