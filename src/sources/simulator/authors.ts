import { hash32, hashUnit, type Rng } from './prng.js';

/**
 * Authors. An author is a pure function of (seed, brand, pool, index), so pools of any size cost no
 * memory: the same index always gives the same handle, follower count and verified flag.
 * Follower counts are heavy-tailed: log-normal body (median ~180) with a Pareto tail.
 */

export interface Author {
  readonly id: string;
  readonly followers: number;
  readonly verified: boolean;
}

const firstParts = [
  'mira', 'jan', 'lotte', 'sam', 'noah', 'emma', 'lukas', 'sofia', 'daan', 'lea', 'finn', 'julia', 'tom', 'anna',
  'max', 'sara', 'ben', 'nina', 'alex', 'zoe', 'ruben', 'ivy', 'omar', 'fleur', 'kai', 'elif', 'jonas', 'maya',
  'thijs', 'clara', 'leo', 'iris', 'milan', 'hanna', 'niels', 'ines', 'tariq', 'amber', 'felix', 'chloe',
];
const secondParts = [
  'travels', 'codes', 'bakes', 'runs', 'reads', 'k', 'vd', 'nl', 'de', 'x', 'writes', 'plays', 'cooks', 'rides',
  'photo', 'dev', 'ops', 'fan', 'official', 'here', 'online', 'daily', 'real', 'talks', 'in_ams', 'in_berlin',
];
const mediaParts = [
  'newsdesk', 'techtalk', 'dailybuzz', 'consumerwatch', 'travelinsider', 'moneyblog', 'gadgetguru', 'foodcritic',
  'breakingnow', 'thereview', 'marketpulse', 'viralhub',
];

/** Pools an author may come from. */
export const PoolKind = {
  /** The brand's regulars: a skewed draw, so a few post often. */
  Regular: 1,
  /** The wider public that joins a storm: a large pool drawn uniformly, so mostly new voices. */
  Crowd: 2,
  /** High-reach accounts (journalists, creators) that amplify storms and surges. */
  Influencer: 3,
  /** Bot accounts of one bot burst. */
  Bot: 4,
} as const;
export type PoolKind = (typeof PoolKind)[keyof typeof PoolKind];

function normalFromHash(seed: number, brandHash: number, pool: number, index: number): number {
  const u1 = (hash32(seed, brandHash, pool * 0x10000 + 11, index) + 1) / 4294967297;
  const u2 = hashUnit(seed, brandHash, pool * 0x10000 + 12, index);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The author at `index` of a pool. */
export function authorAt(seed: number, brandHash: number, pool: PoolKind, index: number): Author {
  const h = hash32(seed, brandHash, pool, index);
  const tail = hashUnit(seed, brandHash, pool * 0x10000 + 13, index);
  let followers: number;
  let verified: boolean;
  let id: string;
  if (pool === PoolKind.Influencer) {
    // Pareto(alpha 1.3) from 50k, capped at 30M.
    followers = Math.min(30_000_000, Math.round(50_000 / Math.pow(1 - tail * 0.999, 1 / 1.3)));
    verified = (h & 0xff) < 200;
    id = `${mediaParts[h % mediaParts.length]}${(h >>> 8) % 1000}`;
  } else if (pool === PoolKind.Bot) {
    followers = 3 + ((h >>> 4) % 60);
    verified = false;
    id = `${firstParts[h % firstParts.length]}${10_000_000 + ((h >>> 6) % 89_999_999)}`;
  } else {
    followers = Math.round(180 * Math.exp(1.5 * normalFromHash(seed, brandHash, pool, index)));
    if (tail < 0.01) followers = Math.round(10_000 / Math.pow(1 - (tail / 0.01) * 0.999, 1 / 1.2));
    followers = Math.min(followers, 20_000_000);
    verified = followers > 100_000 ? (h & 0xff) < 150 : (h & 0x3ff) < 4;
    const first = firstParts[h % firstParts.length];
    const second = secondParts[(h >>> 8) % secondParts.length];
    id = `${first}_${second}${(h >>> 16) % 1000}`;
  }
  return { id, followers, verified };
}

/** Draws authors for one brand. */
export class AuthorPool {
  constructor(
    private readonly seed: number,
    private readonly brandHash: number,
    readonly regularSize: number,
  ) {}

  /** A regular: index ~ size·u³, so the first few hundred post most of the time. */
  regular(rng: Rng): Author {
    const u = rng.next();
    return authorAt(this.seed, this.brandHash, PoolKind.Regular, Math.floor(this.regularSize * u * u * u));
  }

  /** Someone from the wide public (10× the regulars, uniform). */
  crowd(rng: Rng): Author {
    return authorAt(this.seed, this.brandHash, PoolKind.Crowd, rng.int(this.regularSize * 10));
  }

  /** A high-reach account, from a few hundred. */
  influencer(rng: Rng): Author {
    return authorAt(this.seed, this.brandHash, PoolKind.Influencer, rng.int(300));
  }

  /** One of the `count` accounts of a bot burst identified by `burst`. */
  bot(burst: number, rng: Rng, count = 5): Author {
    return authorAt(this.seed, this.brandHash, PoolKind.Bot, burst * 64 + rng.int(count));
  }
}

export interface Engagement {
  readonly likes: number;
  readonly shares: number;
  readonly replies: number;
}

/**
 * Engagement grows sub-linearly with followers (likes ~ 0.02·followers^0.85, log-normal noise);
 * `heat` raises shares and replies (storms are shared and argued about).
 */
export function engagementFor(followers: number, heat: number, rng: Rng): Engagement {
  const expected = 0.02 * Math.pow(followers + 1, 0.85) * heat;
  const likes = Math.floor(expected * Math.exp(0.9 * rng.normal() - 0.4) + rng.int(3));
  const shares = Math.floor(likes * 0.08 * heat * Math.exp(0.6 * rng.normal()));
  const replies = Math.floor(likes * 0.1 * heat * Math.exp(0.7 * rng.normal()) + rng.int(2));
  return { likes, shares, replies };
}
