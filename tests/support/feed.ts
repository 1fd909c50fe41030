import { schemaDefaults } from '../../src/config/load.js';
import { FeedHub, type FeedHubOptions } from '../../src/server/feed-hub.js';

/** A hub with the `feed` section's defaults and `overrides`, as the service builds it from its config. */
export function feedHub(overrides: Partial<FeedHubOptions> = {}, now?: () => number): FeedHub {
  return new FeedHub({ ...schemaDefaults().feed, ...overrides }, now);
}
